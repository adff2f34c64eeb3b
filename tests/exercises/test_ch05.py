"""Chapter 5's checks: the official answers pass, plausible wrong answers get a hint.

The right answers here are computed independently of the checks (by hand-derived
formulas), so a check and its test cannot share a mistake.
"""

import numpy as np
import pytest
import sympy as sp

from cnnmath.exercises import check, labels

CHAPTER_5 = ["loss-ex-two-classes", "loss-ex-huber", "loss-ex-label-smoothing",
             "loss-ex-kl-logits", "loss-ex-mape-bias"]


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def test_chapter_5_has_its_checks():
    assert set(CHAPTER_5) <= set(labels())


def right_two_classes(z, y):
    d = sigmoid(z[:, 1] - z[:, 0]) - (y == 1)
    return np.stack([-d, d], axis=1) / len(y)


def test_two_classes():
    assert check("loss-ex-two-classes", right_two_classes)
    swapped = check("loss-ex-two-classes", lambda z, y: -right_two_classes(z, y))
    assert not swapped and "sign" in swapped.message
    summed = check("loss-ex-two-classes", lambda z, y: right_two_classes(z, y) * len(y))
    assert not summed and ("factor" in summed.message or "values" in summed.message)
    one_column = check("loss-ex-two-classes", lambda z, y: right_two_classes(z, y)[:, 1])
    assert not one_column and "shape" in one_column.message


def test_huber():
    assert check("loss-ex-huber", lambda p, t: np.clip(p - t, -1, 1) / p.size)
    no_mean = check("loss-ex-huber", lambda p, t: np.clip(p - t, -1, 1))
    assert not no_mean and "factor" in no_mean.message
    sign = check("loss-ex-huber", lambda p, t: np.clip(t - p, -1, 1) / p.size)
    assert not sign and "sign" in sign.message
    unclipped = check("loss-ex-huber", lambda p, t: (p - t) / p.size)
    assert not unclipped and "values" in unclipped.message
    crash = check("loss-ex-huber", lambda p, t: p.reshape(-1, 2))
    assert not crash and "raised" in crash.message


def test_label_smoothing():
    t = 0.9 * np.eye(4)[2] + 0.1 / 4
    assert check("loss-ex-label-smoothing", -np.sum(t * np.log(t)))
    zero = check("loss-ex-label-smoothing", 0.0)
    assert not zero and "one-hot" in zero.message
    true_term = check("loss-ex-label-smoothing", -np.log(t[2]))
    assert not true_term and "every class" in true_term.message
    assert "number" in check("loss-ex-label-smoothing", "small").message


def test_kl_logits():
    assert check("loss-ex-kl-logits", lambda p, z: softmax(z) - p)
    flipped = check("loss-ex-kl-logits", lambda p, z: p - softmax(z))
    assert not flipped and "sign" in flipped.message
    wrt_q = check("loss-ex-kl-logits", lambda p, z: -p / softmax(z))
    assert not wrt_q and "values" in wrt_q.message


def test_mape_bias():
    assert check("loss-ex-mape-bias", 50.0)
    mean = check("loss-ex-mape-bias", 350 / 3)
    assert not mean and "mean" in mean.message
    median = check("loss-ex-mape-bias", 100.0)
    assert not median and "median" in median.message
    other = check("loss-ex-mape-bias", 60.0)
    assert not other and "down" in other.message       # too large


# Right answers in other forms: a list, float32, a mutated input, SymPy numbers.

def test_function_checks_accept_lists_and_float32():
    assert check("loss-ex-two-classes", lambda z, y: right_two_classes(z, y).tolist())
    single = check("loss-ex-two-classes",
                   lambda z, y: right_two_classes(z, y).astype(np.float32))
    assert single and "single precision" in single.message
    assert check("loss-ex-huber",
                 lambda p, t: (np.clip(p - t, -1, 1) / p.size).astype(np.float32))
    assert check("loss-ex-kl-logits",
                 lambda p, z: (softmax(z) - p).astype(np.float32))
    # a float32 answer with the wrong sign still hears about the sign
    flipped = check("loss-ex-kl-logits",
                    lambda p, z: (p - softmax(z)).astype(np.float32))
    assert not flipped and "sign" in flipped.message


def test_function_that_modifies_its_input_is_compared_with_the_original():
    def in_place(z, y):
        z[:, 1] -= z[:, 0]          # the difference of the logits, in place
        z[:, 0] = 0.0
        return right_two_classes(z, y)
    assert check("loss-ex-two-classes", in_place)


def test_number_checks_accept_other_forms():
    t = 0.9 * np.eye(4)[2] + 0.1 / 4
    entropy = -np.sum(t * np.log(t))
    for form in (np.float32(entropy), np.array([entropy]), [entropy],
                 float(f"{entropy:.6f}")):               # as the solution prints it
        assert check("loss-ex-label-smoothing", form), form
    exact = -(sp.Rational(37, 40) * sp.log(sp.Rational(37, 40))
              + 3 * sp.Rational(1, 40) * sp.log(sp.Rational(1, 40)))
    assert check("loss-ex-label-smoothing", exact)
    for form in (50, np.int64(50), np.array([50.0]), sp.Integer(50)):
        assert check("loss-ex-mape-bias", form), form


def test_label_smoothing_hints():
    t = 0.9 * np.eye(4)[2] + 0.1 / 4
    entropy = -np.sum(t * np.log(t))
    rounded = check("loss-ex-label-smoothing", round(entropy, 3))
    assert not rounded and "rounded" in rounded.message
    bits = check("loss-ex-label-smoothing", entropy / np.log(2))
    assert not bits and "natural log" in bits.message
    assert "nan" in check("loss-ex-label-smoothing", float("nan")).message
    quoted = check("loss-ex-label-smoothing", str(entropy))
    assert not quoted and "quotes" in quoted.message


def test_mape_bias_hints_are_not_misleading():
    largest = check("loss-ex-mape-bias", 200.0)     # weights y_i instead of 1/y_i
    assert not largest and "1/|y_i|" in largest.message
    assert "factor" not in largest.message
    near = check("loss-ex-mape-bias", 51)
    assert not near and "off by one" not in near.message and "down" in near.message
    below = check("loss-ex-mape-bias", 40)
    assert not below and "up" in below.message
    value = check("loss-ex-mape-bias", 125 / 3)     # the smallest MAPE, not its c
    assert not value and "constant c" in value.message


def test_huber_cases_reach_both_pieces():
    mae_like = check("loss-ex-huber", lambda p, t: np.sign(p - t) / p.size)
    assert not mae_like and "values" in mae_like.message
    wide = check("loss-ex-huber", lambda p, t: np.clip(p - t, -2, 2) / p.size)
    assert not wide and "values" in wide.message


ODD_ANSWERS = [None, "abc", {}, {"a": 1}, [1, 2], 3.0, lambda: 0,
               lambda a, b, c: 0, lambda z, y: None, lambda z, y: "text",
               lambda z, y: {"a": 1}]


@pytest.mark.parametrize("label", CHAPTER_5)
def test_odd_answers_get_a_hint_not_a_traceback(label):
    for answer in ODD_ANSWERS:
        verdict = check(label, answer)
        assert not verdict and repr(verdict).startswith("✗ not yet: "), answer
