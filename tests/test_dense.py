"""Tests for cnnmath.dense.

Oracles: the loop reference (cnnmath.reference.dense), SymPy's exact
derivative of sum(G * linear(X, W, b)), central differences (float64,
relative error <= 1e-7), and hand-worked numbers.
"""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import cnnmath
from cnnmath import reference
from cnnmath.gradcheck import numerical_gradient, relative_error
from cnnmath.symbolic import assert_exactly_equal, gradient, symbol_array

SETTINGS = dict(derandomize=True, deadline=None)
sizes = st.tuples(st.integers(1, 5), st.integers(1, 6), st.integers(1, 6),
                  st.integers(0, 2**32 - 1))


@settings(max_examples=200, **SETTINGS)
@given(sizes, st.booleans())
def test_linear_matches_loop_reference(size, with_bias):
    batch, n_in, n_out, seed = size
    rng = np.random.default_rng(seed)
    x, w = rng.standard_normal((batch, n_in)), rng.standard_normal((n_out, n_in))
    b = rng.standard_normal(n_out) if with_bias else None
    y = cnnmath.linear(x, w, b)
    np.testing.assert_allclose(y, reference.linear(x, w, b), rtol=0, atol=1e-12)
    dy = rng.standard_normal(y.shape)
    for fast, slow in zip(cnnmath.linear_backward(dy, x, w), reference.linear_backward(dy, x, w)):
        np.testing.assert_allclose(fast, slow, rtol=0, atol=1e-12)


@settings(max_examples=150, **SETTINGS)
@given(sizes)
def test_linear_gradient_check(size):
    batch, n_in, n_out, seed = size
    rng = np.random.default_rng(seed)
    x, w, b = (rng.standard_normal(s) for s in ((batch, n_in), (n_out, n_in), (n_out,)))
    g = rng.standard_normal((batch, n_out))
    dx, dw, db = cnnmath.linear_backward(g, x, w)
    numeric = (numerical_gradient(lambda t: np.sum(g * cnnmath.linear(t, w, b)), x),
               numerical_gradient(lambda t: np.sum(g * cnnmath.linear(x, t, b)), w),
               numerical_gradient(lambda t: np.sum(g * cnnmath.linear(x, w, t)), b))
    for analytic, expected in zip((dx, dw, db), numeric):
        assert relative_error(analytic, expected) <= 1e-7


def test_linear_backward_is_the_exact_derivative():
    x, w, b = symbol_array("x", (2, 3)), symbol_array("w", (4, 3)), symbol_array("b", 4)
    g = symbol_array("g", (2, 4))
    loss = sp.expand(np.sum(g * cnnmath.linear(x, w, b)))
    dx, dw, db = cnnmath.linear_backward(g, x, w)
    assert_exactly_equal(dx, gradient(loss, x))
    assert_exactly_equal(dw, gradient(loss, w))
    assert_exactly_equal(db, gradient(loss, b))


def test_hand_worked_numbers():
    x = np.array([[1.0, 2.0]])
    w = np.array([[1.0, 0.0], [3.0, -1.0], [0.5, 0.5]])
    np.testing.assert_array_equal(cnnmath.linear(x, w, [0, 1, 2]), [[1, 2, 3.5]])
    dx, dw, db = cnnmath.linear_backward(np.array([[1.0, 1.0, 2.0]]), x, w)
    np.testing.assert_array_equal(dx, [[5, 0]])
    np.testing.assert_array_equal(dw, [[1, 2], [1, 2], [2, 4]])
    np.testing.assert_array_equal(db, [1, 1, 2])


def test_leading_axes_are_carried_and_summed():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((2, 3, 4)), rng.standard_normal((5, 4))
    dy = rng.standard_normal((2, 3, 5))
    y = cnnmath.linear(x, w)
    assert y.shape == (2, 3, 5)
    dx, dw, db = cnnmath.linear_backward(dy, x, w)
    flat = reference.linear_backward(dy.reshape(6, 5), x.reshape(6, 4), w)
    np.testing.assert_allclose(dx, flat[0].reshape(2, 3, 4), atol=1e-12)
    np.testing.assert_allclose(dw, flat[1], atol=1e-12)
    np.testing.assert_allclose(db, flat[2], atol=1e-12)


def test_float32_is_preserved():
    x, w = np.ones((2, 3), np.float32), np.ones((4, 3), np.float32)
    assert cnnmath.linear(x, w, np.zeros(4, np.float32)).dtype == np.float32
    grads = cnnmath.linear_backward(np.ones((2, 4), np.float32), x, w)
    assert all(a.dtype == np.float32 for a in grads)


@pytest.mark.parametrize("call, message", [
    (lambda: cnnmath.linear(np.ones((2, 3)), np.ones((4, 2))),
     r"expected x.shape\[-1\] == w.shape\[1\]"),
    (lambda: cnnmath.linear(np.ones((2, 3)), np.ones(3)), "w must have 2 dimensions"),
    (lambda: cnnmath.linear(np.ones((2, 3)), np.ones((4, 3)), np.ones(3)), "b must have shape"),
    (lambda: cnnmath.linear_backward(np.ones((2, 3)), np.ones((2, 3)), np.ones((4, 3))),
     "dy must have"),
])
def test_bad_shapes_are_named(call, message):
    with pytest.raises(ValueError, match=message):
        call()
