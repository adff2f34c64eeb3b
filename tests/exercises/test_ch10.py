"""Chapter 10's checks: the official answers pass, plausible wrong answers get a hint.

The right answers are written here from the closed forms the exercises derive, another
way than the checks compute them (they run cnnmath's optimisers and batch norm).
"""

import numpy as np
import sympy as sp

from cnnmath.exercises import check


def test_decay_official_answer_passes():
    assert check("norm-ex-decay", lambda w0, lr, wd, t: (1 - lr * wd) ** t * w0)


def test_decay_wrong_answers_get_hints():
    verdict = check("norm-ex-decay", lambda w0, lr, wd, t: (1 - lr * wd) ** (t - 1) * w0)
    assert not verdict and "factor" in verdict.message
    verdict = check("norm-ex-decay", lambda w0, lr, wd, t: (1 - lr * wd) ** t)
    assert not verdict and "shape" in verdict.message


def fold(w, b, gamma, beta, mean, var, eps=1e-5):
    s = gamma / np.sqrt(var + eps)
    return s[:, None, None, None] * w, s * (b - mean) + beta


def test_fold_official_answer_passes():
    assert check("norm-ex-fold", fold)


def test_fold_wrong_answers_get_hints():
    def bias_not_scaled(w, b, gamma, beta, mean, var, eps=1e-5):
        return fold(w, b, gamma, beta, mean, var, eps)[0], b - mean + beta

    verdict = check("norm-ex-fold", bias_not_scaled)
    assert not verdict and "folded bias" in verdict.message and "values" in verdict.message

    def no_square_root(w, b, gamma, beta, mean, var, eps=1e-5):
        s = gamma / (var + eps)
        return s[:, None, None, None] * w, s * (b - mean) + beta

    verdict = check("norm-ex-fold", no_square_root)
    assert not verdict and "folded weights" in verdict.message

    verdict = check("norm-ex-fold", lambda *args: fold(*args)[0])
    assert not verdict and "pair" in verdict.message


def test_two_official_answer_passes():
    x1, x2, eps = sp.symbols("x_1 x_2 varepsilon")         # no assumptions, as a reader
    assert check("norm-ex-two", (x1 - x2) / sp.sqrt((x1 - x2) ** 2 + 4 * eps))


def test_two_wrong_answers_get_hints():
    x1, x2, eps = sp.symbols("x_1 x_2 varepsilon")
    verdict = check("norm-ex-two", (x1 - x2) / sp.sqrt((x1 - x2) ** 2))
    assert not verdict and "varepsilon" in verdict.message     # forgot epsilon
    verdict = check("norm-ex-two", (x2 - x1) / sp.sqrt((x1 - x2) ** 2 + 4 * eps))
    assert not verdict and "sign" in verdict.message


def adamw_by_hand(theta, grad_of, steps, lr, weight_decay, betas=(0.9, 0.999), eps=1e-8):
    theta = np.array(theta, dtype=float)
    m, v = np.zeros_like(theta), np.zeros_like(theta)
    for t in range(1, steps + 1):
        g = grad_of(theta)
        theta = theta * (1 - lr * weight_decay)
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g ** 2
        theta = theta - lr * (m / (1 - betas[0] ** t)) / (np.sqrt(v / (1 - betas[1] ** t))
                                                          + eps)
    return theta


def test_adamw_official_answer_passes():
    assert check("norm-ex-adamw", adamw_by_hand)


def test_adamw_wrong_answers_get_hints():
    def coupled(theta, grad_of, steps, lr, weight_decay):
        return adamw_by_hand(theta, lambda th: grad_of(th) + weight_decay * th, steps, lr,
                             0.0)

    verdict = check("norm-ex-adamw", coupled)
    assert not verdict and "coupled" in verdict.message

    def one_step_too_few(theta, grad_of, steps, lr, weight_decay):
        return adamw_by_hand(theta, grad_of, steps - 1, lr, weight_decay)

    verdict = check("norm-ex-adamw", one_step_too_few)
    assert not verdict and "wrong values" in verdict.message
