"""Chapter 5's checks: the official answers pass, plausible wrong answers get a hint.

The right answers here are computed independently of the checks (by hand-derived
formulas), so a check and its test cannot share a mistake.
"""

import numpy as np

from cnnmath.exercises import check, labels


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def test_chapter_5_has_its_checks():
    assert {"loss-ex-two-classes", "loss-ex-huber", "loss-ex-label-smoothing",
            "loss-ex-kl-logits", "loss-ex-mape-bias"} <= set(labels())


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
    assert not other and "too large" in other.message
