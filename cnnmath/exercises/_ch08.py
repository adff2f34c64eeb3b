"""Checks for the exercises of chapter 8, a whole network.

Every expected answer is computed here from cnnmath or SymPy, never typed in.
"""

import numpy as np
import sympy as sp

from .. import conv, pooling, shapes
from . import _register
from ._compare import compare_arrays, compare_expression, compare_number, wrong


@_register("net-ex-params")
def _check_params(answer):
    """answer: the number of parameters of the digits network (16 filters, 128 units)."""
    from ..models import digits_network

    model = digits_network(channels=16, hidden=128, rng=np.random.default_rng(0))
    expected = sum(p.data.size for p in model.parameters())
    try:
        given = float(answer)
    except (TypeError, ValueError):
        return wrong(f"the count should be a number, got {type(answer).__name__}.")
    biases = sum(p.data.size for name, p in model.named_parameters()
                 if name.endswith("bias"))
    if given == expected - biases:
        return wrong("that counts the weights only: every filter and every unit also "
                     "has a bias.")
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
    try:
        given = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return wrong(f"the region should be a NumPy array of shape (8, 8), "
                     f"got {type(answer).__name__}.")
    if given.shape == expected.shape:
        inside = given != 0
        for shift in ((1, 1), (-1, -1)):
            if np.array_equal(inside, np.roll(expected, shift, axis=(0, 1))):
                return wrong("your region is shifted by one row and one column: with "
                             "padding 1, the output at (i, j) reads the input rows i - 1 "
                             "to i + 1 and columns j - 1 to j + 1.")
        if inside.sum() < expected.sum() and not (inside & ~expected).any():
            return wrong(f"your region is too small ({int(inside.sum())} pixels): every "
                         "entry of the pooling window counts, not only its maximum, and "
                         "each sees a 3 x 3 patch.")
        if inside.sum() > expected.sum() and not (expected & ~inside).any():
            return wrong(f"your region is too large ({int(inside.sum())} pixels): the "
                         "pooling window has 2 x 2 entries and each sees a 3 x 3 patch.")
    return compare_arrays(given != 0 if given.shape == expected.shape else given,
                          expected.astype(float), name="the region")


def _leaky_he():
    """sigma^2 for the leaky ReLU, derived by SymPy as in the chapter's He argument."""
    n, alpha = sp.Symbol("n", positive=True), sp.Symbol("alpha", positive=True)
    v, m, s2 = sp.symbols("v m s2", positive=True)
    t = sp.Symbol("t", real=True)
    pdf = sp.exp(-t**2 / (2 * v)) / sp.sqrt(2 * sp.pi * v)
    mean_square = (sp.integrate(t**2 * pdf, (t, 0, sp.oo))
                   + sp.integrate((alpha * t)**2 * pdf, (t, -sp.oo, 0)))
    return sp.solve(sp.Eq(mean_square.subs(v, n * s2 * m) / m, 1), s2)[0], n, alpha


@_register("net-ex-leaky-he")
def _check_leaky_he(answer):
    """answer: sigma^2 as a SymPy expression in the symbols n and alpha."""
    expected, n, alpha = _leaky_he()
    try:
        given = sp.sympify(answer)
    except (sp.SympifyError, TypeError):
        return wrong(f"sigma2 should be a SymPy expression, got {type(answer).__name__}.")
    # The reader's symbols may carry other assumptions: match them by name.
    by_name = {"n": n, "alpha": alpha}
    given = given.subs({s: by_name[s.name] for s in getattr(given, "free_symbols", ())
                        if s.name in by_name})
    return compare_expression(given, expected, name="sigma2")
