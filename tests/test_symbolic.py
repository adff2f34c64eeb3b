"""cnnmath.symbolic, and the exact proof of conv2d_backward on symbols."""

import numpy as np
import pytest
import sympy as sp

import cnnmath
from cnnmath import reference
from cnnmath.symbolic import as_matrix, assert_exactly_equal, exactly_equal, gradient, symbol_array


def test_symbol_array_has_distinct_indexed_symbols():
    a = symbol_array("x", (2, 3))
    assert a.shape == (2, 3) and a.dtype == object
    assert str(a[1, 2]) == "x_{1,2}"
    assert len(set(a.ravel())) == 6
    assert a[0, 0].is_real
    assert symbol_array("b", 3).shape == (3,)
    with pytest.raises(TypeError):
        symbol_array("", (2,))


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
    x, w = symbol_array("x", shape_x), symbol_array("w", shape_w)
    b = symbol_array("b", shape_w[0])
    y = reference.conv2d(x, w, b, **kwargs)
    g = symbol_array("g", y.shape)
    loss = sp.expand(np.sum(g * y))
    for backward in (cnnmath.conv2d_backward, reference.conv2d_backward):
        dx, dw, db = backward(g, x, w, **kwargs)
        assert_exactly_equal(dx, gradient(loss, x))
        assert_exactly_equal(dw, gradient(loss, w))
        assert_exactly_equal(db, gradient(loss, b))


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
    with pytest.raises(ValueError, match="distinct"):
        gradient(expr, [x[0] + 1])
