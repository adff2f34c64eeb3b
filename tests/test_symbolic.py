"""cnnmath.symbolic, and the exact proof of conv2d_backward on symbols."""

import re

import numpy as np
import pytest
import sympy as sp

import cnnmath
from cnnmath import reference
from cnnmath.symbolic import (
    as_matrix, assert_exactly_equal, check_backward_exact, exactly_equal, gradient, symbol_array,
)


def test_symbol_array_has_distinct_indexed_symbols():
    a = symbol_array("x", (2, 3))
    assert a.shape == (2, 3) and a.dtype == object
    assert str(a[1, 2]) == "x_{1,2}"
    assert len(set(a.ravel())) == 6
    assert a[0, 0].is_real
    assert symbol_array("b", 3).shape == (3,)
    assert symbol_array("p", 2, positive=True)[1].is_positive
    assert symbol_array("x", 2)[0].is_positive is None
    with pytest.raises(ValueError, match="non-empty"):
        symbol_array("", (2,))
    with pytest.raises(TypeError, match="name must be a string"):
        symbol_array(3, (2,))
    with pytest.raises(TypeError, match="shape must be an int or a tuple of ints"):
        symbol_array("x", (2.0,))
    with pytest.raises(ValueError, match=r"dimensions >= 0, got \(2, -1\)"):
        symbol_array("x", (2, -1))


def test_gradient_of_a_polynomial():
    x = symbol_array("x", (2,))
    expr = x[0] ** 2 * x[1] + 3 * x[1]
    grad = gradient(expr, x)
    assert grad[0] == 2 * x[0] * x[1]
    assert grad[1] == x[0] ** 2 + 3


def test_exact_comparison_simplifies_and_rejects_differences():
    t = sp.Symbol("t", real=True)
    assert exactly_equal([sp.sin(t) ** 2 + sp.cos(t) ** 2, (t + 1) ** 2], [1, t**2 + 2 * t + 1])
    assert not exactly_equal([t], [t + sp.Rational(1, 10**30)])
    with pytest.raises(AssertionError, match=r"entry \(1,\)"):
        assert_exactly_equal([t, t], [t, 2 * t])
    with pytest.raises(ValueError, match="same shape"):
        exactly_equal([t], [t, t])


def test_as_matrix():
    assert as_matrix(np.array([[1, 2], [3, 4]], dtype=object)) == sp.Matrix([[1, 2], [3, 4]])
    with pytest.raises(ValueError):
        as_matrix(np.zeros((1, 1, 1)))


@pytest.mark.parametrize("shape_x, shape_w, kwargs", [
    ((1, 1, 3, 3), (1, 1, 2, 2), {}),
    ((1, 2, 3, 3), (2, 2, 2, 1), dict(padding=1)),
    ((1, 1, 4, 5), (1, 1, 2, 2), dict(stride=2, dilation=(1, 2))),
    ((1, 1, 3, 3), (1, 1, 2, 2), dict(padding="same")),
])
def test_conv2d_backward_is_the_exact_gradient(shape_x, shape_w, kwargs):
    # L = sum(G * conv2d(x, w, b)) with every entry a symbol: sympy's derivatives of L
    # must equal conv2d_backward(G, ...) exactly, for the fast code and the loops.
    shapes = {"x": shape_x, "w": shape_w, "b": (shape_w[0],)}
    for backward in (cnnmath.conv2d_backward, reference.conv2d_backward):
        exact = check_backward_exact(lambda x, w, b: reference.conv2d(x, w, b, **kwargs),
                                     lambda g, x, w, b: backward(g, x, w, **kwargs), shapes)
        assert [e.shape for e in exact.values()] == list(shapes.values())


def linear_backward_with_bias(g, x, w, b):
    return cnnmath.linear_backward(g, x, w)


LINEAR_SHAPES = {"x": (2, 3), "w": (2, 3), "b": (2,)}


def test_check_backward_exact_returns_the_exact_gradients():
    exact = check_backward_exact(cnnmath.linear, linear_backward_with_bias, LINEAR_SHAPES)
    g, x = symbol_array("G", (2, 2)), symbol_array("x", (2, 3))
    # d/dw[i, j] of sum_n,i G[n, i] (x[n] . w[i] + b[i]) is sum_n G[n, i] x[n, j], by hand:
    assert exact["w"][1, 2] == g[0, 1] * x[0, 2] + g[1, 1] * x[1, 2]
    assert exact["b"][0] == g[0, 0] + g[1, 0]


@pytest.mark.parametrize("factor", [sp.Rational(101, 100), -1])
def test_check_backward_exact_fails_a_backward_off_by_a_factor(factor):
    def wrong(g, x, w, b):
        dx, dw, db = cnnmath.linear_backward(g, x, w)
        return dx, factor * dw, db

    with pytest.raises(AssertionError, match=r"d/dw differs at entry \(0, 0\)"):
        check_backward_exact(cnnmath.linear, wrong, LINEAR_SHAPES)


def test_check_backward_exact_on_positive_symbols_and_one_input():
    # d/dx of sum(G * sqrt(x)) = G / (2 sqrt(x)); sqrt needs x > 0 to stay real.
    check_backward_exact(lambda x: np.vectorize(sp.sqrt)(x),
                         lambda g, x: g / (2 * np.vectorize(sp.sqrt)(x)), {"x": (2, 2)},
                         positive=True)
    with pytest.raises(AssertionError, match=r"d/dx has shape \(2,\), expected \(2, 2\)"):
        check_backward_exact(lambda x: 2 * x, lambda g, x: 2 * g[0], {"x": (2, 2)})


@pytest.mark.parametrize("call, error, message", [
    (lambda: check_backward_exact("f", linear_backward_with_bias, LINEAR_SHAPES), TypeError,
     "forward must be callable"),
    (lambda: check_backward_exact(cnnmath.linear, linear_backward_with_bias, [(2, 3)]),
     TypeError, "shapes must be a dict"),
    (lambda: check_backward_exact(lambda G: G, lambda g, G: g, {"G": (2,)}), ValueError,
     "not 'G'"),
    (lambda: check_backward_exact(cnnmath.linear, lambda g, x, w, b: (g, g), LINEAR_SHAPES),
     ValueError, "one gradient per input (3), got 2"),
])
def test_check_backward_exact_bad_arguments(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


def test_gradient_termwise_equals_plain_differentiation():
    # gradient() differentiates term by term; compare with sympy.diff of the whole expression.
    x = symbol_array("x", (3,))
    expr = (sp.sin(x[0] * x[1]) + x[2] ** 3 * sp.exp(x[0]) + (x[1] + x[2]) ** 2 + 7
            + 4 * x[0] * x[1] + x[0] * sp.cos(x[0]))
    grad = gradient(expr, x)
    for index in range(3):
        assert sp.simplify(grad[index] - sp.diff(expr, x[index])) == 0
    assert gradient(sp.Integer(5), x).tolist() == [0, 0, 0]
    with pytest.raises(ValueError, match="distinct"):
        gradient(expr, [x[0], x[0]])
    with pytest.raises(TypeError, match="must hold SymPy symbols"):
        gradient(expr, [x[0] + 1])
