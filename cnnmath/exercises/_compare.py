"""The comparisons that the exercise checks share, and the hints they give.

Each ``compare_*`` function returns a :class:`Verdict`. A wrong answer gets the most
specific hint that is true of it, in this order: not the right kind of object; wrong
shape; zero everywhere; off by a sign; off by a constant factor; wrong only on the
border; wrong values from the first entry that differs on. None of them prints the
expected values, and none raises on an odd answer (None, a string, a ragged list, an
integer too large for a float): that gets a hint too. A number written as a string ("28")
is not read as the number: every reader here (``as_numbers``, ``read_number``,
``compare_arrays``, ``compare_number``) asks for it without quotes. The helpers
``as_numbers`` ... ``calls_to`` are shared by the chapters' checks; no chapter module
imports another.
"""

import sys
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


def _is_text(answer):
    """Whether ``answer`` is a string, or an array or list that holds strings."""
    if isinstance(answer, (str, bytes, np.str_, np.bytes_)):
        return True
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return np.asarray(answer).dtype.kind in "USO" and _holds_text(answer)
    except Exception:  # a ragged list or a huge int: not text, another hint says what
        return False


def _holds_text(answer):
    """Whether a (nested) list or object array contains a string."""
    if isinstance(answer, (str, bytes, np.str_, np.bytes_)):
        return True
    if isinstance(answer, (list, tuple, np.ndarray)):
        return any(_holds_text(item) for item in answer)
    return False


def _quoted(name, answer, kind="a number"):
    """The hint for a number (``kind``) written as text: the one rule for strings."""
    got = f"the string {answer!r:.40}" if isinstance(answer, str) else "text"
    return wrong(f"{name} should be {kind}, got {got}: write the number itself (or "
                 "the variable that holds it), without quotes.")


def as_numbers(answer):
    """``answer`` as an array of floats, or None if it is not an array of numbers (a
    string such as "28" is not: it is text)."""
    if _is_text(answer):
        return None
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
    if answer is None:
        return None, wrong(f"{name} should be a number, got None: write the number "
                           "itself (or the variable that holds it), without quotes.")
    if _is_text(answer):
        return None, _quoted(name, answer)
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
    if _is_text(answer):
        return _quoted(name, answer, "one finite number" if number
                       else "a NumPy array of numbers")
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


def _scale(answer, expected, entries=2):
    """The positive constant c with answer = c * expected, if there is one (else None).

    Only a factor seen on at least ``entries`` nonzero entries counts: on one entry any
    answer is "a multiple" of the right one. compare_function asks for more, over all
    its cases at once, since the entries of one small case may be tied to each other
    (such as (-g, g)). A negative factor other than -1 (which is a sign hint) says
    nothing useful, so it is not reported either.
    """
    answer, expected = np.ravel(answer), np.ravel(expected)
    if not expected.size:
        return None
    nonzero = np.abs(expected) > 1e-12 * max(1.0, float(np.abs(expected).max()))
    if nonzero.sum() < entries or np.any(np.abs(answer[~nonzero]) > 1e-9):
        return None
    ratios = answer[nonzero] / expected[nonzero]
    c = float(np.median(ratios))
    if c > 0 and np.allclose(ratios, c, rtol=1e-6, atol=1e-9) and not np.isclose(c, 1.0):
        return c
    return None


def compare_arrays(answer, expected, *, name="the array", rtol=1e-9, atol=1e-12,
                   scaled=True):
    """Compare an array answer with the expected array; hints name shapes and indices.

    With ``scaled=False`` the sign and factor hints are left out (compare_function
    decides them over all its cases at once).
    """
    if _is_text(answer):
        return _quoted(name, answer, "a NumPy array of numbers")
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
    if scaled:
        hint = _scaled_hint(given, expected, name, rtol, atol)
        if hint is not None:
            return hint
    if given.ndim >= 2:
        inner = close[..., 1:-1, 1:-1]
        if inner.size and inner.all():
            return wrong(f"{name} is right inside but wrong on the border (the first and "
                         "last rows and columns): look at the padding or the window edges.")
    first = int(np.argmax(~close.ravel()))
    return wrong(f"{name} has the right shape but wrong values, first at "
                 f"{_index(first, given.shape)} ({int((~close).sum())} of {close.size} "
                 "entries differ).")


def _scaled_hint(given, expected, name, rtol, atol, entries=2):
    """The sign or constant-factor hint that is true of ``given``, else None."""
    if (np.count_nonzero(expected) >= entries
            and np.allclose(given, -expected, rtol=rtol, atol=atol)):
        return wrong(f"{name} is off by a sign: every entry has the wrong sign.")
    c = _scale(given, expected, entries)
    if c is not None:
        return wrong(f"{name} is off by a constant factor: yours is about {c:.4g} times "
                     "the right one.")
    return None


def compare_number(answer, expected, *, name="the number", rtol=1e-9, atol=1e-12):
    """Compare a scalar answer; hints for the sign, a factor and an integer off by one."""
    given, hint = read_number(answer, name)
    if hint is not None:
        return hint
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


def _describe(args):
    return ", ".join(f"shape {np.shape(a)}" if np.ndim(a) else repr(a) for a in args)


def _run(function, args):
    """``function(*args)`` on copies of the array arguments."""
    return function(*[np.copy(a) if isinstance(a, np.ndarray) else a for a in args])


def _tolerances(array, expected, rtol, atol):
    """The tolerances for a result of ``array``'s dtype: rtol and atol as given for
    float64, single (half) precision's for a float32 (float16) result, its atol
    relative to the largest expected value (at least 1)."""
    if array.dtype not in _LOW_PRECISION:
        return {"rtol": rtol, "atol": atol}
    low_rtol, low_atol = _LOW_PRECISION[array.dtype]
    scale = max(1.0, float(np.abs(np.asarray(expected, dtype=float)).max(initial=0.0)))
    return {"rtol": max(rtol, low_rtol), "atol": max(atol, low_atol) * scale}


def _case_factor(given, expected):
    """The positive c with given = c * expected on one case's entries, or None; nan when
    the case cannot tell (every expected entry is 0, and so is every given one)."""
    nonzero = np.abs(expected) > 1e-12 * max(1.0, float(np.abs(expected).max(initial=0)))
    if np.any(np.abs(given[~nonzero]) > 1e-9):
        return None
    if not nonzero.any():
        return float("nan")
    ratios = given[nonzero] / expected[nonzero]
    c = float(np.median(ratios))
    return c if c > 0 and np.allclose(ratios, c, rtol=1e-6, atol=1e-9) else None


def _scaled_over_cases(function, reference, cases, failing, name, rtol, atol):
    """The sign or factor hint that holds on every case (else None), said of the case
    ``failing``: a factor seen on one small case alone (two entries, or entries tied as
    (-g, g)) is often a coincidence. A sign must hold on every entry of every case, a
    factor on every case, with at least 3 nonzero entries in one of them; the factor may
    change from case to case (a forgotten mean divides by a size that does)."""
    givens, expecteds = [], []
    for args in cases:
        try:
            array, problem = _result_array(_run(function, args))
            expected = np.asarray(reference(*args), dtype=float)
        except Exception:  # the reader's code: the first failing case is reported
            return None
        if problem is not None or array.shape != expected.shape:
            return None
        givens.append(np.ravel(np.asarray(array, dtype=float)))
        expecteds.append(np.ravel(expected))
    if not all(np.all(np.isfinite(given)) for given in givens):
        return None
    given, expected = np.concatenate(givens), np.concatenate(expecteds)
    if (np.count_nonzero(expected) >= 4
            and np.allclose(given, -expected, rtol=rtol, atol=atol)):
        return wrong(f"{name} is off by a sign: every entry has the wrong sign.")
    factors = [_case_factor(g, e) for g, e in zip(givens, expecteds)]
    if (any(c is None for c in factors) or np.isnan(factors[failing])
            or np.isclose(factors[failing], 1.0)
            or max(np.count_nonzero(e) for e in expecteds) < 3):
        return None
    c = factors[failing]
    known = [f for f in factors if not np.isnan(f)]
    if np.allclose(known, c, rtol=1e-6):
        return wrong(f"{name} is off by a constant factor: yours is about {c:.4g} "
                     "times the right one.")
    return wrong(f"{name} is off by a factor: yours is about {c:.4g} times the right "
                 "one here, and the factor changes from case to case (a size, a "
                 "count or a power?).")


def compare_function(function, reference, cases, *, name="your function", rtol=1e-9,
                     atol=1e-12, low_precision=True, note_precision=False):
    """Run ``function`` and ``reference`` on every case (a tuple of arguments) and compare.

    ``cases`` is a list of argument tuples, typically random arrays of several shapes.
    The hint names the first case that fails by the shapes of its arguments; a sign or
    a constant factor is hinted at only if it holds on every case. The function gets
    copies of the arguments, so it cannot change the cases. Lenient on the form of the
    result: a list, an integer array or a complex array whose imaginary part is rounding
    noise pass when their values are right. A result that is None, a string, a dict or
    holds an int too large for a float gets a hint, never a traceback.

    One rule for a float32 (float16) result: it is compared at single (half)
    precision, with ``atol`` relative to the largest expected value (at least 1), so a
    slip still gets its sign or factor hint. A result that is right to that precision
    passes (``low_precision=True``, the default) or, for an exercise that asks for
    float64 (``low_precision=False``), is told that it is right to single precision and
    should be computed in float64; never that its values are wrong. With
    ``note_precision=True``, a passing function that returned float32 (float16) results
    is told that it agrees "to single (half) precision".
    """
    if not callable(function):
        return wrong(f"{name} should be a Python function, got "
                     f"{type(function).__name__}.")
    low = None            # the low-precision dtype a result was compared at, if any
    for index, args in enumerate(cases):
        described = _describe(args)
        try:
            got = _run(function, args)
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
        tolerances = _tolerances(array, expected, rtol, atol)
        verdict = compare_arrays(array, expected, name="its result", scaled=False,
                                 **tolerances)
        if not verdict:
            hint = _scaled_over_cases(function, reference, cases, index, "its result",
                                      **tolerances)
            return wrong(f"on arguments with {described}, "
                         + (verdict if hint is None else hint).message.removeprefix("not yet: "))
        if array.dtype in _LOW_PRECISION:
            strict = compare_arrays(array, expected, rtol=rtol, atol=atol)
            if not strict and not low_precision:
                precision = _PRECISION_NAME[array.dtype]
                return wrong(f"{name} is right to {precision} precision only (it returns "
                             f"{array.dtype}, on arguments with {described}); this "
                             "exercise needs more digits: compute in float64.")
            low = array.dtype
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


def calls_to(function, answer, args):
    """How many times ``answer(*args)`` calls ``function`` (a function of cnnmath).

    Counted however the answer reaches it: as an attribute of a cnnmath module
    (``cnnmath.conv2d``, ``cnnmath.conv.conv2d``), as a name it imported (a global of its
    module) or as a variable of an enclosing function. A function that hid it elsewhere,
    in a default argument say, is not counted. The answer gets copies of the arrays in
    ``args``; if it raises, the calls made until then are counted.
    """
    calls = []

    def counted(*call_args, **kwargs):
        calls.append(1)
        return function(*call_args, **kwargs)

    modules = [module for module_name, module in list(sys.modules.items())
               if (module_name == "cnnmath" or module_name.startswith("cnnmath."))
               and not module_name.startswith("cnnmath.exercises")]
    homes = [(module, attribute) for module in modules
             for attribute, value in list(vars(module).items()) if value is function]
    namespace = getattr(answer, "__globals__", {})
    names = [key for key, value in namespace.items() if value is function]
    cells = [cell for cell in getattr(answer, "__closure__", None) or ()
             if _holds(cell, function)]

    def point_at(target):
        for module, attribute in homes:
            setattr(module, attribute, target)
        namespace.update(dict.fromkeys(names, target))
        for cell in cells:
            cell.cell_contents = target

    try:
        point_at(counted)
        _run(answer, args)
    except Exception:  # the reader's code: its failure is reported elsewhere
        pass
    finally:
        point_at(function)
    return len(calls)


def _holds(cell, value):
    try:
        return cell.cell_contents is value
    except ValueError:  # a cell not yet filled
        return False
