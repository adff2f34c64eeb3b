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
    assert check("act-ex-tanh-sigmoid", 1 - sp.tanh(x) ** 2)
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
