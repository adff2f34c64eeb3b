"""Chapter 10's checks: the official answers pass, plausible wrong answers get a hint."""

from cnnmath.exercises import check


def test_decay_official_answer_passes():
    assert check("norm-ex-decay", lambda w0, lr, wd, t: (1 - lr * wd) ** t * w0)


def test_decay_wrong_answers_get_hints():
    verdict = check("norm-ex-decay", lambda w0, lr, wd, t: (1 - lr * wd) ** (t - 1) * w0)
    assert not verdict and "factor" in verdict.message
    verdict = check("norm-ex-decay", lambda w0, lr, wd, t: (1 - lr * wd) ** t)
    assert not verdict and "shape" in verdict.message
