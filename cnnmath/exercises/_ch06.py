"""Checks for the exercises of chapter 6, backward propagation through convolution."""

import numpy as np
import sympy as sp

from .. import conv2d, conv2d_backward, reference
from . import _register
from ._compare import (as_numbers, compare_arrays, compare_expression, compare_function,
                       wrong)

def _dx_1d():
    """dL/dx for y[i] = sum_u w[u] x[i + u], input length 5, kernel 3, from SymPy."""
    x = np.array([sp.Symbol(f"x{i}") for i in range(5)], dtype=object)[None, :]
    w = np.array(sp.symbols("w0:3"), dtype=object)[None, :]
    dy = np.array(sp.symbols("dy0:3"), dtype=object)
    y = reference.correlate2d(x, w)[0]
    loss = sum(g * v for g, v in zip(dy, y))
    return [sp.diff(loss, x[0, i]) for i in range(5)]


@_register("bpconv-ex-1d")
def _check_1d(answer):
    """answer: dL/dx[2] as a SymPy expression in w0, w1, w2 and dy0, dy1, dy2."""
    expected = _dx_1d()[2]
    name = "your dL/dx[2]"
    try:
        given = sp.sympify(answer)
    except (sp.SympifyError, TypeError, ValueError, AttributeError):
        given = None
    if not isinstance(given, sp.Expr) or isinstance(given, (sp.MatrixBase, sp.MatrixExpr)):
        return wrong(f"{name} should be one SymPy expression such as dy0 * w1, got "
                     f"{type(answer).__name__}.")
    # symbols made with assumptions (real=True, ...) are matched by their names
    given = given.subs({s: sp.Symbol(s.name) for s in given.free_symbols},
                       simultaneous=True)
    verdict = compare_expression(given, expected, name=name)
    if not verdict:
        flipped = expected.subs({sp.Symbol("w0"): sp.Symbol("w2"),
                                 sp.Symbol("w2"): sp.Symbol("w0")}, simultaneous=True)
        if sp.expand(given - flipped) == 0:
            return wrong("your dL/dx[2] pairs each dy with the wrong weight: x[2] is read "
                         "by y[i] at tap u = 2 - i, so the index runs against the kernel.")
        if sp.expand(given - _dx_1d()[0]) == 0:
            return wrong("your answer is dL/dx[0]; the check asks for dL/dx[2].")
    return verdict


def _dx_1x1(dy, w):
    x = np.zeros((dy.shape[0], w.shape[1]) + dy.shape[2:])
    return conv2d_backward(dy, x, w[:, :, None, None])[0]


@_register("bpconv-ex-1x1")
def _check_1x1(answer):
    """answer(dy, w): dX of a 1x1 convolution, dy (N, C_out, H, W), w (C_out, C_in)."""
    rng = np.random.default_rng(6)
    cases = [(rng.normal(size=(n, o, h, wd)), rng.normal(size=(o, c)))
             for n, o, c, h, wd in [(2, 3, 4, 5, 6), (1, 2, 2, 3, 3), (3, 1, 5, 2, 4),
                                    (2, 4, 4, 1, 1)]]
    return compare_function(answer, _dx_1x1, cases, name="your input_grad_1x1",
                            low_precision=True)


@_register("bpconv-ex-dead")
def _check_dead(answer):
    """answer: the rows of an 8x8 input (3x3 kernel, stride 3) with zero gradient."""
    rng = np.random.default_rng(60)
    x, w = rng.normal(size=(1, 1, 8, 8)), rng.normal(size=(1, 1, 3, 3))
    dy = rng.normal(size=conv2d(x, w, stride=3).shape)
    dx = conv2d_backward(dy, x, w, stride=3)[0][0, 0]
    expected = np.array([i for i in range(8) if np.all(dx[i] == 0)])
    if isinstance(answer, (set, frozenset, type({}.keys()))):
        answer = sorted(answer)
    given = as_numbers(answer)
    if given is None:      # not numbers: compare_arrays says why
        return compare_arrays(answer, expected, name="your list of rows")
    given = np.sort(given.ravel())
    if given.size and given.size == 8 and set(given) <= {0.0, 1.0}:
        return wrong("your list of rows looks like a mask of 8 flags: give the indices of "
                     "the rows instead, as in [0, 1] for the first two.")
    if np.unique(given).size < given.size:
        return wrong("your list of rows names a row more than once.")
    if given.size and (given.max() >= 8 or given.min() < 0):
        return wrong("your list of rows has a row index outside the input: the rows of an "
                     "8x8 input are numbered 0 to 7.")
    if given.size == expected.size + 1 and set(expected) < set(given):
        return wrong("your list of rows has one row too many: the last window of a stride-3 "
                     "pass starts at row 3 and reads three rows, count them again.")
    return compare_arrays(given, expected, name="your list of rows")


def _dx_dilated(dy, w, d):
    size = (dy.shape[2] + d * (w.shape[2] - 1), dy.shape[3] + d * (w.shape[3] - 1))
    x = np.zeros((dy.shape[0], w.shape[1]) + size)
    return conv2d_backward(dy, x, w, dilation=d)[0]


@_register("bpconv-ex-dilated-rotation")
def _check_dilated(answer):
    """answer(dy, w, d): dX of a stride-1, unpadded layer with dilation d."""
    rng = np.random.default_rng(61)
    cases = [(rng.normal(size=(n, o, h, wd)), rng.normal(size=(o, c, kh, kw)), d)
             for n, o, c, h, wd, kh, kw, d in [(1, 3, 2, 5, 4, 3, 2, 2), (2, 2, 3, 3, 3, 2, 2, 1),
                                               (1, 1, 1, 4, 6, 3, 3, 3),
                                               (2, 2, 2, 2, 5, 2, 3, 2)]]
    return compare_function(answer, _dx_dilated, cases, name="your dx_by_rotation",
                            low_precision=True)
