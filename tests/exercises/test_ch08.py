"""Chapter 8's checks: the official answers pass, plausible wrong answers get a hint.

The right answers here are worked out by hand, independently of the checks.
"""

import numpy as np
import pytest
import sympy as sp

from cnnmath.exercises import check, labels

CHAPTER_8 = ["net-ex-params", "net-ex-receptive", "net-ex-leaky-he"]


def test_chapter_8_has_its_checks():
    assert set(CHAPTER_8) <= set(labels())


def test_params():
    conv, dense_1, dense_2 = 16 * (9 + 1), 128 * (256 + 1), 10 * (128 + 1)
    assert check("net-ex-params", conv + dense_1 + dense_2)
    no_biases = check("net-ex-params", 16 * 9 + 128 * 256 + 10 * 128)
    assert not no_biases and "bias" in no_biases.message
    unpooled = check("net-ex-params", conv + 128 * (16 * 64 + 1) + dense_2)
    assert not unpooled and "pooled" in unpooled.message
    off = check("net-ex-params", conv + dense_1 + dense_2 + 1)
    assert not off and "off by one" in off.message
    assert "number" in check("net-ex-params", "many").message


def region(rows, cols):
    answer = np.zeros((8, 8), dtype=bool)
    answer[rows, cols] = True
    return answer


def test_receptive():
    assert check("net-ex-receptive", region(slice(1, 5), slice(3, 7)))
    assert check("net-ex-receptive", region(slice(1, 5), slice(3, 7)).astype(int))
    shifted = check("net-ex-receptive", region(slice(2, 6), slice(4, 8)))
    assert not shifted and "padding" in shifted.message
    one_patch = check("net-ex-receptive", region(slice(1, 4), slice(3, 6)))
    assert not one_patch and "too small" in one_patch.message
    too_big = check("net-ex-receptive", region(slice(0, 6), slice(2, 8)))
    assert not too_big and "too large" in too_big.message
    flat = check("net-ex-receptive", region(slice(1, 5), slice(3, 7)).ravel())
    assert not flat and "shape" in flat.message and "batch" not in flat.message


def test_leaky_he():
    n, lam = sp.Symbol("n", positive=True), sp.Symbol("lambda", positive=True)
    assert check("net-ex-leaky-he", 2 / ((1 + lam**2) * n))
    plain_n, plain_lam = sp.symbols("n lambda")       # other assumptions, same names
    assert check("net-ex-leaky-he", 2 / ((1 + plain_lam**2) * plain_n))
    for other_name in ("alpha", "lamda"):              # the slope's other common names
        slope = sp.Symbol(other_name)
        assert check("net-ex-leaky-he", 2 / ((1 + slope**2) * n)), other_name
    he = check("net-ex-leaky-he", 2 / n)
    assert not he and "lambda" in he.message
    half = check("net-ex-leaky-he", 1 / ((1 + lam**2) * n))
    assert not half and "factor" in half.message
    minus = check("net-ex-leaky-he", 2 / ((1 - lam**2) * n))
    assert not minus and "not equal" in minus.message


# Right answers in other forms, and hints that name the mistake.

def test_params_other_forms_and_partial_biases():
    total = 16 * (9 + 1) + 128 * (256 + 1) + 10 * (128 + 1)
    for form in (float(total), np.int64(total), np.float32(total), np.array([total]),
                 [total], sp.Integer(total)):
        assert check("net-ex-params", form), form
    no_output_bias = check("net-ex-params", total - 10)
    assert not no_output_bias and "biases are missing" in no_output_bias.message
    quoted = check("net-ex-params", str(total))
    assert not quoted and "quotes" in quoted.message
    assert "not a count" in check("net-ex-params", float("nan")).message


def test_receptive_hints():
    right = region(slice(1, 5), slice(3, 7))
    swapped = check("net-ex-receptive", right.T)
    assert not swapped and "swapped" in swapped.message
    batched = check("net-ex-receptive", right[None, None])
    assert not batched and "batch and channel" in batched.message
    # P[0, 0, 1, 2] read as rows 1-2, columns 2-3 of the ReLU maps (stride forgotten)
    stride_one = check("net-ex-receptive", region(slice(0, 4), slice(1, 5)))
    assert not stride_one and "stride 2" in stride_one.message
    assert "got None" in check("net-ex-receptive", None).message


def test_leaky_he_containers_and_equations_get_a_hint():
    n, alpha = sp.Symbol("n", positive=True), sp.Symbol("alpha", positive=True)
    sigma2 = 2 / ((1 + alpha**2) * n)
    solved = check("net-ex-leaky-he", [sigma2])           # sp.solve's list, unindexed
    assert not solved and "sp.solve" in solved.message
    equation = check("net-ex-leaky-he", sp.Eq(sp.Symbol("s2"), sigma2))
    assert not equation and "right-hand side" in equation.message
    assert "sp.solve" in check("net-ex-leaky-he", sp.FiniteSet(sigma2)).message
    assert "Matrix" in check("net-ex-leaky-he", sp.Matrix([sigma2])).message
    assert check("net-ex-leaky-he", "2/((1 + lamda**2)*n)")   # a string SymPy parses


ODD_ANSWERS = [None, "abc", {}, {"a": 1}, [1, 2], lambda: 0, float("nan"), [[1]]]


@pytest.mark.parametrize("label", CHAPTER_8)
def test_odd_answers_get_a_hint_not_a_traceback(label):
    for answer in ODD_ANSWERS:
        verdict = check(label, answer)
        assert not verdict and repr(verdict).startswith("✗ not yet: "), answer
