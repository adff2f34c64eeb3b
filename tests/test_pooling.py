"""Tests for cnnmath.pooling.

Oracles, all independent of the vectorised code under test:

* The loop references in cnnmath.reference.pooling (one line per index
  formula), on randomised shapes, kernels, strides, paddings, dilations and
  ceil_mode: forward and backward agree to 1e-12.
* Central differences (float64): relative error <= 1e-7. Max pooling is
  checked on inputs whose values are at least 0.1 apart, so no step of size
  1e-6 can change which element wins.
* SymPy: average and Lp pooling run on symbols through the loop reference,
  the loss sum(G * Y) is differentiated exactly and compared with the
  backward functions.
* Hand-worked numbers: ties, overlapping windows, padding as minus infinity,
  PyTorch's ceil_mode divisors, the gradient at a zero norm.
"""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import cnnmath
from cnnmath import reference
from cnnmath.gradcheck import check_backward
from cnnmath.symbolic import check_backward_exact, symbol_array

SETTINGS = dict(derandomize=True, deadline=None)


@st.composite
def pool_configs(draw, dilation=True, padding=True, side=9):
    """A valid pooling configuration and an input shape (N, C, H, W), H and W <= side."""
    k = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    stride = draw(st.one_of(st.none(), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    d = (draw(st.integers(1, 3)), draw(st.integers(1, 3))) if dilation else (1, 1)
    p = (draw(st.integers(0, k[0] // 2)), draw(st.integers(0, k[1] // 2))) if padding else (0, 0)
    ceil_mode = draw(st.booleans())
    shape = (draw(st.integers(1, 2)), draw(st.integers(1, 2)),
             draw(st.integers(1, side)), draw(st.integers(1, side)))
    for axis in range(2):
        s = k[axis] if stride is None else stride[axis]
        try:
            cnnmath.pool_output_size(shape[2 + axis], k[axis], s, p[axis], d[axis], ceil_mode)
        except ValueError:
            assume(False)
    return dict(kernel_size=k, stride=stride, padding=p, dilation=d, ceil_mode=ceil_mode,
                shape=shape, seed=draw(st.integers(0, 2**32 - 1)))


def split(config, *drop):
    """The keyword arguments of a pooling call, the input shape and an rng."""
    kwargs = {key: value for key, value in config.items()
              if key not in ("shape", "seed") + drop}
    return kwargs, config["shape"], np.random.default_rng(config["seed"])


def distinct_values(shape, rng):
    """Values at least 0.1 apart in random order: no ties, none created by a small step."""
    spaced = rng.permutation(int(np.prod(shape))) * 0.1 - 2.0
    return spaced.reshape(shape) + 0.01 * rng.random(shape)


def all_windows_hold_input(kwargs, shape):
    """False when a dilated window reads only padding (its max is -inf: no gradient check)."""
    y = cnnmath.max_pool2d(np.zeros(shape), **kwargs)
    return bool(np.all(np.isfinite(y)))


# --- against loops --------------------------------------------------------------------


@settings(max_examples=250, **SETTINGS)
@given(pool_configs())
def test_max_pool_matches_loop_reference(config):
    kwargs, shape, rng = split(config)
    x = rng.standard_normal(shape)
    x[rng.random(shape) < 0.3] = 0.5        # plenty of ties: first-maximum rule
    y = cnnmath.max_pool2d(x, **kwargs)
    np.testing.assert_array_equal(y, reference.max_pool2d(x, **kwargs))
    dy = rng.standard_normal(y.shape)
    expected = reference.max_pool2d_backward(dy, x, **kwargs)
    np.testing.assert_allclose(cnnmath.max_pool2d_backward(dy, x, **kwargs), expected,
                               rtol=0, atol=1e-12)
    # what the layer does: hand the forward's result back instead of recomputing it
    np.testing.assert_allclose(cnnmath.max_pool2d_backward(dy, x, **kwargs, output=y), expected,
                               rtol=0, atol=1e-12)


@settings(max_examples=250, **SETTINGS)
@given(pool_configs(dilation=False), st.booleans())
def test_avg_pool_matches_loop_reference(config, count_include_pad):
    kwargs, shape, rng = split(config, "dilation")
    kwargs["count_include_pad"] = count_include_pad
    x = rng.standard_normal(shape)
    y = cnnmath.avg_pool2d(x, **kwargs)
    np.testing.assert_allclose(y, reference.avg_pool2d(x, **kwargs), rtol=0, atol=1e-12)
    dy = rng.standard_normal(y.shape)
    np.testing.assert_allclose(cnnmath.avg_pool2d_backward(dy, x, **kwargs),
                               reference.avg_pool2d_backward(dy, x, **kwargs), rtol=0, atol=1e-12)


@settings(max_examples=250, **SETTINGS)
@given(pool_configs(dilation=False, padding=False), st.sampled_from([1, 2, 3, 1.5, 4.0]))
def test_lp_pool_matches_loop_reference(config, norm_type):
    kwargs, shape, rng = split(config, "dilation", "padding")
    x = rng.standard_normal(shape)
    if norm_type in (3, 1.5):                  # odd or fractional powers need x >= 0
        x = np.abs(x)
    y = cnnmath.lp_pool2d(x, norm_type, **kwargs)
    np.testing.assert_allclose(y, reference.lp_pool2d(x, norm_type, **kwargs),
                               rtol=1e-12, atol=1e-12)
    dy = rng.standard_normal(y.shape)
    np.testing.assert_allclose(cnnmath.lp_pool2d_backward(dy, x, norm_type, **kwargs),
                               reference.lp_pool2d_backward(dy, x, norm_type, **kwargs),
                               rtol=1e-12, atol=1e-12)


# --- central differences --------------------------------------------------------------


@settings(max_examples=100, **SETTINGS)
@given(pool_configs(side=6))
def test_max_pool_gradient_check(config):
    kwargs, shape, rng = split(config)
    assume(all_windows_hold_input(kwargs, shape))
    x = distinct_values(shape, rng)
    check_backward(lambda t: cnnmath.max_pool2d(t, **kwargs),
                   lambda g, t: cnnmath.max_pool2d_backward(g, t, **kwargs), [x], rng)


@settings(max_examples=100, **SETTINGS)
@given(pool_configs(dilation=False, side=6), st.booleans())
def test_avg_pool_gradient_check(config, count_include_pad):
    kwargs, shape, rng = split(config, "dilation")
    kwargs["count_include_pad"] = count_include_pad
    check_backward(lambda t: cnnmath.avg_pool2d(t, **kwargs),
                   lambda g, t: cnnmath.avg_pool2d_backward(g, t, **kwargs),
                   [rng.standard_normal(shape)], rng)


@settings(max_examples=100, **SETTINGS)
@given(pool_configs(dilation=False, padding=False, side=6), st.sampled_from([1, 2, 3, 1.5]))
def test_lp_pool_gradient_check(config, norm_type):
    kwargs, shape, rng = split(config, "dilation", "padding")
    x = rng.uniform(0.5, 1.5, shape) * rng.choice([-1, 1], shape)
    if norm_type in (3, 1.5):
        x = np.abs(x)
    check_backward(lambda t: cnnmath.lp_pool2d(t, norm_type, **kwargs),
                   lambda g, t: cnnmath.lp_pool2d_backward(g, t, norm_type, **kwargs), [x], rng)


# --- exact (SymPy) --------------------------------------------------------------------


@pytest.mark.parametrize("kwargs", [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1, count_include_pad=False),
    dict(kernel_size=(2, 3), stride=(2, 2), padding=(1, 1), ceil_mode=True),
])
def test_avg_pool_backward_is_the_exact_derivative(kwargs):
    expected = check_backward_exact(lambda t: reference.avg_pool2d(t, **kwargs),
                                    lambda g, t: reference.avg_pool2d_backward(g, t, **kwargs),
                                    {"x": (1, 1, 4, 5)})["x"]
    x = symbol_array("x", (1, 1, 4, 5))                  # the symbols the check used
    g = symbol_array("G", reference.avg_pool2d(x, **kwargs).shape)
    # The vectorised backward agrees with the exact one at a numeric point.
    rng = np.random.default_rng(1)
    xv, gv = rng.standard_normal(x.shape), rng.standard_normal(g.shape)
    subs = dict(zip(list(x.flat) + list(g.flat), list(xv.flat) + list(gv.flat)))
    exact = np.array([float(e.subs(subs)) for e in expected.flat]).reshape(x.shape)
    np.testing.assert_allclose(cnnmath.avg_pool2d_backward(gv, xv, **kwargs), exact,
                               rtol=0, atol=1e-12)


@pytest.mark.parametrize("norm_type", [1, 2, 3])
def test_lp_pool_backward_is_the_exact_derivative(norm_type):
    kwargs = dict(kernel_size=2, stride=(1, 2))
    check_backward_exact(lambda t: reference.lp_pool2d(t, norm_type, **kwargs),
                         lambda g, t: reference.lp_pool2d_backward(g, t, norm_type, **kwargs),
                         {"x": (1, 1, 3, 4)}, positive=True)


# --- hand-worked ----------------------------------------------------------------------


def image(rows):
    return np.array(rows, dtype=float)[None, None]


def test_max_pool_tie_goes_to_the_first_maximum_in_row_major_order():
    x = image([[1, 3],
               [3, 2]])
    dx = cnnmath.max_pool2d_backward(np.ones((1, 1, 1, 1)), x, 2)
    np.testing.assert_array_equal(dx[0, 0], [[0, 1], [0, 0]])
    x = image([[5, 5, 5]] * 3)                 # all tied: the top-left of each window wins
    dx = cnnmath.max_pool2d_backward(np.ones((1, 1, 2, 2)), x, 2, stride=1)
    np.testing.assert_array_equal(dx[0, 0], [[1, 1, 0], [1, 1, 0], [0, 0, 0]])


def test_max_pool_layer_routes_through_its_forward_maxima():
    x = image([[1, 3, 0, 0],
               [3, 2, 0, 7]])
    layer = cnnmath.nn.MaxPool2d(2)
    np.testing.assert_array_equal(layer.forward(x)[0, 0], [[3, 7]])
    dx = layer.backward(np.array([[[[10.0, 20.0]]]]))
    np.testing.assert_array_equal(dx[0, 0], [[0, 10, 0, 0], [0, 0, 0, 20]])


def test_max_pool_overlapping_windows_add_their_gradients():
    x = image([[0, 0, 0],
               [0, 9, 0],
               [0, 0, 0]])
    dy = image([[1, 2],
                [3, 4]])
    dx = cnnmath.max_pool2d_backward(dy, x, 2, stride=1)
    np.testing.assert_array_equal(dx[0, 0], [[0, 0, 0], [0, 10, 0], [0, 0, 0]])


def test_max_pool_padding_never_wins():
    x = -image([[1, 2],
                [3, 4]])
    y = cnnmath.max_pool2d(x, 2, stride=1, padding=1)
    np.testing.assert_array_equal(y[0, 0], [[-1, -1, -2], [-1, -1, -2], [-3, -3, -4]])
    dx = cnnmath.max_pool2d_backward(np.ones_like(y), x, 2, stride=1, padding=1)
    np.testing.assert_array_equal(dx[0, 0], [[4, 2], [2, 1]])


def test_max_pool_window_of_padding_only_gives_minus_infinity_and_no_gradient():
    # kernel 2, dilation 2, padding 1 on a 1-pixel row: taps at -1 and 1, both outside.
    x = image([[7.0]])
    y = cnnmath.max_pool2d(x, (1, 2), stride=1, padding=(0, 1), dilation=(1, 2))
    np.testing.assert_array_equal(y[0, 0], [[-np.inf]])
    dx = cnnmath.max_pool2d_backward(np.ones_like(y), x, (1, 2), 1, (0, 1), (1, 2))
    np.testing.assert_array_equal(dx, 0)


def test_avg_pool_ceil_mode_divisors_follow_pytorch():
    # Values PyTorch prints for AvgPool2d(2, stride=3, ceil_mode=True) on arange(49).
    x = np.arange(49.0).reshape(1, 1, 7, 7)
    y = cnnmath.avg_pool2d(x, 2, stride=3, ceil_mode=True)
    np.testing.assert_allclose(y[0, 0], [[4, 7, 9.5], [25, 28, 30.5], [42.5, 45.5, 48]])
    # With padding the divisor counts padding but not the overhang beyond it.
    x = np.ones((1, 1, 1, 4))
    y = cnnmath.avg_pool2d(x, (1, 3), stride=(1, 2), padding=(0, 1), ceil_mode=True)
    # windows over padded columns [-1, 2), [1, 4), [3, 6) -> divisors 3, 3, 2 (column 5 is overhang)
    np.testing.assert_allclose(y[0, 0, 0], [2 / 3, 1, 1 / 2])
    y = cnnmath.avg_pool2d(x, (1, 3), stride=(1, 2), padding=(0, 1), ceil_mode=True,
                           count_include_pad=False)
    np.testing.assert_allclose(y[0, 0, 0], [1, 1, 1])


def test_lp_pool_hand_values_and_zero_norm():
    x = image([[3, 4, 0, 0],
               [0, 0, 0, 0]])
    y = cnnmath.lp_pool2d(x, 2, 2)
    np.testing.assert_allclose(y[0, 0], [[5, 0]])
    dx = cnnmath.lp_pool2d_backward(np.ones_like(y), x, 2, 2)
    np.testing.assert_allclose(dx[0, 0], [[0.6, 0.8, 0, 0], [0, 0, 0, 0]])   # x / norm; 0 at norm 0
    assert np.all(np.isfinite(dx))
    np.testing.assert_allclose(cnnmath.lp_pool2d(x, 1, 2)[0, 0], [[7, 0]])
    np.testing.assert_allclose(cnnmath.lp_pool2d_backward(np.ones((1, 1, 1, 2)), x, 1, 2), 1)


def test_float32_is_preserved():
    x = np.random.default_rng(0).random((1, 2, 5, 5)).astype(np.float32)
    for y in (cnnmath.max_pool2d(x, 2), cnnmath.avg_pool2d(x, 2), cnnmath.lp_pool2d(x, 2, 2)):
        assert y.dtype == np.float32
    dy = np.ones((1, 2, 2, 2), dtype=np.float32)
    assert cnnmath.max_pool2d_backward(dy, x, 2).dtype == np.float32
    assert cnnmath.avg_pool2d_backward(dy, x, 2).dtype == np.float32
    assert cnnmath.lp_pool2d_backward(dy, x, 2, 2).dtype == np.float32


@pytest.mark.parametrize("call, message", [
    (lambda x: cnnmath.max_pool2d(x[0], 2), "x must have 4 dimensions"),
    (lambda x: cnnmath.max_pool2d(x, 2, padding=2), "padding must be at most half"),
    (lambda x: cnnmath.max_pool2d(x, 2, stride=0), "stride must be >= 1"),
    (lambda x: cnnmath.avg_pool2d(x, 7), "kernel_size=7"),
    (lambda x: cnnmath.max_pool2d_backward(np.ones((1, 1, 3, 3)), x, 2), "dy must have the shape"),
    (lambda x: cnnmath.lp_pool2d(x, 0.5, 2), r"norm_type must lie in \[1, inf\), got 0.5"),
    (lambda x: cnnmath.lp_pool2d(x - 2, 1.5, 2), "x must be nonnegative"),
    (lambda x: cnnmath.lp_pool2d(x - 2, 3, 2), "is negative"),
])
def test_bad_arguments_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call(np.ones((1, 1, 4, 4)))


def test_wrong_types_are_named():
    with pytest.raises(TypeError, match="count_include_pad"):
        cnnmath.avg_pool2d(np.ones((1, 1, 4, 4)), 2, count_include_pad=1)
    with pytest.raises(TypeError, match="norm_type"):
        cnnmath.lp_pool2d(np.ones((1, 1, 4, 4)), "2", 2)
