"""Chapter 10's checks: the official answers pass, plausible wrong answers get a hint.

The right answers are written here from the closed forms the exercises derive, another
way than the checks compute them (they run cnnmath's optimisers and batch norm).
"""

import functools
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


def adamw_by_hand(theta, grad_of, steps, lr, weight_decay, betas=(0.9, 0.999), eps=1e-8,
                  *, eps_under_root=False):
    """AdamW written out; ``eps_under_root`` makes the usual slip of adding eps to v."""
    theta = np.array(theta, dtype=float)
    m, v = np.zeros_like(theta), np.zeros_like(theta)
    for t in range(1, steps + 1):
        g = grad_of(theta)
        theta = theta * (1 - lr * weight_decay)
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g ** 2
        v_hat = v / (1 - betas[1] ** t)
        scale = np.sqrt(v_hat + eps) if eps_under_root else np.sqrt(v_hat) + eps
        theta = theta - lr * (m / (1 - betas[0] ** t)) / scale
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


# Odd answers, answers in other forms, and hints that must not give the answer away.

ODD_ANSWERS = [None, "abc", {}, {"a": 1}, [], [[1, 2], [3]], ["1", "2"], 1 + 2j, True,
               float("nan"), object(), sp.Matrix([1, 2]), lambda: 0, lambda *args: None,
               lambda *args: "s", lambda *args: [[1], [2, 3]], lambda *args: 1 / 0]


def test_odd_answers_get_a_hint_not_a_traceback():
    from cnnmath.exercises import labels
    for label in [name for name in labels() if name.startswith("norm-")]:
        for answer in ODD_ANSWERS:
            verdict = check(label, answer)
            assert not verdict and repr(verdict).startswith("✗ not yet:"), (label, answer)


def test_fold_that_changes_its_arguments_still_passes():
    def in_place(w, b, gamma, beta, mean, var, eps=1e-5):
        var += eps                                   # changes the caller's array
        b -= mean
        s = gamma / np.sqrt(var)
        return s[:, None, None, None] * w, s * b + beta

    assert check("norm-ex-fold", in_place)
    assert check("norm-ex-fold", lambda *args: list(fold(*args)))


def test_fold_hints_for_eps_and_float32():
    def no_eps(w, b, gamma, beta, mean, var, eps=1e-5):
        return fold(w, b, gamma, beta, mean, var, 0.0)

    verdict = check("norm-ex-fold", no_eps)
    assert not verdict and "eps" in verdict.message

    def single(*args):
        return tuple(a.astype(np.float32) for a in fold(*args))

    verdict = check("norm-ex-fold", single)
    assert not verdict and "float32" in verdict.message


def test_two_other_forms_pass_and_hints():
    x1, x2, eps = sp.symbols("x_1 x_2 varepsilon")
    assert check("norm-ex-two", 0.5 * (x1 - x2) / sp.sqrt(0.25 * (x1 - x2) ** 2 + eps))
    assert check("norm-ex-two", "(x_1 - x_2) / sqrt((x_1 - x_2)**2 + 4*varepsilon)")
    verdict = check("norm-ex-two", (x1 - x2) / sp.sqrt(2 * (x1 - x2) ** 2 + 4 * eps))
    assert not verdict and "unbiased" in verdict.message
    epsilon = sp.Symbol("epsilon")
    verdict = check("norm-ex-two", (x1 - x2) / sp.sqrt((x1 - x2) ** 2 + 4 * epsilon))
    assert not verdict and "names" in verdict.message


def test_functions_that_return_nothing_are_told_so():
    for label in ["norm-ex-decay", "norm-ex-adamw"]:
        verdict = check(label, lambda *args: None)
        assert not verdict and "return" in verdict.message


def test_adamw_with_eps_misplaced_fails():
    eps_under_root = functools.partial(adamw_by_hand, eps_under_root=True)
    assert not check("norm-ex-adamw", eps_under_root)


def test_zeros_are_called_zeros_not_a_factor_of_zero():
    verdict = check("norm-ex-decay", lambda w0, lr, wd, t: np.zeros_like(w0))
    assert not verdict and "zero everywhere" in verdict.message


def test_fold_returning_odd_pairs_gets_a_hint():
    for pair in [([[1], [2, 3]], [1]), ("w", "b"), (None, None), (np.zeros(3), None)]:
        verdict = check("norm-ex-fold", lambda *args, pair=pair: pair)
        assert not verdict and repr(verdict).startswith("✗ not yet:")


def test_numbers_too_large_for_a_float_get_a_hint():
    from cnnmath.exercises import labels
    huge = 10 ** 400                                  # float(huge) raises OverflowError
    for label in [name for name in labels() if name.startswith("norm-")]:
        for answer in [huge, [huge, 1], float("inf"), lambda *args: huge,
                       lambda *args: [huge], lambda *args: (huge, huge)]:
            verdict = check(label, answer)
            assert not verdict and repr(verdict).startswith("✗ not yet:"), (label, answer)


def test_functions_that_change_their_inputs_still_pass():
    def decayed_in_place(w0, lr, wd, t):
        w0 *= (1 - lr * wd) ** t
        return w0

    def adamw_in_place(theta, grad_of, steps, lr, weight_decay):
        result = adamw_by_hand(theta, grad_of, steps, lr, weight_decay)
        theta[...] = 0.0
        return result

    assert check("norm-ex-decay", decayed_in_place)
    assert check("norm-ex-adamw", adamw_in_place)
