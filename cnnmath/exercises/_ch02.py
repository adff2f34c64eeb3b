"""Checks for the exercises of chapter 2, convolution."""

import numpy as np
import sympy as sp

from . import _register
from ._compare import (agrees, as_number, as_numbers, calls_to, check_function,
                       compare_arrays, compare_number, not_numbers, wrong)
from ..conv import conv_transpose2d, convolve2d, correlate2d
from ..shapes import conv_output_size

_SOBEL_X = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])


@_register("conv-ex-polynomial")
def _check_polynomial(answer):
    """answer: the coefficients of p(z) q(z), lowest power first."""
    z = sp.Symbol("z")
    p = 2 + 3 * z - z**2
    q = 1 - 4 * z + z**2 + 5 * z**3
    expected = np.array(sp.Poly(p * q, z).all_coeffs()[::-1], dtype=float)
    given = as_numbers(answer)
    if given is None:
        return not_numbers(answer, "the coefficient array")
    if given.ndim == 2 and 1 in given.shape and given.size == expected.size:
        # a 1 x n row or an n x 1 column from convolve2d: either orientation is fine
        answer = given = given.ravel()
    if (given is not None and given.shape == expected.shape
            and np.allclose(given, expected[::-1])):
        return wrong("these are the coefficients highest power first; the "
                     "exercise asks for the lowest power (z**0) first.")
    return compare_arrays(answer, expected, name="the coefficient array")


def _random_cases(shapes, seed):
    rng = np.random.default_rng(seed)
    return [tuple(rng.standard_normal(shape) for shape in group)
            for group in shapes]


@_register("conv-ex-separable")
def _check_separable(answer):
    """answer(image): correlation with the column, then with the row."""
    cases = _random_cases([[(5, 5)], [(7, 4)], [(3, 3)], [(9, 12)]], seed=21)
    verdict = check_function(answer, lambda x: correlate2d(x, _SOBEL_X),
                             cases, name="your two-pass function")
    if not verdict and agrees(
            answer, lambda x: correlate2d(x, _SOBEL_X.T), cases):
        return wrong("your passes compute Sobel y: the column should smooth "
                     "(1, 2, 1) and the row take the difference (-1, 0, 1).")
    return verdict


@_register("conv-ex-stacking")
def _check_stacking(answer):
    """answer(u, v): the one kernel equal to correlating with u, then v."""
    shapes = [[(3, 3), (3, 3)], [(2, 3), (3, 2)], [(1, 4), (2, 2)],
              [(3, 3), (1, 1)]]
    cases = _random_cases(shapes, seed=22)
    verdict = check_function(answer,
                             lambda u, v: convolve2d(u, v, mode="full"),
                             cases, name="your combine")
    if not verdict and agrees(
            answer, lambda u, v: correlate2d(u, v, mode="full"), cases):
        return wrong("you correlated the two kernels: look again at which "
                     "products u[a, b] v[j, k] meet at the same total offset "
                     "(t, r) = (a + j, b + k).")
    return verdict


def _rows_read(n, k, stride):
    """The rows of an n-row image that some window reads (no padding)."""
    out = conv_output_size(n, k, stride)
    return {stride * i + u for i in range(out) for u in range(k)}


@_register("conv-ex-stride-gaps")
def _check_stride_gaps(answer):
    """answer: how many of the 64 pixels no window reads (k 2, stride 3)."""
    read = len(_rows_read(8, 2, 3))
    expected = 8 * 8 - read * read
    given = as_number(answer)
    if given is None:
        return not_numbers(answer, "the count of unread pixels", number=True)
    if given == 2 * 8 * (8 - read):
        return wrong("the pixels where an unread row crosses an unread "
                     "column are counted twice.")
    return compare_number(answer, expected, name="the count of unread pixels")


def _transpose_reference(g, w):
    return conv_transpose2d(g[None, None], w[None, None])[0, 0]


@_register("conv-ex-transpose")
def _check_transpose(answer):
    """answer(g, w): A^T vec(g) as an image-sized array."""
    shapes = [[(2, 2), (2, 2)], [(3, 4), (2, 3)], [(4, 2), (3, 1)],
              [(1, 1), (3, 3)]]
    cases = _random_cases(shapes, seed=23)
    verdict = check_function(answer, _transpose_reference, cases,
                             name="your adjoint")
    if verdict:
        calls = calls_to(conv_transpose2d, answer, cases[0])
        if calls:
            return wrong("the values are right, but your adjoint calls "
                         "conv_transpose2d, which the exercise asks you not to: "
                         "write the sum over the kernel yourself.")
    if not verdict and agrees(
            answer, lambda g, w: correlate2d(g, w, mode="full"), cases):
        return wrong("the kernel is not flipped: in the sum for pixel "
                     "(r, c), which entry of w multiplies g[i, j]? Its index "
                     "runs against i.")
    return verdict
