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


def as_real(value, name, low=None, high=None, low_open=False, high_open=False):
    """Return a finite real scalar (a slope, a step, a probability) as a Python float.

    ``low`` and ``high`` bound it (closed unless ``low_open``/``high_open``):
    ``as_real(p, "p", 0, 1, high_open=True)`` accepts p in [0, 1). NumPy scalars
    are real numbers too; bools are not. A Python float keeps float32 arrays
    float32 when multiplied with them.
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{name} must be a real number, got {value!r} of type {type(value).__name__}"
        )
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high:
        left = "(" if low_open or low is None else "["
        right = ")" if high_open or high is None else "]"
        lower = "-inf" if low is None else f"{low:g}"
        upper = "inf" if high is None else f"{high:g}"
        raise ValueError(f"{name} must lie in {left}{lower}, {upper}{right}, got {value:g}")
    return value


def check_flag(value, name):
    """Return a yes/no argument as a Python bool; NumPy's ``np.bool_`` counts as one.

    Integers are refused: ``ceil_mode=1`` is more likely a slip than a choice.
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(
            f"{name} must be True or False, got {value!r} of type {type(value).__name__}")
    return bool(value)


def as_axis(axis, x, name="x"):
    """Return ``axis`` as an index of ``x`` (negative counts from the end).

    The axis must exist and have at least one entry: a softmax or a loss over an
    empty axis has no meaning.
    """
    axis = as_int(axis, "axis")
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(
            f"axis must be in [{-x.ndim}, {x.ndim - 1}] for {name} of shape {x.shape}, got {axis}"
        )
    if x.shape[axis] == 0:
        raise ValueError(
            f"{name} must have at least one entry along axis {axis}, got shape {x.shape}")
    return axis


def check_upstream(dy, expected_shape, op, allow_object=False):
    """Return the upstream gradient ``dy`` as an array of the forward output's shape.

    ``op`` names the forward function, so the message says whose output dy must match.
    """
    dy = as_array(dy, "dy", allow_object=allow_object)
    expected_shape = tuple(expected_shape)
    if dy.shape != expected_shape:
        raise ValueError(
            f"dy must have the shape of {op}'s output {expected_shape}, got {dy.shape}")
    return dy


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
