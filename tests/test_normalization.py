"""Batch normalisation and dropout against loops, finite differences and SymPy.

PyTorch's verdicts are in tests/test_torch_agreement.py (the last section); here each
fast function meets an oracle that shares no code with it: the loop reference
(cnnmath.reference.normalization, written from the index formulas), central
differences of the forward pass, and SymPy's exact derivative on a small symbolic batch.
"""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import cnnmath
from cnnmath import nn, normalization, training
from cnnmath.reference import normalization as loops


def draw_call(seed, ndim, training, affine):
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(2, 5)), int(rng.integers(1, 4)))
    if ndim == 4:
        shape += (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    channels = shape[1]
    x = rng.normal(2.0, 3.0, size=shape)
    return dict(
        x=x, dy=rng.normal(size=shape),
        running_mean=rng.normal(size=channels), running_var=rng.random(channels) + 0.5,
        weight=rng.normal(size=channels) if affine else None,
        bias=rng.normal(size=channels) if affine else None,
        training=training)


CALLS = st.tuples(st.integers(0, 2**32 - 1), st.sampled_from([2, 4]), st.booleans(),
                  st.booleans())


@settings(derandomize=True, deadline=None, max_examples=40)
@given(CALLS)
def test_batch_norm_matches_the_loops_including_the_running_update(drawn):
    call = draw_call(*drawn)
    mine = {k: np.copy(call[k]) for k in ("running_mean", "running_var")}
    theirs = {k: np.copy(call[k]) for k in ("running_mean", "running_var")}
    y = cnnmath_batch_norm(call, mine)
    expected = loops.batch_norm(call["x"], theirs["running_mean"], theirs["running_var"],
                                call["weight"], call["bias"], call["training"], 0.1, 1e-5)
    np.testing.assert_allclose(y, expected, rtol=1e-12, atol=1e-12)
    for k in mine:
        np.testing.assert_allclose(mine[k], theirs[k], rtol=1e-12, atol=1e-14)
        assert np.array_equal(mine[k], call[k]) != call["training"], f"{k} updated iff training"


def cnnmath_batch_norm(call, running):
    return normalization.batch_norm(call["x"], running["running_mean"], running["running_var"],
                                    call["weight"], call["bias"], training=call["training"])


@settings(derandomize=True, deadline=None, max_examples=40)
@given(CALLS)
def test_batch_norm_backward_matches_the_loops(drawn):
    call = draw_call(*drawn)
    args = (call["dy"], call["x"], call["running_mean"], call["running_var"], call["weight"])
    fast = normalization.batch_norm_backward(*args, training=call["training"])
    slow = loops.batch_norm_backward(*args, training=call["training"])
    for name, a, b in zip(("dx", "dweight", "dbias"), fast, slow):
        np.testing.assert_allclose(a, b.astype(float), rtol=1e-10, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("ndim", [2, 4])
def test_batch_norm_backward_against_central_differences(training, ndim):
    call = draw_call(7 + ndim, ndim, training, affine=True)
    x, dy, w, b = call["x"], call["dy"], call["weight"], call["bias"]
    rm, rv = call["running_mean"], call["running_var"]

    def loss(x_=x, w_=w, b_=b):
        # np.copy: the running arrays must not drift while differences are taken
        y = normalization.batch_norm(x_, np.copy(rm), np.copy(rv), w_, b_, training=training)
        return float(np.sum(y * dy))

    dx, dw, db = normalization.batch_norm_backward(dy, x, rm, rv, w, training=training)
    for name, analytic, numeric in [
        ("dx", dx, cnnmath.numerical_gradient(lambda v: loss(x_=v), x)),
        ("dweight", dw, cnnmath.numerical_gradient(lambda v: loss(w_=v), w)),
        ("dbias", db, cnnmath.numerical_gradient(lambda v: loss(b_=v), b)),
    ]:
        assert cnnmath.relative_error(analytic, numeric) < 1e-7, name


def test_batch_norm_backward_is_sympy_exact_on_a_symbolic_batch():
    """Three values of one channel, the loss sum(dy * y): SymPy differentiates the loops."""
    xs = sp.symbols("x0:3", real=True)
    dys = sp.symbols("d0:3", real=True)
    gamma, eps = sp.Symbol("gamma", positive=True), sp.Rational(1, 10**5)
    x = np.array(xs, dtype=object).reshape(3, 1)
    y = loops.batch_norm(x, None, None, np.array([gamma], dtype=object), None, training=True,
                         eps=eps)
    loss = sum(d * y[n, 0] for n, d in enumerate(dys))
    point = {xs[0]: 1, xs[1]: sp.Rational(-2, 3), xs[2]: 4, dys[0]: sp.Rational(1, 2),
             dys[1]: -3, dys[2]: 2, gamma: sp.Rational(3, 2)}
    exact = np.array([float(sp.diff(loss, v).subs(point)) for v in xs])
    dx, dw, _ = normalization.batch_norm_backward(
        np.array([[0.5], [-3.0], [2.0]]), np.array([[1.0], [-2 / 3], [4.0]]), None, None,
        np.array([1.5]), training=True)
    np.testing.assert_allclose(dx[:, 0], exact, rtol=1e-12)
    exact_dgamma = float(sp.diff(loss, gamma).subs(point))
    np.testing.assert_allclose(dw, [exact_dgamma], rtol=1e-12)


def test_batch_norm_output_is_standardised_in_training():
    x = np.random.default_rng(3).normal(5.0, 4.0, size=(64, 3, 2, 2))
    y = normalization.batch_norm(x, None, None, training=True, eps=1e-12)
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1, rtol=1e-9)


def test_the_training_gradient_is_orthogonal_to_shifts_and_scalings():
    """sum dx = 0 and sum dx * x_hat = 0 per channel: y ignores a shift or scaling of x.

    The second is exact only as eps -> 0 (eps breaks the scale invariance), so eps is tiny.
    """
    call = draw_call(11, 4, True, affine=True)
    dx, _, _ = normalization.batch_norm_backward(call["dy"], call["x"], None, None,
                                                 call["weight"], training=True, eps=1e-14)
    x = call["x"]
    centred = x - x.mean(axis=(0, 2, 3), keepdims=True)
    np.testing.assert_allclose(dx.sum(axis=(0, 2, 3)), 0, atol=1e-12)
    np.testing.assert_allclose((dx * centred).sum(axis=(0, 2, 3)), 0, atol=1e-11)


# --- the layers -----------------------------------------------------------------------

@pytest.mark.parametrize("layer, shape", [(nn.BatchNorm1d(3), (5, 3)),
                                          (nn.BatchNorm2d(3), (4, 3, 2, 3))])
def test_layers_in_both_modes_pass_a_whole_network_gradient_check(layer, shape):
    rng = np.random.default_rng(5)
    layer.weight.data = rng.normal(size=3)
    layer.bias.data = rng.normal(size=3)
    layer.running_mean[:] = rng.normal(size=3)
    layer.running_var[:] = rng.random(3) + 0.5
    flat = int(np.prod(shape[1:]))
    model = nn.Sequential(layer, nn.Flatten(), nn.Linear(flat, 4, rng=rng))
    x, y = rng.normal(size=shape), np.array([0, 3, 1, 2, 1][:shape[0]])
    for mode in (True, False):
        model.train(mode)
        assert layer.training is mode
        results = training.check_model_gradients(model, cnnmath.cross_entropy,
                                                 cnnmath.cross_entropy_backward, x, y)
        assert [name for name, _ in results][:3] == ["input", "0.weight", "0.bias"]


def test_train_and_eval_reach_every_layer_and_nested_blocks():
    inner = nn.BatchNorm1d(2)
    model = nn.Sequential(nn.Linear(2, 2), nn.Residual(inner, nn.ReLU()), nn.Dropout(0.3))
    assert model.eval() is model
    assert not any(layer.training for layer in (model, model[1], inner, model[2]))
    model.train()
    assert all(layer.training for layer in (model, model[1], inner, model[2]))


def test_batch_norm_layer_running_statistics_converge_to_the_data():
    rng = np.random.default_rng(0)
    layer = nn.BatchNorm2d(2, momentum=0.1)
    for _ in range(200):
        layer.forward(rng.normal([[[3.0]], [[-1.0]]], [[[2.0]], [[0.5]]], size=(16, 2, 4, 4)))
    np.testing.assert_allclose(layer.running_mean, [3.0, -1.0], atol=0.1)
    np.testing.assert_allclose(layer.running_var, [4.0, 0.25], rtol=0.1)


# --- dropout --------------------------------------------------------------------------

def test_dropout_mask_values_and_expectation():
    rng = np.random.default_rng(0)
    for p in (0.1, 0.5, 0.8):
        mask = normalization.dropout_mask((200, 500), p, rng)
        assert set(np.unique(mask)) <= {0.0, 1 / (1 - p)}
        kept = np.mean(mask > 0)
        # the kept fraction is a binomial proportion over 100,000 draws: 5 standard errors
        assert abs(kept - (1 - p)) < 5 * np.sqrt(p * (1 - p) / mask.size)
        assert abs(mask.mean() - 1) < 5 * np.sqrt(p / (1 - p) / mask.size)


def test_dropout_edges_and_dtype():
    rng = np.random.default_rng(1)
    assert np.all(normalization.dropout_mask((3, 4), 0.0, rng) == 1)
    assert np.all(normalization.dropout_mask((3, 4), 1.0, rng) == 0)
    mask = normalization.dropout_mask((3, 4), 0.5, rng, np.float32)
    x = np.ones((3, 4), np.float32)
    assert normalization.dropout(x, mask).dtype == np.float32


def test_dropout_layer_backward_uses_the_forward_mask_and_eval_is_the_identity():
    layer = nn.Dropout(0.4, rng=np.random.default_rng(2))
    x = np.random.default_rng(3).normal(size=(6, 7))
    y = layer.forward(x)
    dy = np.random.default_rng(4).normal(size=x.shape)
    dx = layer.backward(dy)
    kept = y != 0
    np.testing.assert_allclose(y[kept], x[kept] / 0.6)
    np.testing.assert_array_equal(dx[~kept], 0)
    np.testing.assert_allclose(dx[kept], dy[kept] / 0.6)
    layer.eval()
    assert layer.forward(x) is x or np.array_equal(layer.forward(x), x)
    np.testing.assert_array_equal(layer.backward(dy), dy)
