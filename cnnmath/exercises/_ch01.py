"""Checks for the exercises of chapter 1, images as arrays."""

import numpy as np

from . import _register
from ._compare import (agrees, as_number, as_numbers, check_function, compare_arrays,
                       compare_number, not_numbers, right, rounded, wrong)
from ..data import sample_image


def _photo_values():
    """How many numbers the photograph holds (rows x columns x channels)."""
    return int(sample_image("rgb").size)


@_register("images-ex-memory")
def _check_memory(answer):
    """answer: [bytes in float32, bytes in float64] of the photograph in NCHW."""
    values = _photo_values()
    expected = np.array([np.dtype(np.float32).itemsize * values,
                         np.dtype(np.float64).itemsize * values])
    given = as_numbers(answer)
    if given is None:
        return not_numbers(answer, "the pair of byte counts")
    if given.shape == (2,):
        if np.array_equal(given, expected[::-1]):
            return wrong("the two counts are in the wrong order: float32 "
                         "first, then float64.")
        if np.array_equal(given, 8 * expected):
            return wrong("these look like bits, not bytes: a byte is 8 bits.")
    return compare_arrays(answer, expected, name="the pair of byte counts")


@_register("images-ex-16bit")
def _check_16bit(answer):
    """answer: the largest distance from a value in [0, 1] to its level."""
    top = 2**16 - 1                       # the largest 16-bit value
    expected = 1 / (2 * top)
    given = as_number(answer)
    if given is None:
        return not_numbers(answer, "the largest gap", number=True)
    if np.isclose(given, 1 / (2 * 2**16), rtol=1e-6, atol=0):
        return wrong("there are 2**16 levels, but how many gaps lie between "
                     "them?")
    # rtol 1e-6 accepts a float32 answer and still tells 2**16 from 2**16 - 1.
    verdict = compare_number(answer, expected, name="the largest gap",
                             rtol=1e-6, atol=0)
    if not verdict and rounded(given, expected, "the largest gap") is not None:
        return rounded(given, expected, "the largest gap")
    return verdict


def _from_nchw(x):
    return np.round(x[0].transpose(1, 2, 0) * 255).astype(np.uint8)


def _roundtrip_cases():
    rng = np.random.default_rng(1)
    levels = rng.integers(0, 256, size=(1, 3, 4, 5)) / 255
    return [(levels,)] + [(rng.uniform(size=shape),) for shape in
                          [(1, 3, 6, 4), (1, 1, 5, 5), (1, 2, 3, 7)]]


@_register("images-ex-roundtrip")
def _check_roundtrip(answer):
    """answer(x): the (H, W, C) uint8 image nearest to the NCHW array x."""
    cases = _roundtrip_cases()
    verdict = check_function(answer, _from_nchw, cases,
                             name="your from_nchw")
    if not verdict:
        truncated = agrees(
            answer, lambda x: (x[0].transpose(1, 2, 0) * 255).astype(np.uint8),
            cases)
        if truncated:
            return wrong("your from_nchw truncates (astype drops the "
                         "fraction, so 254.9 becomes 254): round first.")
        return verdict
    result = answer(*cases[0])
    if not isinstance(result, np.ndarray):
        return wrong("the values are right, but an image is a NumPy array "
                     f"of dtype uint8; yours is a {type(result).__name__}.")
    if result.dtype != np.uint8:
        return wrong("the values are right, but an image file holds uint8: "
                     f"yours has dtype {result.dtype}.")
    return verdict


def _offset_cases():
    rng = np.random.default_rng(2)
    cases = []
    for _ in range(8):
        shape = tuple(int(v) for v in rng.integers(1, 7, size=4))
        index = tuple(int(rng.integers(0, v)) for v in shape)
        cases.append((index, shape))
    cases.append(((1, 2, 3, 4), (2, 3, 5, 6)))
    return cases


def _offset_nhwc(index, shape):
    (n, c, i, j), (_, channels, height, width) = index, shape
    return ((n * height + i) * width + j) * channels + c


def _offsets(function, cases):
    """function's answer on every case: an int, or the hint that says why not."""
    results = []
    for index, shape in cases:
        try:
            got = function(index, shape)
        except Exception as error:  # the reader's code: report any failure as a hint
            return wrong(f"your offset function raised {type(error).__name__}: "
                         f"{error} (index {index}, shape {shape}).")
        if got is None:
            return wrong("your offset function returned None: is its return "
                         "statement missing?")
        value = as_number(got)
        if value is None or not value.is_integer():
            return wrong(f"for index {index} in shape {shape} your function "
                         f"returns {got!r:.60}, which is not one whole number.")
        results.append(int(value))
    return results


@_register("images-ex-offset")
def _check_offset(answer):
    """answer(index, shape): the position of x[index] in C order."""
    if not callable(answer):
        return wrong("your offset should be a Python function, got "
                     f"{type(answer).__name__}.")
    cases = _offset_cases()
    got = _offsets(answer, cases)
    if not isinstance(got, list):
        return got
    if got == [_offset_nhwc(*case) for case in cases]:
        return wrong("that is the position in the channels-last (H, W, C) "
                     "order of an image file; in NCHW the channel comes "
                     "before the row.")
    for value, (index, shape) in zip(got, cases):
        expected = int(np.ravel_multi_index(index, shape))
        if value != expected:
            hint = (f"for index {index} in shape {shape} your function gives "
                    f"{value}")
            if abs(value - expected) == 1:
                hint += ": off by one (the first entry is at position 0)"
            return wrong(hint + ".")
    return right(
        f"your offset function is right on {len(cases)} random cases.")


def _average(a, b):
    return ((a.astype(np.int64) + b) // 2).astype(np.uint8)


def _average_cases():
    rng = np.random.default_rng(3)
    cases = [(np.array([255, 255, 1, 3, 200], dtype=np.uint8),
              np.array([255, 1, 1, 5, 100], dtype=np.uint8))]
    for shape in [(6,), (4, 5), (2, 3, 4)]:
        cases.append((rng.integers(0, 256, size=shape, dtype=np.uint8),
                      rng.integers(0, 256, size=shape, dtype=np.uint8)))
    return cases


@_register("images-ex-average")
def _check_average(answer):
    """answer(a, b): floor((a + b) / 2) of two uint8 arrays, as uint8."""
    cases = _average_cases()
    verdict = check_function(answer, _average, cases, name="your average")
    if not verdict:
        def wrapped(a, b):
            return (a + b) // 2

        def halves(a, b):
            return a // 2 + b // 2

        def rounded_up(a, b):
            return a // 2 + b // 2 + ((a | b) & 1)

        if agrees(answer, wrapped, cases):
            return wrong("your sum a + b wraps around past 255 before it is "
                         "halved (uint8 arithmetic is modulo 256).")
        if agrees(answer, halves, cases):
            return wrong("halving each value first is a good start, but the "
                         "result comes out too small when both are odd.")
        if agrees(answer, rounded_up, cases):
            return wrong("your average rounds up when exactly one of a and b "
                         "is odd; the floor rounds down.")
        return verdict
    result = answer(*cases[0])
    if getattr(result, "dtype", None) != np.uint8:
        return wrong("the values are right, but the result should stay a "
                     "uint8 array; yours is "
                     f"{getattr(result, 'dtype', type(result).__name__)}.")
    widened = _widenings(answer, cases[0])
    if widened:
        return wrong("the values are right, but on the way your function "
                     f"makes {widened}: the exercise asks for arithmetic "
                     "that never leaves uint8.")
    return verdict


class _WatchedBytes(np.ndarray):
    """A uint8 array that notes each NumPy operation on it whose result is wider than
    one byte (``astype`` and every ufunc: ``+``, ``//``, ``np.add(..., dtype=)``...).
    A function can still escape the watch (``np.asarray`` first, or Python ints), so
    this finds the usual ways of widening, not every way."""

    def __array_finalize__(self, obj):
        self.log = getattr(obj, "log", None)

    def _note(self, result, how):
        if isinstance(result, np.ndarray | np.generic) and result.dtype.itemsize > 1:
            self.log.append(f"an array of {result.dtype} (with {how})")

    def __repr__(self):
        return repr(np.asarray(self))

    def astype(self, dtype, *args, **kwargs):
        result = np.asarray(self).astype(dtype, *args, **kwargs)
        self._note(result, "astype")
        return _watched(result, self.log)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        plain = [np.asarray(x) if isinstance(x, _WatchedBytes) else x for x in inputs]
        if "out" in kwargs:
            kwargs["out"] = tuple(np.asarray(o) for o in kwargs["out"])
        result = getattr(ufunc, method)(*plain, **kwargs)
        results = result if isinstance(result, tuple) else (result,)
        for one in results:
            self._note(one, f"np.{ufunc.__name__}")
        watched = tuple(_watched(one, self.log) for one in results)
        return watched if isinstance(result, tuple) else watched[0]


def _watched(value, log):
    """``value`` as a watched array sharing ``log``, if it is an array of bytes."""
    if isinstance(value, np.ndarray) and value.dtype.itemsize == 1:
        value = value.view(_WatchedBytes)
        value.log = log
    return value


def _widenings(answer, case):
    """The first wider-than-a-byte result that ``answer`` makes from watched copies of
    ``case``, described as "an array of int64 (with np.add)", or None."""
    log = []
    answer(*(_watched(np.copy(a), log) for a in case))
    return log[0] if log else None
