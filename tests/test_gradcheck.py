"""cnnmath.gradcheck on functions whose derivatives are known in closed form."""

import re

import numpy as np
import pytest

import cnnmath
from cnnmath.gradcheck import GradientCheck, check_gradient, numerical_gradient, relative_error


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


@pytest.mark.parametrize("call, error", [
    (lambda: numerical_gradient(3, np.zeros(2)), TypeError),
    (lambda: numerical_gradient(np.sum, np.zeros(2), eps=0), ValueError),
    (lambda: numerical_gradient(np.sum, np.zeros(2), eps=True), ValueError),
    (lambda: check_gradient(np.sum, np.zeros(2), np.zeros(3)), ValueError),
])
def test_bad_arguments(call, error):
    with pytest.raises(error):
        call()


def test_top_level_names():
    assert cnnmath.numerical_gradient is numerical_gradient
    assert cnnmath.relative_error is relative_error
