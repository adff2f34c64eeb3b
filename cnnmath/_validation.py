"""Argument checks shared by every public function.

Each check raises ``TypeError`` (wrong kind of thing) or ``ValueError`` (right
kind, wrong value) with a message that names the argument, what it received
and what was expected, so a reader who calls cnnmath wrongly learns what to fix.
"""

import numbers

import numpy as np


def as_array(x, name, ndim=None, allow_object=False):
    """Return ``x`` as a NumPy array of floats, checking its rank.

    Integer and boolean input is converted to float64; float32 stays float32.
    ``allow_object=True`` lets SymPy object arrays through (the loop references
    run on symbols).
    """
    if isinstance(x, (str, bytes)) or x is None:
        raise TypeError(f"{name} must be an array of numbers, got {type(x).__name__}")
    arr = np.asarray(x)
    if arr.dtype == object:
        if not allow_object:
            raise TypeError(f"{name} must be an array of numbers, got dtype object")
        check_object_entries(arr, name)
    elif arr.dtype.kind in "iub":
        arr = arr.astype(np.float64)
    elif arr.dtype.kind != "f":
        raise TypeError(f"{name} must be an array of real numbers, got dtype {arr.dtype}")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(
            f"{name} must have {ndim} dimensions, got shape {arr.shape} ({arr.ndim} dimensions)"
        )
    return arr


def as_int(value, name, minimum=None):
    """Return ``value`` as a Python int, requiring ``value >= minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {value!r} of type {type(value).__name__}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def as_pair(value, name, minimum=None):
    """Return an int or a pair of ints as a tuple ``(for_height, for_width)``."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair of ints, got {value!r}")
        return tuple(as_int(v, name, minimum) for v in value)
    v = as_int(value, name, minimum)
    return (v, v)


def check_choice(value, name, choices):
    """Require ``value`` to be one of ``choices`` (strings)."""
    if not isinstance(value, str) or value not in choices:
        expected = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {expected}, got {value!r}")
    return value


def check_finite(x, name):
    """Reject NaN and infinity where a function cannot give a meaningful answer."""
    if x.dtype != object and not np.all(np.isfinite(x)):
        raise ValueError(f"{name} must contain only finite numbers, got NaN or infinity")
    return x


def check_same_shape(a, a_name, b, b_name):
    """Require two arrays of exactly the same shape (no silent broadcasting)."""
    if a.shape != b.shape:
        raise ValueError(
            f"{a_name} and {b_name} must have the same shape, got {a.shape} and {b.shape}"
        )


def as_real(value, name):
    """Return a finite real scalar (a slope, a scale) as a Python float.

    A Python float keeps float32 arrays float32 when multiplied with them.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a real number, got {value!r} of type {type(value).__name__}"
        )
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def check_object_entries(arr, name):
    """Require every entry of an object array to be a real number or a SymPy expression.

    Object arrays exist so that the loop references (and the fast functions) can
    run on symbols; anything else in them (strings, None, arbitrary objects)
    would fail deep inside NumPy with a message that names nothing.
    """
    import sympy

    for index, entry in np.ndenumerate(arr):
        if not isinstance(entry, (numbers.Real, sympy.Basic)):
            raise TypeError(
                f"{name} must hold real numbers or SymPy expressions, got an object array "
                f"with {entry!r} of type {type(entry).__name__} at index {index}"
            )
    return arr
