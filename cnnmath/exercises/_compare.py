"""The comparisons that the exercise checks share, and the hints they give.

Each ``compare_*`` function returns a :class:`Verdict`. A wrong answer gets the most
specific hint that is true of it, in this order: not the right kind of object; wrong
shape; zero everywhere; off by a sign; off by a constant factor; wrong only on the
border; wrong values from the first entry that differs on. None of them prints the
expected values, and none raises on an odd answer (None, a string, a ragged list, an
integer too large for a float): that gets a hint too. The helpers ``as_numbers`` ...
``agrees`` are shared by the chapters' checks; no chapter module imports another.
"""

import warnings

import numpy as np
import sympy as sp

__all__ = []


class Verdict:
    """Whether an answer passed its check, and the one line that says so.

    ``bool(verdict)`` is ``passed``; the verdict displays as its message, so that a
    notebook cell ending in ``check(...)`` shows the line and nothing else.
    """

    def __init__(self, passed, message):
        self.passed = bool(passed)
        self.message = message

    def __bool__(self):
        return self.passed

    def __repr__(self):
        return ("✓ " if self.passed else "✗ ") + self.message

    __str__ = __repr__


def right(message="right."):
    return Verdict(True, message)


def wrong(hint):
    return Verdict(False, "not yet: " + hint)


def as_numbers(answer):
    """``answer`` as an array of floats, or None if it is not an array of numbers."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.asarray(answer, dtype=float)
    except Exception:  # a ragged list, strings, symbols, a dict, a huge int: not numbers
        return None


def as_number(answer):
    """``answer`` as one finite float, or None if it is not one such number."""
    given = as_numbers(answer)
    if given is None or given.ndim != 0 or not np.isfinite(given):
        return None
    return float(given)


def read_number(answer, name, *, not_finite=", not a finite number."):
    """``(value, None)`` for an answer that is one finite number, else ``(None, hint)``.

    Accepts ints, floats, NumPy scalars, arrays or lists holding one number and SymPy
    numbers; a string, None, a container of several numbers or nan get a hint. The hint
    for nan or inf is ``f"{name} is {value}"`` followed by ``not_finite``, so that a
    chapter can say where such a value comes from.
    """
    if answer is None or isinstance(answer, (str, bytes)):
        got = f"the string {answer!r}" if isinstance(answer, str) else "None"
        return None, wrong(f"{name} should be a number, got {got}: write the number "
                           "itself (or the variable that holds it), without quotes.")
    if _too_large(answer):
        return None, wrong(f"{name} is too large for a float (an integer with hundreds "
                           "of digits?).")
    try:
        value = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None, wrong(f"{name} should be a number, got {type(answer).__name__}.")
    if value.size != 1:
        return None, wrong(f"{name} should be one number, got {type(answer).__name__} "
                           f"of shape {value.shape}.")
    value = float(value.item())
    if not np.isfinite(value):
        return None, wrong(f"{name} is {value}{not_finite}")
    return value, None


def not_numbers(answer, name, number=False):
    """A hint if ``answer`` is not a number (``number``) or an array of numbers, else None."""
    given = as_numbers(answer)
    if number and (given is None or given.ndim != 0 or not np.isfinite(given)):
        return wrong(f"{name} should be one finite number, got {answer!r:.40}.")
    if given is None:
        return wrong(f"{name} should be a NumPy array of numbers, got "
                     f"{type(answer).__name__}.")
    return None


def fewer_axes(given_shape, expected_shape, name):
    """A hint if ``given_shape`` is ``expected_shape`` with extra leading axes of size 1."""
    extra = len(given_shape) - len(expected_shape)
    if (extra > 0 and tuple(given_shape[extra:]) == tuple(expected_shape)
            and all(size == 1 for size in given_shape[:extra])):
        return wrong(f"{name} has shape {tuple(given_shape)}, with leading axes of size 1 "
                     f"that the exercise does not ask for: it wants shape "
                     f"{tuple(expected_shape)}.")
    return None


def rounded(given, expected, name):
    """A hint if the number ``given`` is ``expected`` rounded to a few digits, else None."""
    if given is not None and np.isclose(given, expected, rtol=1e-2, atol=0):
        return wrong(f"{name} is close but not exact: let Python compute it (or write "
                     "it as a fraction) instead of typing a rounded decimal.")
    return None


def _too_large(answer):
    """Whether ``answer`` holds an integer too large for a float (float() overflows)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            np.asarray(answer, dtype=float)
    except OverflowError:
        return True
    except Exception:  # not numbers at all: another hint says so
        return False
    return False


def _index(flat_index, shape):
    return "[" + ", ".join(str(int(i)) for i in np.unravel_index(flat_index, shape)) + "]"


def _scale(answer, expected):
    """The constant c with answer = c * expected, if there is one (else None)."""
    nonzero = np.abs(expected) > 1e-12 * max(1.0, float(np.abs(expected).max()))
    if not nonzero.any() or np.any(np.abs(answer[~nonzero]) > 1e-9):
        return None
    ratios = answer[nonzero] / expected[nonzero]
    c = float(np.median(ratios))
    if np.allclose(ratios, c, rtol=1e-6, atol=1e-9) and not np.isclose(c, 1.0):
        return c
    return None


def compare_arrays(answer, expected, *, name="the array", rtol=1e-9, atol=1e-12):
    """Compare an array answer with the expected array; hints name shapes and indices."""
    if _too_large(answer):
        return wrong(f"{name} holds a number too large for a float (an integer with "
                     "hundreds of digits?).")
    try:
        given = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return wrong(f"{name} should be a NumPy array of numbers, "
                     f"got {type(answer).__name__}.")
    expected = np.asarray(expected, dtype=float)
    if given.shape != expected.shape:
        hint = f"{name} should have shape {expected.shape}, yours has shape {given.shape}"
        if given.ndim == expected.ndim == 2 and given.shape == expected.shape[::-1]:
            hint += " (transposed?)"
        elif given.size == expected.size:
            hint += " (same number of entries: reshaped or transposed?)"
        return wrong(hint + ".")
    if not np.all(np.isfinite(given)):
        where = _index(np.argmax(~np.isfinite(given)), given.shape)
        return wrong(f"{name} contains inf or nan, first at {where}.")
    close = np.isclose(given, expected, rtol=rtol, atol=atol)
    if close.all():
        return right(f"{name} is right (shape {expected.shape}).")
    if not given.any():
        return wrong(f"{name} is zero everywhere, and the right one is not.")
    if np.allclose(given, -expected, rtol=rtol, atol=atol):
        return wrong(f"{name} is off by a sign: every entry has the wrong sign.")
    c = _scale(given, expected)
    if c is not None:
        return wrong(f"{name} is off by a constant factor: yours is about {c:.4g} times "
                     "the right one.")
    if given.ndim >= 2:
        inner = close[..., 1:-1, 1:-1]
        if inner.size and inner.all():
            return wrong(f"{name} is right inside but wrong on the border (the first and "
                         "last rows and columns): look at the padding or the window edges.")
    first = int(np.argmax(~close.ravel()))
    return wrong(f"{name} has the right shape but wrong values, first at "
                 f"{_index(first, given.shape)} ({int((~close).sum())} of {close.size} "
                 "entries differ).")


def compare_number(answer, expected, *, name="the number", rtol=1e-9, atol=1e-12):
    """Compare a scalar answer; hints for the sign, a factor and an integer off by one."""
    try:
        given = float(answer)
    except OverflowError:
        return wrong(f"{name} is too large for a float (an integer with hundreds of "
                     "digits?).")
    except (TypeError, ValueError):
        return wrong(f"{name} should be a number, got {type(answer).__name__}.")
    if np.isclose(given, expected, rtol=rtol, atol=atol):
        return right(f"{name} is right.")
    if expected != 0 and np.isclose(given, -expected, rtol=rtol, atol=atol):
        return wrong(f"{name} has the wrong sign.")
    if float(expected).is_integer() and given.is_integer() and abs(given - expected) == 1:
        return wrong(f"{name} is off by one: count the first and the last again.")
    if expected != 0 and given != 0:
        ratio = given / expected
        for c in (2.0, 0.5, 4.0, 0.25):
            if np.isclose(ratio, c, rtol=1e-6):
                return wrong(f"{name} is off by a factor of {c:g}.")
    return wrong(f"{name} is not right ({'too large' if given > expected else 'too small'}).")


def compare_expression(answer, expected, *, name="the expression"):
    """Compare a SymPy expression (or matrix) with the expected one, exactly."""
    try:
        given = sp.sympify(answer)
    except (sp.SympifyError, TypeError):
        return wrong(f"{name} should be a SymPy expression, got {type(answer).__name__}.")
    expected = sp.sympify(expected)
    if isinstance(expected, sp.MatrixBase):
        if not isinstance(given, sp.MatrixBase):
            return wrong(f"{name} should be a SymPy Matrix of shape {expected.shape}.")
        if given.shape != expected.shape:
            return wrong(f"{name} should have shape {expected.shape}, yours has "
                         f"{given.shape}.")
        for k, (g, e) in enumerate(zip(given, expected)):
            if sp.simplify(g - e) != 0:
                i, j = divmod(k, expected.shape[1])
                sign = " (off by a sign there)" if sp.simplify(g + e) == 0 else ""
                return wrong(f"{name} differs at entry [{i}, {j}]{sign}.")
        return right(f"{name} is right, entry by entry.")
    missing = expected.free_symbols - given.free_symbols
    extra = given.free_symbols - expected.free_symbols
    if sp.simplify(given - expected) == 0:
        return right(f"{name} is right (SymPy simplifies the difference to 0).")
    if extra:
        return wrong(f"{name} should not depend on {sorted(map(str, extra))}.")
    if missing:
        return wrong(f"{name} should depend on {sorted(map(str, missing))}.")
    if expected != 0 and sp.simplify(given + expected) == 0:
        return wrong(f"{name} is off by a sign.")
    if expected != 0:
        ratio = sp.simplify(given / expected)
        if ratio.is_number:
            return wrong(f"{name} is off by a constant factor ({ratio}).")
    return wrong(f"{name} is not equal to the right one (SymPy cannot simplify the "
                 "difference to 0).")


# the tolerances for a result computed in single (or half) precision
_LOW_PRECISION = {np.dtype(np.float32): (1e-4, 1e-5), np.dtype(np.float16): (1e-2, 1e-2)}
_PRECISION_NAME = {np.dtype(np.float32): "single", np.dtype(np.float16): "half"}


def _result_array(result):
    """A function's result as a real array, or the hint that says why it is not one."""
    if result is None:
        return None, "it returned None: is its return statement missing?"
    if _too_large(result):
        return None, "its result holds a number too large for a float."
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            array = np.asarray(result)
            if np.iscomplexobj(array):
                real = np.asarray(array.real, dtype=float)
                imag = np.abs(array.imag)
                if imag.size and imag.max() > 1e-9 * max(1.0, float(np.abs(real).max())):
                    return None, (f"its result is complex, with imaginary parts up to "
                                  f"{imag.max():.2g}; the right result is real.")
                return real, None
            if array.dtype.kind not in "biuf":
                array = np.asarray(array, dtype=float)
    except (TypeError, ValueError):
        return None, (f"its result should be a NumPy array of numbers, got "
                      f"{type(result).__name__}.")
    return array, None


def compare_function(function, reference, cases, *, name="your function", rtol=1e-9,
                     atol=1e-12, low_precision=False, note_precision=False):
    """Run ``function`` and ``reference`` on every case (a tuple of arguments) and compare.

    ``cases`` is a list of argument tuples, typically random arrays of several shapes.
    The hint names the first case that fails by the shapes of its arguments. The
    function gets copies of the arguments, so it cannot change the cases. Lenient on the
    form of the result: a list, an integer array or a complex array whose imaginary part
    is rounding noise pass when their values are right. A result that is None, a string,
    a dict or holds an int too large for a float gets a hint, never a traceback.

    With ``low_precision=True``, a float32 (float16) result is compared at float32's
    (float16's) precision, and ``atol`` is relative to the largest expected value (at
    least 1). By default a float32 result must meet ``rtol`` and ``atol`` as given, so
    that a check can tell the reader that float32 is not precise enough. With
    ``note_precision=True`` as well, a passing function that returned float32 (float16)
    results is told that it agrees "to single (half) precision".
    """
    if not callable(function):
        return wrong(f"{name} should be a Python function, got "
                     f"{type(function).__name__}.")
    low = None            # the low-precision dtype a result was compared at, if any
    for args in cases:
        described = ", ".join(f"shape {np.shape(a)}" if np.ndim(a) else repr(a)
                              for a in args)
        try:
            got = function(*[np.copy(a) if isinstance(a, np.ndarray) else a
                             for a in args])
        except Exception as error:  # the reader's code: report any failure as a hint
            return wrong(f"{name} raised {type(error).__name__}: {error} (arguments: "
                         f"{described}).")
        if got is None:
            return wrong(f"{name} returned None (on arguments with {described}): is "
                         "its return statement missing?")
        array, problem = _result_array(got)
        if problem is not None:
            return wrong(f"on arguments with {described}, {problem}")
        expected = reference(*args)
        tolerances = {"rtol": rtol, "atol": atol}
        if low_precision:
            low_rtol, low_atol = _LOW_PRECISION.get(array.dtype, (0.0, 0.0))
            scale = max(1.0, float(np.abs(np.asarray(expected, dtype=float))
                                   .max(initial=0.0)))
            tolerances = {"rtol": max(rtol, low_rtol), "atol": max(atol, low_atol) * scale}
            if array.dtype in _LOW_PRECISION:
                low = array.dtype
        verdict = compare_arrays(array, expected, name="its result", **tolerances)
        if not verdict:
            return wrong(f"on arguments with {described}, "
                         + verdict.message.removeprefix("not yet: "))
    if note_precision and low is not None:
        return right(f"{name} agrees with the reference on {len(cases)} random cases, "
                     f"to {_PRECISION_NAME[low]} precision (it returns {low}).")
    return right(f"{name} agrees with the reference on {len(cases)} random cases.")


def check_function(answer, reference, cases, *, name, **tolerances):
    """compare_function, with a hint for a result that has extra leading axes of size 1."""
    verdict = compare_function(answer, reference, cases, name=name, **tolerances)
    if verdict or not callable(answer):
        return verdict
    args = cases[0]
    try:
        got = answer(*[np.copy(a) if isinstance(a, np.ndarray) else a for a in args])
    except Exception:  # compare_function has reported it
        return verdict
    given = as_numbers(got)
    if given is not None and got is not None:
        hint = fewer_axes(given.shape, np.shape(reference(*args)), "the result of " + name)
        if hint is not None:
            return hint
    return verdict


def agrees(answer, reference, cases):
    """Whether ``answer`` agrees with ``reference`` on every case (never raises)."""
    try:
        return bool(compare_function(answer, reference, cases))
    except Exception:  # a reference that fails on these cases: no agreement to report
        return False
