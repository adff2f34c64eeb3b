"""SymPy helpers for exact proofs on small arrays.

The loop references (and the vectorised functions) accept NumPy object arrays
of SymPy expressions, so a whole layer can run on symbols. With the helpers
below a gradient formula is proven, not sampled: build symbol arrays, run the
forward pass, differentiate the scalar loss exactly, and check that the
difference from the claimed gradient simplifies to 0 entry by entry.
"""

import numpy as np
import sympy as sp

__all__ = ["symbol_array", "gradient", "exactly_equal", "assert_exactly_equal", "as_matrix"]


def symbol_array(name, shape, real=True):
    """An object array of distinct symbols ``name_{i,j,...}``, one per index.

    >>> symbol_array("w", (2, 2))[1, 0]
    w_{1,0}
    """
    if not isinstance(name, str) or not name:
        raise TypeError(f"name must be a non-empty string, got {name!r}")
    shape = (shape,) if isinstance(shape, int) else tuple(shape)
    array = np.empty(shape, dtype=object)
    for index in np.ndindex(shape):
        array[index] = sp.Symbol(f"{name}_{{{','.join(str(i) for i in index)}}}", real=real)
    return array


def gradient(expr, symbols):
    """Exact partial derivatives of the scalar ``expr``, shaped like ``symbols``.

    A loss is usually a long sum, and differentiating the whole sum once per
    symbol costs (terms x symbols). Since the derivative of a sum is the sum of
    the derivatives, each term is differentiated only with respect to the
    symbols that occur in it, which gives the same result much faster.
    """
    expr = sp.sympify(expr)
    symbols = np.asarray(symbols, dtype=object)
    position = {s: index for index, s in np.ndenumerate(symbols)}
    if not all(isinstance(s, sp.Symbol) for s in position) or len(position) != symbols.size:
        raise ValueError("symbols must be distinct SymPy symbols (see symbol_array)")
    parts = {index: [] for index in position.values()}
    for term in sp.Add.make_args(expr):
        for s in term.free_symbols & position.keys():
            parts[position[s]].append(_term_derivative(term, s))
    grad = np.empty(symbols.shape, dtype=object)
    for index, derivatives in parts.items():
        grad[index] = sp.Add(*derivatives)
    return grad


def _term_derivative(term, s):
    """d term / d s; a product with a single plain factor s just loses that factor."""
    if term.is_Mul and s in term.args:
        others = [f for f in term.args if f != s]
        if all(s not in f.free_symbols for f in others):
            return sp.Mul(*others)
    return sp.diff(term, s)


def _first_difference(a, b):
    """Index of the first entry whose difference does not simplify to 0, or None."""
    a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    for index in np.ndindex(a.shape):
        difference = sp.expand(sp.sympify(a[index]) - sp.sympify(b[index]))
        if difference != 0 and sp.simplify(difference) != 0:
            return index
    return None


def exactly_equal(a, b):
    """True when every entry of ``a - b`` simplifies to exactly 0 (no floating tolerance)."""
    return _first_difference(a, b) is None


def assert_exactly_equal(a, b):
    """Raise ``AssertionError`` showing the first entry where ``a`` and ``b`` differ."""
    index = _first_difference(a, b)
    if index is not None:
        a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
        raise AssertionError(f"entry {index} differs: {a[index]} != {b[index]}")


def as_matrix(array):
    """A 2-D (or 1-D) object array as a ``sympy.Matrix``, for display."""
    array = np.asarray(array, dtype=object)
    if array.ndim not in (1, 2):
        raise ValueError(f"array must have 1 or 2 dimensions, got shape {array.shape}")
    return sp.Matrix(array.tolist())
