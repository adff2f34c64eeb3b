"""Chapter 9's checks: the official answers pass, plausible wrong answers get a hint."""

import numpy as np

from cnnmath.exercises import check


def test_memory_official_answer_passes():
    assert check("fast-ex-memory", (64 * 3 * 3) * (32 * 224 * 224) * 4)


def test_memory_wrong_answers_get_hints():
    verdict = check("fast-ex-memory", (64 * 9) * (32 * 222 * 222) * 4)       # padding lost
    assert not verdict and "padding" in verdict.message
    verdict = check("fast-ex-memory", (64 * 9) * (32 * 224 * 224) * 8)       # float64
    assert not verdict and "factor of 2" in verdict.message
    verdict = check("fast-ex-memory", (64 * 9) * (32 * 224 * 224))           # entries
    assert not verdict and "4 bytes" in verdict.message


def test_stride_official_answer_passes():
    assert check("fast-ex-stride", 14 * 14 / (28 * 32))


def test_stride_wrong_answers_get_hints():
    verdict = check("fast-ex-stride", 14 * 14 / (32 * 32))
    assert not verdict and "W_pad" in verdict.message
    verdict = check("fast-ex-stride", 1 - 14 * 14 / (28 * 32))
    assert not verdict and "thrown away" in verdict.message
    verdict = check("fast-ex-stride", 0.25)
    assert not verdict and "infinite" in verdict.message


def _convolve2d_fft(image, kernel):
    full = (image.shape[0] + kernel.shape[0] - 1, image.shape[1] + kernel.shape[1] - 1)
    return np.fft.irfft2(np.fft.rfft2(image, full) * np.fft.rfft2(kernel, full), full)


def test_convolve_fft_official_answer_passes():
    assert check("fast-ex-convolve-fft", _convolve2d_fft)


def test_convolve_fft_wrong_answers_get_hints():
    # the correlation instead of the convolution: right shape, wrong values
    verdict = check("fast-ex-convolve-fft",
                    lambda image, kernel: _convolve2d_fft(image, kernel[::-1, ::-1]))
    assert not verdict and "wrong values" in verdict.message
    # no zero padding: the circular convolution has the image's shape
    verdict = check("fast-ex-convolve-fft",
                    lambda image, kernel: np.fft.irfft2(
                        np.fft.rfft2(image) * np.fft.rfft2(kernel, image.shape), image.shape))
    assert not verdict and "shape" in verdict.message


def _intensity(m, k, p, itemsize):
    return 2 * m * k * p / ((m * k + k * p + m * p) * itemsize)


def test_intensity_official_answer_passes():
    assert check("fast-ex-intensity", _intensity(64 * 10 * 10, 150, 16, 4))


def test_intensity_wrong_answers_get_hints():
    verdict = check("fast-ex-intensity", _intensity(64 * 10 * 10, 150, 16, 8))
    assert not verdict and "factor" in verdict.message
    verdict = check("fast-ex-intensity", _intensity(64 * 14 * 14, 150, 16, 4))
    assert not verdict and "output position" in verdict.message


def test_first_layer_official_answer_passes():
    conv1 = 6 * 28 * 28 * 3 * 25
    total = conv1 + 16 * 10 * 10 * 6 * 25 + 400 * 120 + 120 * 84 + 84 * 10
    assert check("fast-ex-first-layer", conv1 / (2 * total))


def test_first_layer_wrong_answers_get_hints():
    conv1 = 6 * 28 * 28 * 3 * 25
    total = conv1 + 16 * 10 * 10 * 6 * 25 + 400 * 120 + 120 * 84 + 84 * 10
    verdict = check("fast-ex-first-layer", conv1 / total)
    assert not verdict and "factor of 2" in verdict.message
    verdict = check("fast-ex-first-layer", 100 * conv1 / (2 * total))
    assert not verdict and "percent" in verdict.message
