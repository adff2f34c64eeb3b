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
