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


# --- answers in other forms, odd input, and hints added by the review ---------------

def test_1d_symbols_with_assumptions_and_strings_pass():
    w0, w1, w2 = sp.symbols("w0:3", real=True)
    dy0, dy1, dy2 = sp.symbols("dy0:3", real=True)
    assert check("bpconv-ex-1d", dy0 * w2 + dy1 * w1 + dy2 * w0)
    assert check("bpconv-ex-1d", "dy2*w0 + dy1*w1 + dy0*w2")


def test_1d_odd_input_gets_a_hint_not_a_traceback():
    for odd in [None, [1, 2], {"a": 1}, {6, 7}, np.array([1.0, 2.0]),
                sp.Matrix([1, 2]), lambda: 0]:
        verdict = check("bpconv-ex-1d", odd)
        assert not verdict and "SymPy expression" in verdict.message


def test_1d_the_gradient_of_x0_is_named():
    w0 = sp.Symbol("w0")
    verdict = check("bpconv-ex-1d", sp.Symbol("dy0") * w0)
    assert not verdict and "dL/dx[0]" in verdict.message


def test_dead_other_forms_pass():
    for answer in [{6, 7}, frozenset({7, 6}), (6, 7), range(6, 8),
                   np.array([6.0, 7.0], dtype=np.float32), [[6], [7]]]:
        assert check("bpconv-ex-dead", answer), answer


def test_dead_odd_and_wrong_forms_get_hints():
    verdict = check("bpconv-ex-dead", [6, 6, 7])
    assert not verdict and "more than once" in verdict.message
    verdict = check("bpconv-ex-dead", [False] * 6 + [True] * 2)
    assert not verdict and "mask" in verdict.message
    for odd in [None, "6, 7", {"rows": [6, 7]}, []]:
        verdict = check("bpconv-ex-dead", odd)
        assert not verdict and verdict.message.startswith("not yet")


def test_1x1_other_result_forms_pass():
    assert check("bpconv-ex-1x1", lambda dy, w: _input_grad_1x1(dy, w).tolist())
    assert check("bpconv-ex-1x1",
                 lambda dy, w: _input_grad_1x1(dy, w).astype(np.float32))


def test_1x1_a_function_that_overwrites_its_input_cannot_spoil_the_check():
    def destructive(dy, w):
        result = _input_grad_1x1(dy, w)
        dy[...] = 0.0
        w[...] = 0.0
        return result
    assert check("bpconv-ex-1x1", destructive)
    assert check("bpconv-ex-1x1", _input_grad_1x1)


def test_1x1_odd_functions_get_hints():
    verdict = check("bpconv-ex-1x1", lambda dy, w: None)
    assert not verdict and "return" in verdict.message
    verdict = check("bpconv-ex-1x1", lambda dy, w: {"dx": 0})
    assert not verdict and "array of numbers" in verdict.message
    verdict = check("bpconv-ex-1x1", lambda dy: dy)
    assert not verdict and "TypeError" in verdict.message
    verdict = check("bpconv-ex-1x1", np.zeros(3))
    assert not verdict and "function" in verdict.message
    # float32 is compared at float32's precision, not loosely: a real error still fails
    verdict = check("bpconv-ex-1x1",
                    lambda dy, w: (1.001 * _input_grad_1x1(dy, w)).astype(np.float32))
    assert not verdict and "factor" in verdict.message


def test_dilated_constant_and_special_cased_answers_fail():
    verdict = check("bpconv-ex-dilated-rotation",
                    lambda dy, w, d: _dx_by_rotation(dy, w, 2))   # always d = 2
    assert not verdict


def test_dead_negative_row_indices_get_the_numbering_hint():
    verdict = check("bpconv-ex-dead", [-2, -1])      # counted from the bottom
    assert not verdict and "0 to 7" in verdict.message
