"""Chapter 6's checks: the official answers pass, plausible wrong answers get a hint."""

import numpy as np
import sympy as sp

from cnnmath import conv2d
from cnnmath.exercises import check


def test_1d_official_answer_passes():
    w0, w1, w2 = sp.symbols("w0:3")
    dy0, dy1, dy2 = sp.symbols("dy0:3")
    assert check("bpconv-ex-1d", dy0 * w2 + dy1 * w1 + dy2 * w0)


def test_1d_wrong_answers_get_hints():
    w0, w1, w2 = sp.symbols("w0:3")
    dy0, dy1, dy2 = sp.symbols("dy0:3")
    verdict = check("bpconv-ex-1d", dy0 * w0 + dy1 * w1 + dy2 * w2)   # index with the kernel
    assert not verdict and "against the kernel" in verdict.message
    verdict = check("bpconv-ex-1d", dy0 * w2 + dy1 * w1)               # a term missing
    assert not verdict and "dy2" in verdict.message


def _input_grad_1x1(dy, w):
    return np.einsum("oc,noij->ncij", w, dy)


def test_1x1_official_answer_passes():
    assert check("bpconv-ex-1x1", _input_grad_1x1)


def test_1x1_wrong_answers_get_hints():
    # without the transpose: shapes differ when C_in != C_out
    verdict = check("bpconv-ex-1x1", lambda dy, w: np.einsum("co,noij->ncij", w, dy))
    assert not verdict and ("raised" in verdict.message or "shape" in verdict.message)
    verdict = check("bpconv-ex-1x1", lambda dy, w: -_input_grad_1x1(dy, w))
    assert not verdict and "sign" in verdict.message
    verdict = check("bpconv-ex-1x1", lambda dy, w: _input_grad_1x1(dy, w).sum(axis=0))
    assert not verdict and "shape" in verdict.message


def test_dead_official_answer_passes():
    assert check("bpconv-ex-dead", np.array([6, 7]))
    assert check("bpconv-ex-dead", [7, 6])


def test_dead_wrong_answers_get_hints():
    verdict = check("bpconv-ex-dead", [5, 6, 7])
    assert not verdict and "one row too many" in verdict.message
    verdict = check("bpconv-ex-dead", [7, 8])
    assert not verdict and "0 to 7" in verdict.message
    verdict = check("bpconv-ex-dead", [6])
    assert not verdict and "shape" in verdict.message


def _dx_by_rotation(dy, w, d):
    rotated_swapped = w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)
    return conv2d(dy, rotated_swapped, padding="full", dilation=d)


def test_dilated_official_answer_passes():
    assert check("bpconv-ex-dilated-rotation", _dx_by_rotation)


def test_dilated_wrong_answers_get_hints():
    # forgetting the dilation: the result has the wrong shape
    verdict = check("bpconv-ex-dilated-rotation",
                    lambda dy, w, d: _dx_by_rotation(dy, w, 1))
    assert not verdict and "shape" in verdict.message
    # forgetting the rotation: right shape, wrong values
    verdict = check("bpconv-ex-dilated-rotation",
                    lambda dy, w, d: conv2d(dy, w.transpose(1, 0, 2, 3), padding="full",
                                            dilation=d))
    assert not verdict and "wrong values" in verdict.message
