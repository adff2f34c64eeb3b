"""Tests for cnnmath.dense.

Oracles: the loop reference (cnnmath.reference.dense), SymPy's exact
derivative of sum(G * linear(X, W, b)), central differences (float64,
relative error <= 1e-7), and hand-worked numbers.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cnnmath
from cnnmath import reference
from cnnmath.gradcheck import check_backward
from cnnmath.symbolic import check_backward_exact

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
    check_backward(cnnmath.linear, lambda g, x, w, b: cnnmath.linear_backward(g, x, w),
                   [x, w, b], rng)


def test_linear_backward_is_the_exact_derivative():
    check_backward_exact(cnnmath.linear, lambda g, x, w, b: cnnmath.linear_backward(g, x, w),
                         {"x": (2, 3), "w": (4, 3), "b": (4,)})


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
    dy = np.ones((2, 4), np.float32)
    assert all(a.dtype == np.float32 for a in cnnmath.linear_backward(dy, x, w))


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
