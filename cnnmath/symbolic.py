"""SymPy helpers for exact proofs on small arrays.

The loop references (and the vectorised functions) accept NumPy object arrays
of SymPy expressions, so a whole layer can run on symbols. With the helpers
below a gradient formula is proven, not sampled: build symbol arrays, run the
forward pass, differentiate the scalar loss exactly, and check that the
difference from the claimed gradient simplifies to 0 entry by entry.
``check_backward_exact`` does all of that for one layer; it is the exact twin
of ``cnnmath.gradcheck.check_backward``.
"""

import numbers

import numpy as np
import sympy as sp

__all__ = [
    "symbol_array", "gradient", "exactly_equal", "assert_exactly_equal", "as_matrix",
    "check_backward_exact",
]


def symbol_array(name, shape, real=True, positive=False):
    """An object array of distinct symbols ``name_{i,j,...}``, one per index.

    >>> symbol_array("w", (2, 2))[1, 0]
    w_{1,0}

    Parameters
    ----------
    name : str
        The symbols' common name, non-empty.
    shape : int or tuple of int
        The array's shape.
    real : bool
        Declare the symbols real (the default; it lets SymPy simplify ``|x|``
        and conjugates).
    positive : bool
        Declare the symbols positive (needed where a power or a root of x must
        simplify, as in power-average pooling).

    Returns
    -------
    ndarray
        An object array of ``sympy.Symbol``, of the given shape.

    Raises
    ------
    TypeError
        If ``name`` is not a string or ``shape`` is not an int or a tuple of ints.
    ValueError
        If ``name`` is empty or a dimension is negative.

    Notes
    -----
    The book uses it first in :ref:`bpconv-single`.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {name!r} of type {type(name).__name__}")
    if not name:
        raise ValueError("name must be a non-empty string, got ''")
    shape = _as_shape(shape)
    array = np.empty(shape, dtype=object)
    for index in np.ndindex(shape):
        label = f"{name}_{{{','.join(str(i) for i in index)}}}"
        array[index] = sp.Symbol(label, real=real, positive=positive or None)
    return array


def _as_shape(shape):
    dims = (shape,) if isinstance(shape, numbers.Integral) else shape
    if not isinstance(dims, (tuple, list)) or not all(
            isinstance(d, numbers.Integral) and not isinstance(d, bool) for d in dims):
        raise TypeError(f"shape must be an int or a tuple of ints, got {shape!r}")
    if any(d < 0 for d in dims):
        raise ValueError(f"shape must have dimensions >= 0, got {tuple(dims)}")
    return tuple(int(d) for d in dims)


def gradient(expr, symbols):
    """Exact partial derivatives of the scalar ``expr``, shaped like ``symbols``.

    A loss is usually a long sum, and differentiating the whole sum once per
    symbol costs (terms x symbols). Since the derivative of a sum is the sum of
    the derivatives, each term is differentiated only with respect to the
    symbols that occur in it, which gives the same result much faster.

    Parameters
    ----------
    expr : sympy expression
        A scalar; expand it first (``sympy.expand``) to make it a sum of many terms.
    symbols : ndarray
        Distinct ``sympy.Symbol`` objects, any shape (see ``symbol_array``).

    Returns
    -------
    ndarray
        An object array shaped like ``symbols``: entry i is d expr / d symbols[i].

    Raises
    ------
    TypeError
        If an entry of ``symbols`` is not a ``sympy.Symbol``.
    ValueError
        If a symbol occurs twice.

    Notes
    -----
    The book uses it first in :ref:`bpconv-single`.
    """
    expr = sp.sympify(expr)
    symbols = np.asarray(symbols, dtype=object)
    for index, s in np.ndenumerate(symbols):
        if not isinstance(s, sp.Symbol):
            raise TypeError(
                f"symbols must hold SymPy symbols (see symbol_array), got {s!r} at index {index}"
            )
    position = {s: index for index, s in np.ndenumerate(symbols)}
    if len(position) != symbols.size:
        raise ValueError(
            f"symbols must be distinct, got {symbols.size} entries but {len(position)} "
            f"distinct symbols"
        )
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
    """True when every entry of ``a - b`` simplifies to exactly 0 (no floating tolerance).

    Parameters
    ----------
    a, b : ndarray
        Arrays (object or numeric) of the same shape.

    Returns
    -------
    bool

    Raises
    ------
    ValueError
        If the shapes differ.

    Notes
    -----
    The book uses it first in :ref:`bpconv-single`.
    """
    return _first_difference(a, b) is None


def assert_exactly_equal(a, b):
    """Raise ``AssertionError`` showing the first entry where ``a`` and ``b`` differ.

    Parameters
    ----------
    a, b : ndarray
        Arrays (object or numeric) of the same shape.

    Raises
    ------
    AssertionError
        If some entry of ``a - b`` does not simplify to 0; the message gives its
        index and both expressions.
    ValueError
        If the shapes differ.

    Notes
    -----
    The book uses it first in :ref:`bpconv-single`.
    """
    index = _first_difference(a, b)
    if index is not None:
        a, b = np.asarray(a, dtype=object), np.asarray(b, dtype=object)
        raise AssertionError(f"entry {index} differs: {a[index]} != {b[index]}")


def as_matrix(array):
    """A 2-D (or 1-D) object array as a ``sympy.Matrix``, for display.

    Parameters
    ----------
    array : ndarray
        1-D or 2-D.

    Returns
    -------
    sympy.Matrix

    Raises
    ------
    ValueError
        If ``array`` has another number of dimensions.

    Notes
    -----
    The book uses it first in :ref:`bpconv-single`.
    """
    array = np.asarray(array, dtype=object)
    if array.ndim not in (1, 2):
        raise ValueError(f"array must have 1 or 2 dimensions, got shape {array.shape}")
    return sp.Matrix(array.tolist())


def check_backward_exact(forward, backward, shapes, positive=False):
    """Prove that ``backward`` is the exact gradient of ``sum(G * forward(...))``.

    Every input is an array of symbols, and so is the upstream gradient G; SymPy
    differentiates the scalar ``sum(G * forward(*inputs))`` with respect to each
    input, and ``backward(G, *inputs)``, run on the same symbols, must equal
    those derivatives exactly, entry by entry.

    Parameters
    ----------
    forward : callable
        ``forward(*inputs)`` returns an array y; it must run on object arrays
        (the loop references in ``cnnmath.reference`` do).
    backward : callable
        ``backward(G, *inputs)`` returns a tuple with one gradient per input, or
        one array when there is one input.
    shapes : dict
        Input name to shape, in the order of ``forward``'s arguments:
        ``{"x": (1, 1, 3, 3), "w": (1, 1, 2, 2)}``. The names become the symbols' names.
    positive : bool
        Make the inputs' symbols positive (G stays real).

    Returns
    -------
    dict
        Input name to its exact gradient (an object array of the input's shape).

    Raises
    ------
    AssertionError
        If a gradient differs from SymPy's; the message names the input, the
        entry, and both expressions (or both shapes).
    TypeError
        If ``forward`` or ``backward`` is not callable or ``shapes`` is not a dict.
    ValueError
        If ``shapes`` is empty or uses the name ``"G"`` (the upstream gradient's),
        or ``backward`` returns another number of gradients than there are inputs.

    Notes
    -----
    The book derives this in :ref:`bpconv-gradcheck`.
    """
    for f, name in ((forward, "forward"), (backward, "backward")):
        if not callable(f):
            raise TypeError(f"{name} must be callable, got {type(f).__name__}")
    if not isinstance(shapes, dict):
        raise TypeError(
            f"shapes must be a dict of input name to shape, got {type(shapes).__name__}"
        )
    if not shapes or "G" in shapes:
        raise ValueError(
            f"shapes must name at least one input, and not 'G' (the upstream gradient), "
            f"got {list(shapes)}"
        )
    inputs = [symbol_array(name, shape, positive=positive) for name, shape in shapes.items()]
    y = np.asarray(forward(*inputs), dtype=object)
    upstream = symbol_array("G", y.shape)
    loss = sp.expand(np.sum(upstream * y))
    claimed = backward(upstream, *inputs)
    if len(inputs) == 1 and not isinstance(claimed, (list, tuple)):
        claimed = [claimed]
    if len(claimed) != len(inputs):
        raise ValueError(
            f"backward must return one gradient per input ({len(inputs)}), got {len(claimed)}"
        )
    exact = {}
    for name, x, grad in zip(shapes, inputs, claimed):
        truth, grad = gradient(loss, x), np.asarray(grad, dtype=object)
        if grad.shape != truth.shape:
            raise AssertionError(f"d/d{name} has shape {grad.shape}, expected {truth.shape}")
        index = _first_difference(grad, truth)
        if index is not None:
            raise AssertionError(
                f"d/d{name} differs at entry {index}: backward gives {grad[index]}, "
                f"SymPy gives {truth[index]}"
            )
        exact[name] = truth
    return exact
