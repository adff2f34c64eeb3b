"""Checks for the exercises of chapter 8, a whole network.

Every expected answer is computed here from cnnmath or SymPy, never typed in.
"""

import functools

import numpy as np
import sympy as sp

from .. import conv, pooling, shapes
from . import _register
from ._compare import (as_numbers, compare_arrays, compare_expression, compare_number,
                       read_number, wrong)


@_register("net-ex-params")
def _check_params(answer):
    """answer: the number of parameters of the digits network (16 filters, 128 units)."""
    from ..models import digits_network

    model = digits_network(channels=16, hidden=128, rng=np.random.default_rng(0))
    expected = sum(p.data.size for p in model.parameters())
    given, hint = read_number(answer, "the count", not_finite=", not a count.")
    if hint is not None:
        return hint
    bias_sizes = [p.data.size for name, p in model.named_parameters()
                  if name.endswith("bias")]
    if given == expected - sum(bias_sizes):
        return wrong("that counts the weights only: every filter and every unit also "
                     "has a bias.")
    # some layers' biases but not all: every subset of the biases left out
    missing = {sum(size for k, size in enumerate(bias_sizes) if chosen >> k & 1)
               for chosen in range(1, 2 ** len(bias_sizes) - 1)}
    if expected - given in missing:
        return wrong("some layers' biases are missing: every filter and every unit "
                     "of every layer has one.")
    unpooled = (shapes.conv2d_parameter_count(1, 16, 3)
                + shapes.linear_parameter_count(16 * 8 * 8, 128)
                + shapes.linear_parameter_count(128, 10))
    if given == unpooled:
        return wrong("the first dense layer reads the pooled maps, not the 8 x 8 ones: "
                     "pooling leaves 4 x 4 of each.")
    return compare_number(given, expected, name="the parameter count")


def _receptive_region(position=(1, 2)):
    """The input pixels that can reach one pooled entry, by backpropagating through
    cnnmath's pooling and convolution with all-positive weights."""
    x = np.ones((1, 1, 8, 8))
    d_pooled = np.zeros((1, 1, 4, 4))
    d_pooled[(0, 0) + position] = 1.0
    d_maps = pooling.avg_pool2d_backward(d_pooled, x, 2)    # every entry of the window
    d_x, _, _ = conv.conv2d_backward(d_maps, x, np.ones((1, 1, 3, 3)), padding=1)
    return d_x[0, 0] != 0


@_register("net-ex-receptive")
def _check_receptive(answer):
    """answer: a boolean (8, 8) array, True where a pixel can influence P[0, 0, 1, 2]."""
    expected = _receptive_region()
    if answer is None:
        return wrong("the region should be a NumPy array of shape (8, 8), got None.")
    given = as_numbers(answer)
    if given is None:      # not numbers: compare_arrays says why
        return compare_arrays(answer, expected.astype(float), name="the region")
    if given.ndim > 2 and given.size == expected.size:
        return wrong(f"the region should have shape (8, 8), yours has shape "
                     f"{given.shape}: keep only the rows and columns of the image "
                     "(drop the batch and channel axes).")
    if given.shape == expected.shape:
        inside = given != 0
        if np.array_equal(inside, expected.T):
            return wrong("your region has rows and columns swapped: in P[0, 0, 1, 2] "
                         "the row index is 1 and the column index 2.")
        for shift in ((1, 1), (-1, -1)):
            if np.array_equal(inside, np.roll(expected, shift, axis=(0, 1))):
                return wrong("your region is shifted by one row and one column: with "
                             "padding 1, the output at (i, j) reads the input rows i - 1 "
                             "to i + 1 and columns j - 1 to j + 1.")
        if _translate(inside, expected):
            return wrong("your region has the right size and shape but sits in the "
                         "wrong place: with stride 2, which rows and columns of the "
                         "ReLU maps does the pooling window of P[0, 0, 1, 2] read?")
        if inside.sum() < expected.sum() and not (inside & ~expected).any():
            return wrong(f"your region is too small ({int(inside.sum())} pixels): every "
                         "entry of the pooling window counts, not only its maximum, and "
                         "each sees a 3 x 3 patch.")
        if inside.sum() > expected.sum() and not (expected & ~inside).any():
            return wrong(f"your region is too large ({int(inside.sum())} pixels): the "
                         "pooling window has 2 x 2 entries and each sees a 3 x 3 patch.")
    return compare_arrays(given != 0 if given.shape == expected.shape else given,
                          expected.astype(float), name="the region")


def _translate(inside, expected):
    """Whether the boolean mask ``inside`` is ``expected`` moved without wrapping."""
    if (inside.sum() != expected.sum() or not inside.any()
            or np.array_equal(inside, expected)):
        return False
    (r0, c0), (r1, c1) = np.argwhere(inside).min(0), np.argwhere(expected).min(0)
    moved = np.zeros_like(expected)
    rows, cols = np.nonzero(expected)
    rows, cols = rows + r0 - r1, cols + c0 - c1
    height, width = expected.shape
    if rows.min() < 0 or cols.min() < 0 or rows.max() >= height or cols.max() >= width:
        return False
    moved[rows, cols] = True
    return np.array_equal(inside, moved)


@functools.cache
def _leaky_he():
    """sigma^2 for the leaky ReLU, derived by SymPy as in the chapter's He argument."""
    n, lam = sp.Symbol("n", positive=True), sp.Symbol("lambda", positive=True)
    v, m, s2 = sp.symbols("v m s2", positive=True)
    t = sp.Symbol("t", real=True)
    pdf = sp.exp(-t**2 / (2 * v)) / sp.sqrt(2 * sp.pi * v)
    mean_square = (sp.integrate(t**2 * pdf, (t, 0, sp.oo))
                   + sp.integrate((lam * t)**2 * pdf, (t, -sp.oo, 0)))
    return sp.solve(sp.Eq(mean_square.subs(v, n * s2 * m) / m, 1), s2)[0], n, lam


@_register("net-ex-leaky-he")
def _check_leaky_he(answer):
    """answer: sigma^2 as a SymPy expression in the symbols n and lambda (the slope)."""
    expected, n, lam = _leaky_he()
    if isinstance(answer, (list, tuple, set, sp.Set)):
        return wrong(f"sigma2 should be one SymPy expression, got a "
                     f"{type(answer).__name__}: sp.solve returns a list of solutions "
                     "(sp.solveset a set); pass the solution itself.")
    if isinstance(answer, sp.Equality):
        return wrong("sigma2 should be an expression, not an equation: pass its "
                     "right-hand side (the .rhs of the equation).")
    try:
        given = sp.sympify(answer)
    except (sp.SympifyError, TypeError):
        return wrong(f"sigma2 should be a SymPy expression, got {type(answer).__name__}.")
    if not isinstance(given, sp.Expr) or isinstance(given, sp.MatrixBase):
        return wrong(f"sigma2 should be a SymPy expression, got {type(answer).__name__}.")
    # The reader's symbols may carry other assumptions: match them by name. The slope
    # may also be called lamda (SymPy's spelling where lambda is a keyword: in strings)
    # or alpha (another common name for it).
    by_name = {"n": n, "lambda": lam, "lamda": lam, "alpha": lam}
    given = given.subs({s: by_name[s.name] for s in given.free_symbols
                        if getattr(s, "name", None) in by_name})
    return compare_expression(given, expected, name="sigma2")
