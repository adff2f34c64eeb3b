"""Chapter 4's checks: the official answers pass, plausible wrong answers get a hint.

The right answers are written here from the chapter's formulas in NumPy, math and
SymPy, independently of cnnmath.exercises._ch04.
"""

import math

import numpy as np
import sympy as sp

from cnnmath.exercises import check

x = sp.Symbol("x", real=True)


def sig(argument):
    return 1 / (1 + sp.exp(-argument))


def test_tanh_sigmoid():
    assert check("act-ex-tanh-sigmoid", 4 * sig(2 * x) * (1 - sig(2 * x)))
    # right, but not in terms of sigma(2x), which the statement asks for
    for hyperbolic in [1 - sp.tanh(x) ** 2, sp.sech(x) ** 2, 1 / sp.cosh(x) ** 2,
                       4 * sig(2 * x) * (1 - sig(2 * x)) + sp.tanh(x) - sp.tanh(x) * 1]:
        verdict = check("act-ex-tanh-sigmoid", hyperbolic)
        assert (not verdict) == hyperbolic.has(sp.tanh, sp.sech, sp.cosh), hyperbolic
        if not verdict:
            assert "sigma(2x)" in verdict.message and "right" in verdict.message
    assert check("act-ex-tanh-sigmoid", 4 * sig(2 * sp.Symbol("x")) * (1 - sig(2 * sp.Symbol("x"))))
    # The inner derivative forgotten: a factor of 1/2.
    verdict = check("act-ex-tanh-sigmoid", 2 * sig(2 * x) * (1 - sig(2 * x)))
    assert not verdict and "factor" in verdict.message
    verdict = check("act-ex-tanh-sigmoid", -4 * sig(2 * x) * (1 - sig(2 * x)))
    assert not verdict and "sign" in verdict.message
    verdict = check("act-ex-tanh-sigmoid", sp.Matrix([x]))
    assert not verdict and "expression" in verdict.message


def sigmoid(v):
    return 1 / (1 + np.exp(-v))


def test_silu():
    assert check("act-ex-silu", lambda dy, v: dy * sigmoid(v) * (1 + v * (1 - sigmoid(v))))
    verdict = check("act-ex-silu", lambda dy, v: sigmoid(v) * (1 + v * (1 - sigmoid(v))))
    assert not verdict and "dy" in verdict.message
    verdict = check("act-ex-silu", lambda dy, v: dy * sigmoid(v))      # product rule forgotten
    assert not verdict and "wrong values" in verdict.message
    verdict = check("act-ex-silu", lambda dy, v: (dy * sigmoid(v)).sum())
    assert not verdict and "shape" in verdict.message


def test_softmax_sum():
    z = sp.Matrix(sp.symbols("z0:4", real=True))
    s = z.applyfunc(sp.exp) / sum(z.applyfunc(sp.exp))
    J = sp.Matrix(4, 4, lambda i, j: s[i] * (int(i == j) - s[j]))
    assert check("act-ex-softmax-sum", sp.simplify(sp.ones(1, 4) * J))
    assert check("act-ex-softmax-sum", sp.zeros(1, 4))
    verdict = check("act-ex-softmax-sum", J)
    assert not verdict and "(4, 4)" in verdict.message
    verdict = check("act-ex-softmax-sum", J * sp.ones(4, 1))
    assert not verdict and "row" in verdict.message
    verdict = check("act-ex-softmax-sum", sp.ones(1, 4) * sp.diag(*s))   # s s^T forgotten
    assert not verdict and "[0, 0]" in verdict.message


def test_float32():
    largest = float(np.finfo(np.float32).max)
    assert check("act-ex-float32", -math.log(largest))
    verdict = check("act-ex-float32", math.log(largest))
    assert not verdict and "sign" in verdict.message
    verdict = check("act-ex-float32", -math.log(float(np.finfo(np.float64).max)))
    assert not verdict and "float64" in verdict.message


def test_elu_smooth():
    h = sp.Symbol("h")
    left = sp.limit((sp.exp(h) - 1) / h, h, 0)          # the slope for alpha = 1
    assert check("act-ex-elu-smooth", 1 / left) and check("act-ex-elu-smooth", 1.0)
    verdict = check("act-ex-elu-smooth", 0.5)
    assert not verdict and "factor" in verdict.message
    verdict = check("act-ex-elu-smooth", 0)
    assert not verdict and "one-sided slopes" in verdict.message


def test_log_sigmoid():
    def stable(v):
        return np.where(v >= 0, -np.log1p(np.exp(-np.abs(v))), v - np.log1p(np.exp(-np.abs(v))))

    assert check("act-ex-log-sigmoid", stable)
    verdict = check("act-ex-log-sigmoid", lambda v: np.log(1 / (1 + np.exp(-v))))
    assert not verdict and "inf or nan" in verdict.message and "Exponentiate" in verdict.message
    # log1p(exp(-x)) has the right value for moderate x but overflows for x << 0.
    verdict = check("act-ex-log-sigmoid", lambda v: -np.log1p(np.exp(-v)))
    assert not verdict and "inf" in verdict.message
    verdict = check("act-ex-log-sigmoid", lambda v: np.log1p(np.exp(-np.abs(v))))
    assert not verdict


# Found by the review of the checks (one test per defect fixed).

def silu_slope(v):
    return sigmoid(v) * (1 + v * (1 - sigmoid(v)))


def test_silu_in_place_and_float32_answers_pass():
    def in_place_dy(dy, v):             # right values, but overwrites dy
        dy *= silu_slope(v)
        return dy

    def in_place_x(dy, v):              # right values, but overwrites x
        s_ = sigmoid(v)
        v *= 1 - s_
        v += 1
        return dy * s_ * v

    assert check("act-ex-silu", in_place_dy) and check("act-ex-silu", in_place_x)
    assert check("act-ex-silu", lambda dy, v: (dy * silu_slope(v)).astype(np.float32))
    assert check("act-ex-silu", lambda dy, v: (dy * silu_slope(v)).tolist())


def test_softmax_sum_lists_and_arrays():
    assert check("act-ex-softmax-sum", [0, 0, 0, 0])
    assert check("act-ex-softmax-sum", np.zeros((1, 4)))
    verdict = check("act-ex-softmax-sum", [1, 0, 0, 0])
    assert not verdict and "[0, 0]" in verdict.message


def test_float32_forms_and_hints():
    largest = np.finfo(np.float32).max
    assert check("act-ex-float32", -np.log(largest))           # a NumPy float32
    assert check("act-ex-float32", np.array([-np.log(largest)]))
    verdict = check("act-ex-float32", -np.log10(largest))
    assert not verdict and "np.log" in verdict.message
    verdict = check("act-ex-float32", round(-math.log(float(largest)), 2))
    assert not verdict and "rounding" in verdict.message
    verdict = check("act-ex-float32", True)
    assert not verdict and "number" in verdict.message


def test_elu_smooth_rejects_bool_and_explains_solve_list():
    verdict = check("act-ex-elu-smooth", True)
    assert not verdict and "number" in verdict.message
    verdict = check("act-ex-elu-smooth", [sp.Integer(1)])
    assert not verdict and "[0]" in verdict.message


def test_log_sigmoid_digit_loss_and_float32_hints():
    verdict = check("act-ex-log-sigmoid",
                    lambda v: np.minimum(v, 0) - np.log(1 + np.exp(-np.abs(v))))
    assert not verdict and "log1p" in verdict.message

    def single(v):
        v = v.astype(np.float32)
        return np.minimum(v, 0) - np.log1p(np.exp(-np.abs(v)))

    verdict = check("act-ex-log-sigmoid", single)
    assert not verdict and "float32" in verdict.message
