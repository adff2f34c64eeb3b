"""Tests for cnnmath.activations.

Oracles, all independent of the code under test:

* SymPy: each activation is written as a SymPy expression (a Piecewise for the
  kinked ones), differentiated symbolically, and evaluated with mpmath at 50
  digits; forward and backward must agree to a relative 1e-12 on a grid that
  includes 0 and the extremes +-1000, +-1e4.
* The softmax and log-softmax Jacobians are built by SymPy from the definition
  and compared with the closed forms diag(s) - s s^T and I - 1 s^T.
* Central differences (float64) away from the kinks, relative error <= 1e-7.
"""

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import cnnmath
from cnnmath import activations as act
from cnnmath.gradcheck import check_backward

mpmath.mp.dps = 50

t = sp.Symbol("t", real=True)
NEGATIVE_SLOPE = 0.2
ALPHA = 1.5

# name -> (SymPy expression in t, keyword arguments of the cnnmath function).
# Kinked functions branch on t > 0, so SymPy's derivative at t = 0 is the
# left branch: exactly PyTorch's convention, which the library promises.
SYMPY_ACTIVATIONS = {
    "relu": (sp.Piecewise((t, t > 0), (0, True)), {}),
    "leaky_relu": (
        sp.Piecewise((t, t > 0), (sp.Float(NEGATIVE_SLOPE, 50) * t, True)),
        {"negative_slope": NEGATIVE_SLOPE},
    ),
    "elu": (
        sp.Piecewise((t, t > 0), (sp.Float(ALPHA, 50) * (sp.exp(t) - 1), True)),
        {"alpha": ALPHA},
    ),
    "sigmoid": (1 / (1 + sp.exp(-t)), {}),
    "tanh": ((sp.exp(t) - sp.exp(-t)) / (sp.exp(t) + sp.exp(-t)), {}),
    "softplus": (sp.log(1 + sp.exp(t)), {}),
}
ELEMENTWISE = list(SYMPY_ACTIVATIONS)

EXTREMES = [-1e4, -1000.0, -1e-12, 0.0, 1e-12, 1000.0, 1e4]
GRID = np.concatenate([np.linspace(-40, 40, 161), np.linspace(-2, 2, 41), EXTREMES])


def exact(expr, values):
    """Evaluate a SymPy expression of t at each value with 50-digit mpmath."""
    f = sp.lambdify(t, expr, "mpmath")
    return np.array([float(f(mpmath.mpf(float(v)))) for v in values])


def forward_backward(name):
    return getattr(act, name), getattr(act, name + "_backward")


# --- Elementwise activations against SymPy --------------------------------------------

@pytest.mark.parametrize("name", ELEMENTWISE)
def test_forward_matches_sympy(name):
    expr, kwargs = SYMPY_ACTIVATIONS[name]
    f, _ = forward_backward(name)
    np.testing.assert_allclose(f(GRID, **kwargs), exact(expr, GRID), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_backward_matches_sympy_derivative(name):
    expr, kwargs = SYMPY_ACTIVATIONS[name]
    _, f_backward = forward_backward(name)
    derivative = exact(sp.diff(expr, t), GRID)
    dy = np.random.default_rng(0).normal(size=GRID.shape)
    np.testing.assert_allclose(f_backward(np.ones_like(GRID), GRID, **kwargs), derivative,
                               rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(f_backward(dy, GRID, **kwargs), dy * derivative,
                               rtol=1e-12, atol=1e-300)


def test_closed_form_derivatives():
    """The identities the backward passes are built on, exactly."""
    s = 1 / (1 + sp.exp(-t))
    assert sp.simplify(sp.diff(s, t) - s * (1 - s)) == 0
    assert sp.simplify(sp.diff(s, t) - s * s.subs(t, -t)) == 0
    assert sp.simplify(sp.diff(sp.tanh(t), t) - (1 - sp.tanh(t) ** 2)) == 0
    e = sp.exp(-2 * t)  # the backward's form for t >= 0, mirrored for t < 0
    assert sp.simplify(sp.diff(sp.tanh(t), t) - 4 * e / (1 + e) ** 2) == 0
    assert sp.simplify(sp.diff(sp.log(1 + sp.exp(t)), t) - s) == 0


def test_pytorch_values_at_the_kinks():
    zero = np.zeros(3)
    dy = np.array([1.0, -2.0, 3.0])
    np.testing.assert_array_equal(act.relu_backward(dy, zero), 0.0)
    np.testing.assert_array_equal(act.leaky_relu_backward(dy, zero, negative_slope=0.3), 0.3 * dy)
    np.testing.assert_array_equal(act.elu_backward(dy, zero, alpha=2.0), 2.0 * dy)
    np.testing.assert_array_equal(act.leaky_relu_backward(dy, zero), 0.01 * dy)
    np.testing.assert_array_equal(act.elu_backward(dy, zero), dy)


def test_relu_backward_blocks_infinite_and_nan_upstream_gradients():
    # The fast form dy * (x > 0) would give inf * 0 = NaN; PyTorch, and we, give 0.
    x = np.array([-1.0, 0.0, 2.0, -3.0, 4.0])
    dy = np.array([np.inf, -np.inf, 5.0, np.nan, np.inf])
    np.testing.assert_array_equal(act.relu_backward(dy, x), [0.0, 0.0, 5.0, 0.0, np.inf])
    dy32 = dy.astype(np.float32)
    assert act.relu_backward(dy32, x.astype(np.float32)).dtype == np.float32


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_central_differences_away_from_kinks(name):
    _, kwargs = SYMPY_ACTIVATIONS[name]
    f, f_backward = forward_backward(name)
    rng = np.random.default_rng(1)
    x = rng.uniform(-4, 4, size=(3, 5))
    x[np.abs(x) < 1e-2] = 0.5  # a central difference straddling a kink is meaningless
    check_backward(lambda z: f(z, **kwargs), lambda g, z: f_backward(g, z, **kwargs), [x], rng)


# --- Softmax and log-softmax ----------------------------------------------------------

def sympy_softmax(c):
    z = sp.symbols(f"z0:{c}", real=True)
    total = sum(sp.exp(zi) for zi in z)
    s = sp.Matrix([sp.exp(zi) / total for zi in z])
    return sp.Matrix(z), s


def test_softmax_jacobian_closed_forms_exact():
    for c in (2, 3, 4):
        z, s = sympy_softmax(c)
        jacobian = s.jacobian(z)
        assert sp.simplify(jacobian - (sp.diag(*s) - s * s.T)) == sp.zeros(c, c)
        log_s = s.applyfunc(sp.log)
        assert sp.simplify(log_s.jacobian(z) - (sp.eye(c) - sp.ones(c, 1) * s.T)) == sp.zeros(c, c)


@pytest.mark.parametrize("c", [2, 5])
def test_softmax_and_log_softmax_against_sympy_jacobian(c):
    z, s = sympy_softmax(c)
    forward = {"softmax": s, "log_softmax": s.applyfunc(sp.log)}
    rng = np.random.default_rng(c)
    for x in (rng.normal(scale=3, size=c), np.linspace(-1000, 1000, c)):
        dy = rng.normal(size=c)
        at = {zi: mpmath.mpf(float(xi)) for zi, xi in zip(z, x)}
        for name, expr in forward.items():
            f, f_backward = forward_backward(name)
            value = np.array([float(sp.N(e.subs(at), 30)) for e in expr])
            jacobian = np.array(sp.N(expr.jacobian(z).subs(at), 30), dtype=np.float64)
            np.testing.assert_allclose(f(x), value, rtol=1e-12, atol=1e-300)
            np.testing.assert_allclose(f_backward(dy, x), jacobian.T @ dy, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("axis", [0, 1, -1, -3])
def test_softmax_along_any_axis_matches_slices(name, axis):
    f, f_backward = forward_backward(name)
    rng = np.random.default_rng(2)
    x = rng.normal(size=(3, 4, 5))
    dy = rng.normal(size=x.shape)
    moved_x = np.moveaxis(x, axis, -1).reshape(-1, x.shape[axis])
    moved_dy = np.moveaxis(dy, axis, -1).reshape(-1, x.shape[axis])
    expected = np.stack([f(row) for row in moved_x])
    expected_dx = np.stack([f_backward(g, row) for g, row in zip(moved_dy, moved_x)])
    shape = np.moveaxis(x, axis, -1).shape
    np.testing.assert_allclose(f(x, axis=axis), np.moveaxis(expected.reshape(shape), -1, axis),
                               rtol=1e-14)
    np.testing.assert_allclose(f_backward(dy, x, axis=axis),
                               np.moveaxis(expected_dx.reshape(shape), -1, axis), rtol=1e-12)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_central_differences(name):
    f, f_backward = forward_backward(name)
    rng = np.random.default_rng(3)
    x = rng.normal(scale=2, size=(4, 6))
    for axis in (0, 1):
        check_backward(lambda z: f(z, axis=axis), lambda g, z: f_backward(g, z, axis=axis),
                       [x], rng)


@settings(derandomize=True, deadline=None, max_examples=60)
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=5),
                  elements=st.floats(-1e4, 1e4)),
       st.floats(-1e3, 1e3))
def test_softmax_properties(x, shift):
    s = act.softmax(x)
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(s.sum(axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.exp(act.log_softmax(x)), s, rtol=1e-9, atol=1e-300)
    # Shift invariance: the reason subtracting the maximum is allowed.
    np.testing.assert_allclose(act.softmax(x + shift), s, rtol=1e-9, atol=1e-12)


# --- Extreme inputs, dtypes -----------------------------------------------------------

ALL = ELEMENTWISE + ["softmax", "log_softmax"]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ALL)
def test_extreme_inputs_give_finite_values_and_gradients(name, dtype):
    f, f_backward = forward_backward(name)
    x = np.array(EXTREMES, dtype=dtype)
    y = f(x)
    dx = f_backward(np.ones_like(x), x)
    assert y.dtype == dtype and dx.dtype == dtype
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(dx))


def test_extreme_values():
    assert act.sigmoid(np.array(-1000.0)) == 0.0
    assert act.sigmoid(np.array(1000.0)) == 1.0
    assert act.softplus(np.array(1000.0)) == 1000.0
    assert act.softplus(np.array(-1000.0)) == 0.0
    # exp(-1000) underflows to 0, but sigma'(-40) = e^-40 / (1 + e^-40)^2 keeps its digits.
    np.testing.assert_allclose(act.sigmoid_backward(np.ones(1), np.array([-40.0])),
                               np.exp(-40.0), rtol=1e-14)
    np.testing.assert_allclose(act.tanh_backward(np.ones(1), np.array([30.0])),
                               4 * np.exp(-60.0), rtol=1e-12)
    np.testing.assert_allclose(act.softmax(np.array([1000.0, 1001.0])),
                               act.softmax(np.array([0.0, 1.0])), rtol=1e-15)
    np.testing.assert_allclose(act.log_softmax(np.array([1000.0, 1001.0])),
                               [-np.log1p(np.e), -np.log1p(np.exp(-1.0))], rtol=1e-14)


@pytest.mark.parametrize("name", ALL)
def test_float32_agrees_with_float64(name):
    f, f_backward = forward_backward(name)
    x = np.random.default_rng(4).normal(scale=5, size=50)
    x32 = x.astype(np.float32)
    dy = np.ones_like(x32)
    np.testing.assert_allclose(f(x32), f(x32.astype(np.float64)), rtol=2e-6, atol=1e-6)
    x64, dy64 = x32.astype(np.float64), dy.astype(np.float64)
    np.testing.assert_allclose(f_backward(dy, x32), f_backward(dy64, x64), rtol=2e-6, atol=1e-6)


def test_integer_input_becomes_float64():
    assert act.relu(np.array([-1, 2])).dtype == np.float64
    np.testing.assert_array_equal(act.relu([-1, 2]), [0.0, 2.0])


def test_top_level_exports():
    for name in ALL:
        assert getattr(cnnmath, name) is getattr(act, name)
        assert getattr(cnnmath, name + "_backward") is getattr(act, name + "_backward")


# --- Bad input ------------------------------------------------------------------------

@pytest.mark.parametrize("name", ALL)
def test_bad_input_is_rejected(name):
    f, f_backward = forward_backward(name)
    with pytest.raises(TypeError, match="x must be an array"):
        f("abc")
    with pytest.raises(TypeError, match="x must be an array of real numbers"):
        f(np.array([1 + 2j]))
    shape_message = rf"dy must have the shape of {name}'s output \(4,\), got \(3,\)"
    with pytest.raises(ValueError, match=shape_message):
        f_backward(np.ones(3), np.ones(4))


def test_bad_keywords_are_rejected():
    x = np.ones(3)
    with pytest.raises(TypeError, match="negative_slope must be a real number"):
        act.leaky_relu(x, negative_slope="0.1")
    with pytest.raises(ValueError, match="alpha must be finite"):
        act.elu_backward(x, x, alpha=np.inf)
    axis_message = r"axis must be in \[-2, 1\] for x of shape \(2, 3\), got 2"
    with pytest.raises(ValueError, match=axis_message):
        act.softmax(np.ones((2, 3)), axis=2)
    with pytest.raises(TypeError, match="axis must be an int"):
        act.log_softmax(x, axis=0.0)
    with pytest.raises(ValueError, match="axis must be in"):
        act.softmax(np.array(1.0))
    with pytest.raises(ValueError, match="at least one entry along axis"):
        act.softmax(np.ones((2, 0)))
