"""Randomised agreement of the whole API with PyTorch (``torch.nn.functional``), in float64.

PyTorch is a test-only dependency (requirements-test.txt) and shares no code
with cnnmath, so it is an independent oracle. Hypothesis draws shapes,
strides, paddings (ints, pairs and the words), dilations, ceil modes,
count_include_pad, norm types, slopes, axes and reductions; every draw
compares the forward value and the backward pass (cnnmath's ``*_backward``
against ``torch.autograd`` with the same upstream gradient). The draws are
derandomised, so every run checks the same cases.

Deliberate differences, each tested against the mathematics instead:

* ``kl_divergence(p, q)`` is sum p log(p / q) with both arguments
  probabilities; ``F.kl_div`` takes log q as input and the target p. The
  comparison feeds torch ``log q``; 'mean' averages over distributions (torch's
  'batchmean' for 2-D input), torch's 'mean' over every entry.
* ``lp_pool2d`` in ceil_mode: a window hanging over the edge sums what it
  covers; torch rescales it by kH kW / covered. cnnmath is compared with the sum
  over covered elements built from torch primitives (``avg_pool2d`` with
  ``divisor_override=1``), and with ``F.lp_pool2d`` when every window is full.
  At a window of zeros torch's gradient is NaN; cnnmath's is 0 (see
  tests/test_extremes.py).
* ``softplus``: torch returns x itself above ``threshold=20``; cnnmath is
  exact everywhere, so torch is called with the threshold out of reach.
* ``msle``, ``mape`` and ``l2`` have no torch function; their torch oracle is the
  defining formula written with torch operations and differentiated by autograd.
* ``conv_transpose2d`` has no ``*_backward`` in cnnmath: it is the adjoint of
  conv2d, so its input gradient is ``conv2d(dy, w)`` and its weight gradient is
  conv2d_backward's ``dw`` with the roles of x and dy exchanged. Both are
  compared with torch's autograd.
"""

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from conv_strategies import conv_calls
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import cnnmath

torch.set_num_threads(1)
EXAMPLES = {}       # test name -> examples run, reported by test_count_of_drawn_cases
TOL = dict(rtol=1e-10, atol=1e-12)


def derandomized(n):
    return settings(derandomize=True, deadline=None, max_examples=n)


def t(a, grad=False):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def close(ours, theirs, what):
    theirs = theirs.detach().numpy() if isinstance(theirs, torch.Tensor) else theirs
    np.testing.assert_allclose(ours, theirs, err_msg=what, **TOL)


def count(name):
    EXAMPLES[name] = EXAMPLES.get(name, 0) + 1


def torch_padding(padding, w_shape, dilation):
    """conv2d's padding argument for torch: 'full' is not a torch word."""
    if padding != "full":
        return padding
    d = (dilation, dilation) if isinstance(dilation, int) else dilation
    return tuple(d[a] * (w_shape[2 + a] - 1) for a in range(2))


def seeds():
    return st.integers(0, 2**32 - 1)


# --- convolution ----------------------------------------------------------------------

@derandomized(60)
@given(conv_calls(max_extra=3), seeds())
def test_conv2d_forward_and_backward(call, seed):
    count("conv2d")
    x, w, b = call["x"], call["w"], call["b"]
    kw = dict(stride=call["stride"], padding=call["padding"], dilation=call["dilation"])
    y = cnnmath.conv2d(x, w, b, **kw)
    dy = np.random.default_rng(seed).normal(size=y.shape)
    dx, dw, db = cnnmath.conv2d_backward(dy, x, w, **kw)

    xt, wt, bt = t(x, True), t(w, True), t(np.zeros(w.shape[0]) if b is None else b, True)
    kw["padding"] = torch_padding(call["padding"], w.shape, call["dilation"])
    with warnings.catch_warnings():     # torch notes that it copies the input for this padding
        warnings.filterwarnings("ignore", "Using padding='same'", UserWarning)
        yt = F.conv2d(xt, wt, bt, **kw)
    yt.backward(t(dy))
    close(y, yt, "y")
    close(dx, xt.grad, "dx")
    close(dw, wt.grad, "dw")
    close(db, bt.grad, "db")


@st.composite
def transpose_calls(draw):
    c_in, c_out = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    d = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    op = tuple(draw(st.integers(0, max(s[a], d[a]) - 1)) for a in range(2))
    size = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    p = tuple(draw(st.integers(0, 2)) for _ in range(2))
    for a in range(2):
        assume((size[a] - 1) * s[a] - 2 * p[a] + d[a] * (k[a] - 1) + op[a] + 1 >= 1)
    rng = np.random.default_rng(draw(seeds()))
    return dict(x=rng.normal(size=(draw(st.integers(1, 2)), c_in, *size)),
                w=rng.normal(size=(c_in, c_out, *k)),
                b=rng.normal(size=c_out) if draw(st.booleans()) else None,
                stride=s, padding=p, output_padding=op, dilation=d, rng=rng)


@derandomized(50)
@given(transpose_calls())
def test_conv_transpose2d_forward_and_backward(call):
    count("conv_transpose2d")
    x, w, b, rng = call.pop("x"), call.pop("w"), call.pop("b"), call.pop("rng")
    y = cnnmath.conv_transpose2d(x, w, b, **call)
    dy = rng.normal(size=y.shape)
    geometry = dict(stride=call["stride"], padding=call["padding"], dilation=call["dilation"])
    # conv2d maps y's size back to x's size, or (when output_padding reaches the stride,
    # allowed if the dilation is larger) to a larger one whose extra rows/columns meet
    # no input: dx drops them, and x is padded with zeros for the weight gradient.
    full = cnnmath.conv2d(dy, w, **geometry)                    # the adjoint's adjoint
    h, w_ = x.shape[2:]
    dx = full[:, :, :h, :w_]
    x_big = np.zeros(full.shape)
    x_big[:, :, :h, :w_] = x
    dw = cnnmath.conv2d_backward(x_big, dy, w, **geometry)[1]   # roles of x and dy exchanged

    xt, wt = t(x, True), t(w, True)
    yt = F.conv_transpose2d(xt, wt, None if b is None else t(b), **call)
    yt.backward(t(dy))
    close(y, yt, "y")
    close(dx, xt.grad, "dx")
    close(dw, wt.grad, "dw")


# --- pooling --------------------------------------------------------------------------

@st.composite
def pool_calls(draw, dilation=True, padding=True):
    k = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    stride = draw(st.one_of(st.none(), st.integers(1, 3),
                            st.tuples(st.integers(1, 3), st.integers(1, 3))))
    d = (draw(st.integers(1, 3)), draw(st.integers(1, 3))) if dilation else (1, 1)
    p = (draw(st.integers(0, k[0] // 2)), draw(st.integers(0, k[1] // 2))) if padding else (0, 0)
    ceil_mode = draw(st.booleans())
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 2)),
             draw(st.integers(1, 8)), draw(st.integers(1, 8)))
    steps = (k if stride is None else (stride, stride) if isinstance(stride, int) else stride)
    for a in range(2):
        try:
            cnnmath.pool_output_size(shape[2 + a], k[a], steps[a], p[a], d[a], ceil_mode)
        except ValueError:
            assume(False)
    kwargs = dict(kernel_size=k, stride=stride, padding=p, dilation=d, ceil_mode=ceil_mode)
    if not dilation:
        del kwargs["dilation"]
    if not padding:
        del kwargs["padding"]
    return kwargs, shape, np.random.default_rng(draw(seeds()))


@derandomized(60)
@given(pool_calls())
def test_max_pool2d_forward_and_backward(call):
    count("max_pool2d")
    kwargs, shape, rng = call
    x = rng.normal(size=shape)
    x[rng.random(shape) < 0.2] = 0.25            # ties: both send the gradient to the first
    y = cnnmath.max_pool2d(x, **kwargs)
    # A dilated window may read only padding; its value is -inf in both, no gradient flows.
    dy = rng.normal(size=y.shape)
    xt = t(x, True)
    torch_kwargs = dict(kwargs, stride=kwargs["stride"] or kwargs["kernel_size"])
    yt = F.max_pool2d(xt, **torch_kwargs)
    yt.backward(t(np.where(np.isfinite(y), dy, 0)))
    np.testing.assert_array_equal(y, yt.detach().numpy())
    close(cnnmath.max_pool2d_backward(np.where(np.isfinite(y), dy, 0), x, **kwargs), xt.grad, "dx")


@derandomized(60)
@given(pool_calls(dilation=False), st.booleans())
def test_avg_pool2d_forward_and_backward(call, count_include_pad):
    count("avg_pool2d")
    kwargs, shape, rng = call
    kwargs["count_include_pad"] = count_include_pad
    x = rng.normal(size=shape)
    y = cnnmath.avg_pool2d(x, **kwargs)
    dy = rng.normal(size=y.shape)
    xt = t(x, True)
    yt = F.avg_pool2d(xt, **dict(kwargs, stride=kwargs["stride"] or kwargs["kernel_size"]))
    yt.backward(t(dy))
    close(y, yt, "y")
    close(cnnmath.avg_pool2d_backward(dy, x, **kwargs), xt.grad, "dx")


def windows_are_full(shape, kwargs):
    """True when no ceil_mode window hangs over the edge (then F.lp_pool2d agrees exactly)."""
    k = kwargs["kernel_size"]
    s = kwargs["stride"] or k
    s = (s, s) if isinstance(s, int) else s
    return all((n - k[a]) % s[a] == 0 for a, n in enumerate(shape[2:]))


@derandomized(60)
@given(pool_calls(dilation=False, padding=False), st.sampled_from([1, 2, 3, 1.5, 4.0, 7]))
def test_lp_pool2d_forward_and_backward(call, norm_type):
    count("lp_pool2d")
    kwargs, shape, rng = call
    x = rng.uniform(0.1, 2.0, size=shape)          # no zero windows: torch's gradient is NaN there
    if norm_type in (2, 4.0):
        x *= rng.choice([-1.0, 1.0], size=shape)    # even powers take any sign
    y = cnnmath.lp_pool2d(x, norm_type, **kwargs)
    dy = rng.normal(size=y.shape)
    dx = cnnmath.lp_pool2d_backward(dy, x, norm_type, **kwargs)
    stride = kwargs["stride"] or kwargs["kernel_size"]

    # The definition, from torch primitives: the sum of x**p over the covered elements.
    xt = t(x, True)
    sums = F.avg_pool2d(xt ** norm_type, kwargs["kernel_size"], stride, 0, kwargs["ceil_mode"],
                        count_include_pad=False, divisor_override=1)
    yt = sums ** (1 / norm_type)
    yt.backward(t(dy))
    close(y, yt, "y")
    close(dx, xt.grad, "dx")

    if windows_are_full(shape, kwargs):
        xt = t(x, True)
        yt = F.lp_pool2d(xt, norm_type, kwargs["kernel_size"], stride, kwargs["ceil_mode"])
        yt.backward(t(dy))
        close(y, yt, "y (F.lp_pool2d)")
        close(dx, xt.grad, "dx (F.lp_pool2d)")


def test_lp_pool2d_ceil_mode_difference_is_the_documented_rescaling():
    """A 3x3 input, 2x2 windows at stride 2 in ceil_mode: only the top-left window is full."""
    x = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)
    ours = cnnmath.lp_pool2d(x, 2, 2, ceil_mode=True)
    theirs = F.lp_pool2d(t(x), 2, 2, ceil_mode=True).numpy()
    covered = np.array([[4, 2], [2, 1]])
    np.testing.assert_allclose(ours[0, 0] ** 2 * 4 / covered, theirs[0, 0] ** 2, rtol=1e-12)
    np.testing.assert_allclose(ours[0, 0, 1, 1], 9.0)           # the lone corner element
    assert not np.isclose(ours[0, 0, 1, 1], theirs[0, 0, 1, 1])


# --- activations ----------------------------------------------------------------------

ELEMENTWISE = {
    "relu": (cnnmath.relu, cnnmath.relu_backward, F.relu, {}),
    "sigmoid": (cnnmath.sigmoid, cnnmath.sigmoid_backward, torch.sigmoid, {}),
    "tanh": (cnnmath.tanh, cnnmath.tanh_backward, torch.tanh, {}),
    "softplus": (cnnmath.softplus, cnnmath.softplus_backward,
                 lambda v: F.softplus(v, beta=1, threshold=1e3), {}),
    "leaky_relu": (cnnmath.leaky_relu, cnnmath.leaky_relu_backward, F.leaky_relu,
                   {"negative_slope": [0.01, 0.2, 1.5, -0.3]}),
    "elu": (cnnmath.elu, cnnmath.elu_backward, F.elu, {"alpha": [1.0, 0.5, 2.0]}),
}


@st.composite
def arrays(draw, min_dims=1):
    shape = tuple(draw(st.lists(st.integers(1, 5), min_size=min_dims, max_size=3)))
    rng = np.random.default_rng(draw(seeds()))
    scale = draw(st.sampled_from([0.1, 1.0, 10.0, 50.0]))
    x = rng.normal(scale=scale, size=shape)
    x[rng.random(shape) < 0.15] = 0.0            # the kinks: PyTorch's value at 0
    return x, rng


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
@derandomized(20)
@given(drawn=arrays(), data=st.data())
def test_elementwise_activations(name, drawn, data):
    count(name)
    ours, ours_backward, theirs, options = ELEMENTWISE[name]
    kwargs = {key: data.draw(st.sampled_from(values)) for key, values in options.items()}
    x, rng = drawn
    dy = rng.normal(size=x.shape)
    xt = t(x, True)
    yt = theirs(xt, **kwargs)
    yt.backward(t(dy))
    close(ours(x, **kwargs), yt, f"{name} y")
    close(ours_backward(dy, x, **kwargs), xt.grad, f"{name} dx")


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@derandomized(25)
@given(drawn=arrays(), data=st.data())
def test_softmax_family_along_any_axis(name, drawn, data):
    count(name)
    x, rng = drawn
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    ours, ours_backward = getattr(cnnmath, name), getattr(cnnmath, name + "_backward")
    dy = rng.normal(size=x.shape)
    xt = t(x, True)
    yt = getattr(F, name)(xt, dim=axis)
    yt.backward(t(dy))
    close(ours(x, axis=axis), yt, f"{name} y")
    close(ours_backward(dy, x, axis=axis), xt.grad, f"{name} dx")


# --- losses ---------------------------------------------------------------------------

REDUCTIONS = st.sampled_from(["mean", "sum", "none"])


def torch_loss(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


REGRESSION = {
    "mse": lambda i, y, r: F.mse_loss(i, y, reduction=r),
    "l1": lambda i, y, r: F.l1_loss(i, y, reduction=r),
    "mae": lambda i, y, r: F.l1_loss(i, y, reduction=r),
    "l2": lambda i, y, r: torch_loss((i - y) ** 2, r),
    "msle": lambda i, y, r: torch_loss((torch.log1p(i) - torch.log1p(y)) ** 2, r),
    "mape": lambda i, y, r: torch_loss(100 * torch.abs((y - i) / y), r),
}


def backward_of(value, reduction):
    """The upstream gradient a cnnmath loss backward assumes: ones of the loss's shape."""
    value.backward(torch.ones_like(value) if reduction == "none" else None)


@pytest.mark.parametrize("name", sorted(REGRESSION))
@derandomized(15)
@given(drawn=arrays(), reduction=REDUCTIONS)
def test_regression_losses(name, drawn, reduction):
    count(name)
    x, rng = drawn
    target = rng.normal(size=x.shape)
    if name == "msle":
        x, target = np.abs(x), np.abs(target)
    if name == "mape":
        target = target + np.sign(target) + (target == 0)        # |target| >= 1
    ours, ours_backward = getattr(cnnmath, name), getattr(cnnmath, name + "_backward")
    xt = t(x, True)
    value = REGRESSION[name](xt, t(target), reduction)
    backward_of(value, reduction)
    close(ours(x, target, reduction=reduction), value, f"{name} loss")
    close(ours_backward(x, target, reduction=reduction), xt.grad, f"{name} gradient")


@derandomized(40)
@given(arrays(), REDUCTIONS, st.sampled_from(["hard", "soft"]))
def test_binary_cross_entropies(drawn, reduction, labels):
    count("binary_cross_entropy")
    z, rng = drawn
    y = (rng.random(z.shape) < 0.5).astype(float) if labels == "hard" else rng.random(z.shape)
    zt = t(z, True)
    value = F.binary_cross_entropy_with_logits(zt, t(y), reduction=reduction)
    backward_of(value, reduction)
    close(cnnmath.binary_cross_entropy_with_logits(z, y, reduction=reduction), value, "with logits")
    close(cnnmath.binary_cross_entropy_with_logits_backward(z, y, reduction=reduction), zt.grad,
          "with logits gradient")

    p = rng.uniform(0.01, 0.99, size=z.shape)
    pt = t(p, True)
    value = F.binary_cross_entropy(pt, t(y), reduction=reduction)
    backward_of(value, reduction)
    close(cnnmath.binary_cross_entropy(p, y, reduction=reduction), value, "on probabilities")
    close(cnnmath.binary_cross_entropy_backward(p, y, reduction=reduction), pt.grad,
          "on probabilities gradient")


@derandomized(50)
@given(st.integers(1, 6), st.integers(1, 6), REDUCTIONS,
       st.sampled_from(["indices", "probabilities", "unnormalised"]), seeds())
def test_cross_entropy(n, c, reduction, kind, seed):
    count("cross_entropy")
    rng = np.random.default_rng(seed)
    logits = rng.normal(scale=3.0, size=(n, c))
    if kind == "indices":
        target = rng.integers(0, c, size=n)
        target_t = torch.tensor(target)
    else:
        target = rng.random((n, c))
        if kind == "probabilities":
            target /= target.sum(axis=1, keepdims=True)
        target_t = t(target)
    lt = t(logits, True)
    value = F.cross_entropy(lt, target_t, reduction=reduction)
    backward_of(value, reduction)
    close(cnnmath.cross_entropy(logits, target, reduction=reduction), value, "loss")
    close(cnnmath.cross_entropy_backward(logits, target, reduction=reduction), lt.grad, "gradient")


@derandomized(40)
@given(arrays(), REDUCTIONS, st.data())
def test_kl_divergence_against_kl_div_on_log_q(drawn, reduction, data):
    count("kl_divergence")
    x, rng = drawn
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    p = rng.random(x.shape) + 0.01
    q = rng.random(x.shape) + 0.01
    p[rng.random(x.shape) < 0.2] = 0.0            # 0 log 0 = 0 in both
    p_t, q_t = t(p, True), t(q, True)
    terms = F.kl_div(torch.log(q_t), p_t, reduction="none")   # p (log p - log q), elementwise
    per_distribution = terms.sum(dim=axis)
    value = (per_distribution.mean() if reduction == "mean"
             else torch_loss(per_distribution, reduction))
    backward_of(value, reduction)
    close(cnnmath.kl_divergence(p, q, axis=axis, reduction=reduction), value, "kl")
    close(cnnmath.kl_divergence_backward(p, q, axis=axis, reduction=reduction), q_t.grad, "d/dq")
    positive = p > 0                             # d/dp is -inf at p = 0 (the slope of p log p)
    ours_p = cnnmath.kl_divergence_backward(p, q, axis=axis, reduction=reduction, wrt="p")
    close(ours_p[positive], p_t.grad.numpy()[positive], "d/dp")
    assert np.all(np.isneginf(ours_p[~positive]))
    if reduction == "mean" and x.ndim == 2 and axis in (-1, 1):
        batchmean = F.kl_div(torch.log(t(q)), t(p), reduction="batchmean")
        close(cnnmath.kl_divergence(p, q), batchmean, "batchmean")


# --- dense ----------------------------------------------------------------------------

@derandomized(40)
@given(st.lists(st.integers(1, 4), min_size=1, max_size=3), st.integers(1, 5), st.booleans(),
       seeds())
def test_linear_forward_and_backward(leading, out_features, with_bias, seed):
    count("linear")
    rng = np.random.default_rng(seed)
    x = rng.normal(size=tuple(leading))
    w = rng.normal(size=(out_features, x.shape[-1]))
    b = rng.normal(size=out_features) if with_bias else None
    y = cnnmath.linear(x, w, b)
    dy = rng.normal(size=y.shape)
    dx, dw, db = cnnmath.linear_backward(dy, x, w)
    xt, wt, bt = t(x, True), t(w, True), t(np.zeros(out_features) if b is None else b, True)
    yt = F.linear(xt, wt, bt)
    yt.backward(t(dy))
    close(y, yt, "y")
    close(dx, xt.grad, "dx")
    close(dw, wt.grad, "dw")
    close(db, bt.grad, "db")


# --- the census -----------------------------------------------------------------------

def test_count_of_drawn_cases():
    """Runs last in this file: the draws above add up to a few hundred cases.

    When the file is run in part (pytest -k), there is nothing to count.
    """
    total = sum(EXAMPLES.values())
    if total == 0:
        pytest.skip("no agreement test ran before this one")
    print(f"\n{total} drawn cases compared with PyTorch: {dict(sorted(EXAMPLES.items()))}")
    assert total >= 300


# ======================================================================================
# Chapter 10: batch normalisation, dropout, SGD and Adam against torch (added by ch10).
# These come after the census above, so they are not counted in it. The module paths
# (cnnmath.normalization, cnnmath.nn) work whether or not the top level exports the names.

nn = cnnmath.nn
normalization = cnnmath.normalization

@st.composite
def batch_norm_calls(draw):
    ndim = draw(st.sampled_from([2, 4]))
    shape = (draw(st.integers(1, 4)), draw(st.integers(1, 3)))
    if ndim == 4:
        shape += (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    training = draw(st.booleans())
    if training:
        assume(int(np.prod(shape)) // shape[1] >= 2)    # torch refuses one value per channel
    rng = np.random.default_rng(draw(seeds()))
    channels = shape[1]
    affine = draw(st.booleans())
    return dict(x=rng.normal(1.0, 2.0, size=shape), dy=rng.normal(size=shape),
                running_mean=rng.normal(size=channels), running_var=rng.random(channels) + 0.1,
                weight=rng.normal(size=channels) if affine else None,
                bias=rng.normal(size=channels) if affine else None, training=training,
                momentum=draw(st.sampled_from([0.0, 0.1, 0.5, 1.0])),
                eps=draw(st.sampled_from([1e-5, 1e-3, 1e-12])))


@derandomized(60)
@given(batch_norm_calls())
def test_batch_norm_forward_backward_and_running_update(call):
    ours_mean, ours_var = np.copy(call["running_mean"]), np.copy(call["running_var"])
    kw = dict(training=call["training"], momentum=call["momentum"], eps=call["eps"])
    y = normalization.batch_norm(call["x"], ours_mean, ours_var, call["weight"], call["bias"], **kw)
    theirs_mean, theirs_var = t(call["running_mean"]), t(call["running_var"])
    xt = t(call["x"], True)
    wt = None if call["weight"] is None else t(call["weight"], True)
    bt = None if call["bias"] is None else t(call["bias"], True)
    yt = F.batch_norm(xt, theirs_mean, theirs_var, wt, bt, **kw)
    yt.backward(t(call["dy"]))
    close(y, yt, "y")
    close(ours_mean, theirs_mean, "running_mean")
    close(ours_var, theirs_var, "running_var")
    dx, dw, db = normalization.batch_norm_backward(call["dy"], call["x"], call["running_mean"],
                                             call["running_var"], call["weight"],
                                             training=call["training"], eps=call["eps"])
    np.testing.assert_allclose(dx, xt.grad.numpy(), rtol=1e-9, atol=1e-10, err_msg="dx")
    if wt is not None:
        close(dw, wt.grad, "dweight")
        close(db, bt.grad, "dbias")


def test_batch_norm_refuses_one_value_per_channel_as_torch_does():
    for shape in [(1, 3), (1, 3, 1, 1)]:
        x = np.ones(shape)
        with pytest.raises(ValueError, match="more than 1 value per channel"):
            F.batch_norm(t(x), None, None, training=True)
        with pytest.raises(ValueError, match="more than 1 value per channel"):
            normalization.batch_norm(x, None, None, training=True)
        layer = nn.BatchNorm1d(3) if len(shape) == 2 else nn.BatchNorm2d(3)
        with pytest.raises(ValueError, match="more than 1 value per channel"):
            layer.forward(x)
        close(layer.eval().forward(x), F.batch_norm(t(x), t(np.zeros(3)), t(np.ones(3))), "eval")


@pytest.mark.parametrize("ndim", [2, 4])
def test_batch_norm_layers_step_by_step_with_torch(ndim):
    """Three training batches, then evaluation: outputs, gradients and running statistics."""
    rng = np.random.default_rng(ndim)
    ours = nn.BatchNorm1d(3, momentum=0.2) if ndim == 2 else nn.BatchNorm2d(3, momentum=0.2)
    theirs = (torch.nn.BatchNorm1d(3, momentum=0.2) if ndim == 2
              else torch.nn.BatchNorm2d(3, momentum=0.2)).double()
    ours.weight.data = rng.normal(size=3)
    ours.bias.data = rng.normal(size=3)
    with torch.no_grad():
        theirs.weight.copy_(t(ours.weight.data))
        theirs.bias.copy_(t(ours.bias.data))
    shape = (5, 3) if ndim == 2 else (2, 3, 3, 2)
    for _ in range(3):
        x, dy = rng.normal(2.0, 3.0, size=shape), rng.normal(size=shape)
        xt = t(x, True)
        theirs.weight.grad = theirs.bias.grad = None
        yt = theirs(xt)
        yt.backward(t(dy))
        close(ours.forward(x), yt, "y")
        close(ours.backward(dy), xt.grad, "dx")
        close(ours.weight.grad, theirs.weight.grad, "dweight")
        close(ours.bias.grad, theirs.bias.grad, "dbias")
        close(ours.running_mean, theirs.running_mean, "running_mean")
        close(ours.running_var, theirs.running_var, "running_var")
    ours.eval()
    theirs.eval()
    x = rng.normal(size=shape)
    close(ours.forward(x), theirs(t(x)), "y in eval")


@pytest.mark.parametrize("p", [0.2, 0.5, 0.9])
def test_dropout_scaling_and_same_mask_backward(p):
    """torch's masks come from its own generator; the scale, the rate and the backward agree."""
    torch.manual_seed(0)
    x = np.random.default_rng(0).normal(size=(100, 200)) + 3.0     # no entry is 0
    xt = t(x, True)
    yt = F.dropout(xt, p=p, training=True)
    dy = np.random.default_rng(1).normal(size=x.shape)
    yt.backward(t(dy))
    kept = yt.detach().numpy() != 0
    torch_mask = kept / (1 - p)
    ours = normalization.dropout_mask(x.shape, p, np.random.default_rng(2))
    for mask in (torch_mask, ours):
        assert abs(np.mean(mask > 0) - (1 - p)) < 5 * np.sqrt(p * (1 - p) / x.size)
        assert set(np.unique(mask)) == {0.0, 1 / (1 - p)}
    close(normalization.dropout(x, torch_mask), yt, "y through torch's mask")
    close(normalization.dropout_backward(dy, torch_mask), xt.grad, "dx through torch's mask")
    layer = nn.Dropout(p).eval()
    close(layer.forward(x), F.dropout(t(x), p=p, training=False), "eval is the identity")


OPTIMIZER_SETTINGS = st.one_of(
    st.fixed_dictionaries({"kind": st.just("sgd"), "lr": st.sampled_from([0.01, 0.1, 0.5]),
                           "momentum": st.sampled_from([0.0, 0.5, 0.9]),
                           "weight_decay": st.sampled_from([0.0, 1e-3, 0.1]),
                           "nesterov": st.booleans()}),
    st.fixed_dictionaries({"kind": st.just("adam"), "lr": st.sampled_from([1e-3, 0.01, 0.1]),
                           "betas": st.sampled_from([(0.9, 0.999), (0.5, 0.9), (0.0, 0.99)]),
                           "eps": st.sampled_from([1e-8, 1e-3]),
                           "weight_decay": st.sampled_from([0.0, 0.01])}),
)


@derandomized(40)
@given(OPTIMIZER_SETTINGS, seeds())
def test_optimizers_step_for_step(options, seed):
    options = dict(options)
    kind = options.pop("kind")
    if kind == "sgd" and options["momentum"] == 0:
        options["nesterov"] = False                   # both libraries refuse it
    rng = np.random.default_rng(seed)
    shapes = [(3, 4), (4,), (2, 1, 2, 2)]
    ours = [nn.Parameter(rng.normal(size=s), f"p{i}") for i, s in enumerate(shapes)]
    theirs = [torch.nn.Parameter(t(p.data)) for p in ours]
    ours_opt = (nn.SGD if kind == "sgd" else nn.Adam)(ours, **options)
    theirs_opt = (torch.optim.SGD if kind == "sgd" else torch.optim.Adam)(theirs, **options)
    for step in range(6):
        for p, q in zip(ours, theirs):
            g = rng.normal(size=p.data.shape)
            p.grad = g
            q.grad = t(g)
        ours_opt.step()
        theirs_opt.step()
        for p, q in zip(ours, theirs):
            close(p.data, q, f"{kind} step {step + 1}, {p.name}")
