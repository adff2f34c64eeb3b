"""Chapter 8's checks: the official answers pass, plausible wrong answers get a hint.

The right answers here are worked out by hand, independently of the checks.
"""

import numpy as np
import sympy as sp

from cnnmath.exercises import check, labels


def test_chapter_8_has_its_checks():
    assert {"net-ex-params", "net-ex-receptive", "net-ex-leaky-he"} <= set(labels())


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
    assert not flat and "shape" in flat.message


def test_leaky_he():
    n, alpha = sp.Symbol("n", positive=True), sp.Symbol("alpha", positive=True)
    assert check("net-ex-leaky-he", 2 / ((1 + alpha**2) * n))
    plain_n, plain_alpha = sp.symbols("n alpha")      # other assumptions, same names
    assert check("net-ex-leaky-he", 2 / ((1 + plain_alpha**2) * plain_n))
    he = check("net-ex-leaky-he", 2 / n)
    assert not he and "alpha" in he.message
    half = check("net-ex-leaky-he", 1 / ((1 + alpha**2) * n))
    assert not half and "factor" in half.message
    minus = check("net-ex-leaky-he", 2 / ((1 - alpha**2) * n))
    assert not minus and "not equal" in minus.message
