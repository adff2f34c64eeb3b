"""Chapter 1's checks: the official answers pass, plausible wrong answers get a hint."""

import numpy as np

from cnnmath import sample_image
from cnnmath.exercises import check


def test_memory_official_answer_passes():
    values = 600 * 512 * 3
    assert sample_image().size == values
    assert check("images-ex-memory", np.array([4 * values, 8 * values]))


def test_memory_wrong_answers_get_hints():
    values = sample_image().size
    verdict = check("images-ex-memory", [8 * values, 4 * values])
    assert not verdict and "order" in verdict.message
    verdict = check("images-ex-memory", [32 * values, 64 * values])
    assert not verdict and "bits" in verdict.message
    verdict = check("images-ex-memory", [values, 2 * values])
    assert not verdict and "factor" in verdict.message
    verdict = check("images-ex-memory", 8 * values)
    assert not verdict and "shape" in verdict.message


def test_16bit_official_answer_passes():
    assert check("images-ex-16bit", 1 / (2 * 65535))


def test_16bit_wrong_answers_get_hints():
    verdict = check("images-ex-16bit", 1 / (2 * 65536))
    assert not verdict and "gap" in verdict.message
    verdict = check("images-ex-16bit", 1 / 65535)
    assert not verdict and "factor of 2" in verdict.message
    verdict = check("images-ex-16bit", 1 / (2 * 255))
    assert not verdict and "too large" in verdict.message


def test_roundtrip_official_answer_passes():
    def from_nchw(x):
        return np.round(255 * np.moveaxis(x[0], 0, -1)).astype(np.uint8)

    assert check("images-ex-roundtrip", from_nchw)


def test_roundtrip_wrong_answers_get_hints():
    verdict = check("images-ex-roundtrip",
                    lambda x: (x[0].transpose(1, 2, 0) * 255).astype(np.uint8))
    assert not verdict and "round" in verdict.message
    verdict = check("images-ex-roundtrip", lambda x: np.round(x[0] * 255).astype(np.uint8))
    assert not verdict and "shape" in verdict.message
    verdict = check("images-ex-roundtrip",
                    lambda x: np.round(x[0].transpose(1, 2, 0) * 255))
    assert not verdict and "uint8" in verdict.message


def test_offset_official_answer_passes():
    def offset(index, shape):
        strides = np.cumprod((1,) + tuple(shape[:0:-1]))[::-1]
        return int(np.dot(index, strides))

    assert check("images-ex-offset", offset)


def test_offset_wrong_answers_get_hints():
    def channels_last(index, shape):
        n, c, i, j = index
        return ((n * shape[2] + i) * shape[3] + j) * shape[1] + c

    verdict = check("images-ex-offset", channels_last)
    assert not verdict and "channels-last" in verdict.message

    def one_off(index, shape):
        n, c, i, j = index
        return ((n * shape[1] + c) * shape[2] + i) * shape[3] + j + 1

    verdict = check("images-ex-offset", one_off)
    assert not verdict and "off by one" in verdict.message
    verdict = check("images-ex-offset", lambda index, shape: index)
    assert not verdict and "shape" in verdict.message


def test_average_official_answer_passes():
    def average(a, b):
        return (a >> 1) + (b >> 1) + (a & b & 1)

    assert check("images-ex-average", average)


def test_average_wrong_answers_get_hints():
    verdict = check("images-ex-average", lambda a, b: (a + b) // 2)
    assert not verdict and "wraps around" in verdict.message
    verdict = check("images-ex-average", lambda a, b: a // 2 + b // 2)
    assert not verdict and "both are odd" in verdict.message
    verdict = check("images-ex-average",
                    lambda a, b: (a.astype(np.int64) + b) // 2)
    assert not verdict and "uint8" in verdict.message


# Odd answers, answers in other forms, and hints that must not give the answer away.

ODD_ANSWERS = [None, "abc", {}, {"a": 1}, [], [[1, 2], [3]], ["1", "2"], 1 + 2j,
               float("nan"), object(), lambda: 0, lambda *args: None,
               lambda *args: "s", lambda *args: [[1], [2, 3]], lambda *args: 1 / 0]


def test_odd_answers_get_a_hint_not_a_traceback():
    from cnnmath.exercises import labels
    for label in [name for name in labels() if name.startswith("images-")]:
        for answer in ODD_ANSWERS:
            verdict = check(label, answer)
            assert not verdict and repr(verdict).startswith("✗ not yet:"), (label, answer)


def test_memory_accepts_a_list_and_float32():
    values = 600 * 512 * 3
    assert check("images-ex-memory", [4 * values, 8 * values])
    assert check("images-ex-memory", np.array([4 * values, 8 * values], np.float32))


def test_16bit_other_forms_pass_and_hints():
    from fractions import Fraction
    assert check("images-ex-16bit", Fraction(1, 2 * 65535))
    assert check("images-ex-16bit", np.float32(1) / np.float32(2 * 65535))
    verdict = check("images-ex-16bit", 7.63e-6)
    assert not verdict and "rounded" in verdict.message
    verdict = check("images-ex-16bit", 1 / (2 * 65536))
    assert not verdict and "gaps" in verdict.message
    assert "65535" not in verdict.message and "2**16 - 1" not in verdict.message


def from_nchw_by_loops(x):
    _, channels, height, width = x.shape
    out = np.zeros((height, width, channels), dtype=np.uint8)
    for c, i, j in np.ndindex(channels, height, width):
        out[i, j, c] = int(np.floor(x[0, c, i, j] * 255 + 0.5))
    return out


def test_roundtrip_other_forms_and_hints():
    def in_place(x):
        x *= 255                                    # changes its input
        return from_nchw_by_loops(x / 255)

    assert check("images-ex-roundtrip", from_nchw_by_loops)
    assert check("images-ex-roundtrip", in_place)
    verdict = check("images-ex-roundtrip", lambda x: from_nchw_by_loops(x)[None])
    assert not verdict and "leading axes" in verdict.message
    verdict = check("images-ex-roundtrip", lambda x: from_nchw_by_loops(x).tolist())
    assert not verdict and "NumPy array" in verdict.message

    def no_return(x):
        from_nchw_by_loops(x)

    verdict = check("images-ex-roundtrip", no_return)
    assert not verdict and "return" in verdict.message


def test_offset_other_forms_and_hints():
    assert check("images-ex-offset", lambda index, shape: float(np.ravel_multi_index(index, shape)))
    verdict = check("images-ex-offset",
                    lambda index, shape: np.array([np.ravel_multi_index(index, shape)]))
    assert not verdict and "whole number" in verdict.message
    verdict = check("images-ex-offset", lambda index, shape: None)
    assert not verdict and "return" in verdict.message

    def batch_as_channels(index, shape):            # N where C belongs
        n, c, i, j = index
        return ((n * shape[0] + c) * shape[2] + i) * shape[3] + j

    verdict = check("images-ex-offset", batch_as_channels)
    assert not verdict and "your function gives" in verdict.message


def test_average_that_widens_on_the_way_gets_its_hint():
    def through_uint16(a, b):
        return ((a.astype(np.uint16) + b) // 2).astype(np.uint8)

    def summed_in_uint16(a, b):
        return (np.add(a, b, dtype=np.uint16) // 2).astype(np.uint8)

    def wide_scalar(a, b):
        return ((a + np.int64(0)) // 2 + b // 2 + (a & b & 1)).astype(np.uint8)

    for average, wider in [(through_uint16, "uint16 (with astype)"),
                           (summed_in_uint16, "uint16 (with np.add)"),
                           (wide_scalar, "int64 (with np.add)")]:
        verdict = check("images-ex-average", average)
        assert not verdict and wider in verdict.message and "never leaves uint8" in verdict.message


def test_average_within_bytes_is_not_taken_for_widening():
    def by_difference(a, b):           # comparisons and differences stay in bytes
        low, high = np.minimum(a, b), np.maximum(a, b)
        return np.where(low == high, low, low + (high - low) // 2)

    assert check("images-ex-average", by_difference)


def test_average_rounding_up_gets_its_hint():
    verdict = check("images-ex-average", lambda a, b: (a >> 1) + (b >> 1) + ((a | b) & 1))
    assert not verdict and "rounds up" in verdict.message


def test_halving_hint_does_not_give_the_correction_away():
    verdict = check("images-ex-average", lambda a, b: a // 2 + b // 2)
    assert not verdict and "one unit" not in verdict.message and "& 1" not in verdict.message


def test_zeros_are_called_zeros_not_a_factor_of_zero():
    verdict = check("images-ex-memory", [0, 0])
    assert not verdict and "zero everywhere" in verdict.message
    verdict = check("images-ex-roundtrip",
                    lambda x: np.zeros((*x.shape[2:], x.shape[1]), np.uint8))
    assert not verdict and "factor" not in verdict.message


def test_numbers_too_large_for_a_float_get_a_hint():
    from cnnmath.exercises import labels
    huge = 10 ** 400                                  # float(huge) raises OverflowError
    for label in [name for name in labels() if name.startswith("images-")]:
        for answer in [huge, [huge, 1], float("inf"), lambda *args: huge,
                       lambda *args: [huge], lambda *args: (huge, huge)]:
            verdict = check(label, answer)
            assert not verdict and repr(verdict).startswith("✗ not yet:"), (label, answer)
