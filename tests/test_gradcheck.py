"""cnnmath.gradcheck on functions whose derivatives are known in closed form."""

import re

import numpy as np
import pytest

import cnnmath
from cnnmath.gradcheck import (
    BackwardCheck, GradientCheck, check_backward, check_gradient, numerical_gradient,
    relative_error,
)


def test_numerical_gradient_of_known_functions():
    x = np.array([[0.3, -1.2], [2.0, 0.7]])
    # d/dx sum(x^3) = 3 x^2; d/dx sum(sin x) = cos x.
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(v**3), x), 3 * x**2, rtol=1e-8)
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(np.sin(v)), x), np.cos(x),
                               rtol=1e-8)


def test_central_difference_is_exact_for_quadratics():
    # (f(x+e) - f(x-e)) / 2e has no truncation error for a quadratic: only rounding remains.
    a = np.array([[2.0, 1.0], [1.0, 3.0]])
    x = np.array([0.5, -0.25])
    grad = numerical_gradient(lambda v: v @ a @ v, x)
    np.testing.assert_allclose(grad, 2 * a @ x, atol=1e-9)


def test_numerical_gradient_leaves_input_alone_and_returns_float64():
    x = np.array([1.0, 2.0], dtype=np.float32)
    grad = numerical_gradient(lambda v: np.sum(v**2), x)
    assert grad.dtype == np.float64
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_relative_error_is_measured_against_the_larger_scale():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([0.0, 0.0], [0.0, 0.0]) == 0.0
    # max |a - b| = 0.5, max(|a|, |b|) = 10  ->  0.05, whatever the tiny entries do.
    assert relative_error([10.0, 1e-20], [9.5, -1e-20]) == pytest.approx(0.05)
    assert relative_error([1.0], [-1.0]) == pytest.approx(2.0)
    with pytest.raises(ValueError, match="same shape"):
        relative_error(np.zeros(2), np.zeros(3))


def test_check_gradient_passes_a_right_gradient_and_reports_it():
    x = np.linspace(-1, 1, 6).reshape(2, 3)
    result = check_gradient(lambda v: np.sum(np.exp(v)), x, np.exp(x))
    assert isinstance(result, GradientCheck)
    assert result.error < 1e-8
    assert "relative error" in str(result)


def test_check_gradient_names_the_worst_entry_of_a_wrong_gradient():
    x = np.arange(6.0).reshape(2, 3)
    wrong = 2 * x
    wrong[1, 2] += 0.5                       # one planted mistake
    with pytest.raises(AssertionError) as info:
        check_gradient(lambda v: np.sum(v**2), x, wrong)
    message = str(info.value)
    assert "worst entry (1, 2)" in message and "analytic 10.5" in message
    assert re.search(r"numerical (9\.99999|10(\.0000|$|\b))", message)


def test_check_gradient_catches_a_wrong_conv_backward():
    # Dropping the 180-degree rotation (a classic mistake) must fail the check.
    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(1, 1, 5, 5)), rng.normal(size=(1, 1, 3, 3))
    g = rng.normal(size=(1, 1, 3, 3))
    unrotated = cnnmath.conv2d(g, w.transpose(1, 0, 2, 3), padding="full")
    with pytest.raises(AssertionError, match="gradient check failed"):
        check_gradient(lambda v: np.sum(g * cnnmath.conv2d(v, w)), x, unrotated)


def wrong_by(factor, backward):
    """A backward that returns every gradient multiplied by ``factor``."""
    def wrong(g, *inputs):
        grads = backward(g, *inputs)
        return tuple(factor * d for d in grads) if isinstance(grads, tuple) else factor * grads
    return wrong


def linear_case():
    rng = np.random.default_rng(4)
    x, w, b = rng.normal(size=(3, 4)), rng.normal(size=(2, 4)), rng.normal(size=2)
    return cnnmath.linear, lambda g, x, w, b: cnnmath.linear_backward(g, x, w), [x, w, b]


def test_check_backward_passes_correct_backward_passes():
    forward, backward, inputs = linear_case()
    result = check_backward(forward, backward, inputs)
    assert isinstance(result, BackwardCheck) and len(result.checks) == 3
    assert result.error == max(c.error for c in result.checks) < 1e-8
    x = np.linspace(-2, 2, 12).reshape(3, 4)
    assert check_backward(np.tanh, lambda g, v: g * (1 - np.tanh(v) ** 2), [x]).error < 1e-8
    # A scalar output (a loss) works too: G is then a number.
    assert check_backward(lambda v: np.sum(v**3), lambda g, v: 3 * g * v**2, (x,)).error < 1e-8


@pytest.mark.parametrize("factor", [1.01, -1.0])
def test_check_backward_fails_a_backward_that_is_off_by_a_factor(factor):
    forward, backward, inputs = linear_case()
    with pytest.raises(AssertionError, match="backward check failed") as info:
        check_backward(forward, wrong_by(factor, backward), inputs)
    report = str(info.value)
    assert all(f"inputs[{i}]: relative error" in report for i in range(3))
    expected = f"{abs(factor - 1) / max(1, abs(factor)):.1e}"      # 1.01: 9.9e-03; -1: 2.0e+00
    assert f"relative error {expected}" in report


def test_check_backward_reports_the_one_wrong_input():
    forward, backward, inputs = linear_case()

    def wrong_db(g, x, w, b):
        dx, dw, db = backward(g, x, w, b)
        return dx, dw, db + np.array([0.0, 1e-3])

    with pytest.raises(AssertionError) as info:
        check_backward(forward, wrong_db, inputs)
    lines = str(info.value).splitlines()
    assert "inputs[2]" in lines[3] and "worst entry (1,)" in lines[3]
    assert float(lines[1].split()[3].rstrip(";")) < 1e-7      # dx is fine


def test_check_backward_uses_float64_and_its_seed():
    x = np.linspace(-1, 1, 6, dtype=np.float32)
    seen = []

    def backward(g, v):
        seen.append((g.dtype, v.dtype, g.copy()))
        return g * np.cos(v)

    check_backward(np.sin, backward, [x], rng=5)
    check_backward(np.sin, backward, [x], rng=np.random.default_rng(5))
    assert seen[0][:2] == (np.float64, np.float64)
    np.testing.assert_array_equal(seen[0][2], seen[1][2])


@pytest.mark.parametrize("call, error", [
    (lambda: numerical_gradient(3, np.zeros(2)), TypeError),
    (lambda: numerical_gradient(np.sum, np.zeros(2), eps=0), ValueError),
    (lambda: numerical_gradient(np.sum, np.zeros(2), eps=-1e-6), ValueError),
    (lambda: numerical_gradient(np.sum, np.zeros(2), eps=True), TypeError),
    (lambda: numerical_gradient(np.sum, np.zeros(2), eps="a"), TypeError),
    (lambda: check_gradient(np.sum, np.zeros(2), np.zeros(3)), ValueError),
    (lambda: check_gradient(np.sum, np.zeros(2), np.ones(2), tol=-1), ValueError),
    (lambda: check_backward(np.sin, np.cos, np.zeros(2)), TypeError),
    (lambda: check_backward(np.sin, "cos", [np.zeros(2)]), TypeError),
    (lambda: check_backward(np.sin, lambda g, v: (g, g), [np.zeros(2)]), ValueError),
    (lambda: check_backward(np.sin, lambda g, v: g[:1], [np.zeros(2)]), ValueError),
    (lambda: check_backward(np.sin, np.multiply, [np.zeros(2)], rng="a"), TypeError),
    (lambda: check_backward(np.sin, np.multiply, [np.zeros(2)], rng=-1), ValueError),
])
def test_bad_arguments(call, error):
    with pytest.raises(error):
        call()


def test_top_level_names():
    assert cnnmath.numerical_gradient is numerical_gradient
    assert cnnmath.relative_error is relative_error
