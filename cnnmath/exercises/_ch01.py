"""Checks for the exercises of chapter 1, images as arrays."""

import numpy as np

from . import _register
from ._compare import compare_arrays, compare_function, compare_number, wrong
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
    given = np.asarray(answer, dtype=float) if np.ndim(answer) else None
    if given is not None and given.shape == (2,):
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
    try:
        given = float(answer)
    except (TypeError, ValueError):
        given = None
    if given is not None and np.isclose(given, 1 / (2 * 2**16), rtol=1e-9, atol=0):
        return wrong("there are 2**16 levels but one gap fewer between "
                     "them: the levels are 1/(2**16 - 1) apart.")
    return compare_number(answer, expected, name="the largest gap",
                          rtol=1e-9, atol=0)


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
    verdict = compare_function(answer, _from_nchw, cases,
                               name="your from_nchw")
    if not verdict:
        truncated = compare_function(
            answer, lambda x: (x[0].transpose(1, 2, 0) * 255).astype(np.uint8),
            cases)
        if truncated:
            return wrong("your from_nchw truncates (astype drops the "
                         "fraction, so 254.9 becomes 254): round first.")
        return verdict
    result = answer(*cases[0])
    if getattr(result, "dtype", None) != np.uint8:
        return wrong("the values are right, but an image file holds uint8: "
                     f"yours has dtype {getattr(result, 'dtype', None)}.")
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


@_register("images-ex-offset")
def _check_offset(answer):
    """answer(index, shape): the position of x[index] in C order."""
    cases = _offset_cases()
    verdict = compare_function(answer, np.ravel_multi_index, cases,
                               name="your offset function")
    if verdict or not callable(answer):
        return verdict
    if compare_function(answer, _offset_nhwc, cases):
        return wrong("that is the position in the channels-last (H, W, C) "
                     "order of an image file; in NCHW the channel comes "
                     "before the row.")
    for index, shape in cases:
        try:
            got = answer(index, shape)
        except Exception:  # compare_function has reported it already
            return verdict
        expected = int(np.ravel_multi_index(index, shape))
        if np.ndim(got) or got != expected:
            hint = (f"for index {index} in shape {shape} your function gives "
                    f"{got!r}")
            if not np.ndim(got) and abs(got - expected) == 1:
                hint += ": off by one (the first entry is at position 0)"
            return wrong(hint + ".")
    return verdict


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
    verdict = compare_function(answer, _average, cases,
                               name="your average")
    if not verdict:
        def wrapped(a, b):
            return (a + b) // 2

        def halves(a, b):
            return a // 2 + b // 2

        if compare_function(answer, wrapped, cases):
            return wrong("your sum a + b wraps around past 255 before it is "
                         "halved (uint8 arithmetic is modulo 256).")
        if compare_function(answer, halves, cases):
            return wrong("halving each value first loses a half from each: "
                         "when both are odd, one unit is missing.")
        return verdict
    result = answer(*cases[0])
    if getattr(result, "dtype", None) != np.uint8:
        return wrong("the values are right, but the result should stay "
                     f"uint8; yours has dtype {getattr(result, 'dtype', None)}.")
    return verdict
