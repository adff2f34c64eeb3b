"""Chapter 9's checks: the official answers pass, plausible wrong answers get a hint."""

import warnings
from fractions import Fraction

import numpy as np
import sympy as sp

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


# --- answers in other forms, odd input, and hints added by the review ---------------

_MEMORY = (64 * 3 * 3) * (32 * 224 * 224) * 4
_SHARE = 6 * 28 * 28 * 3 * 25 / (2 * (6 * 28 * 28 * 3 * 25 + 16 * 10 * 10 * 6 * 25
                                      + 400 * 120 + 120 * 84 + 84 * 10))


def test_numbers_in_other_forms_pass():
    assert check("fast-ex-memory", np.int64(_MEMORY))
    assert check("fast-ex-memory", float(_MEMORY))
    assert check("fast-ex-stride", Fraction(196, 896))
    assert check("fast-ex-stride", sp.Rational(196, 896))
    assert check("fast-ex-stride", np.float32(196 / 896))
    assert check("fast-ex-intensity",
                 np.float32(_intensity(64 * 10 * 10, 150, 16, 4)))
    assert check("fast-ex-first-layer", np.float32(_SHARE))


def test_odd_input_gets_a_hint_not_a_traceback():
    for label in ["fast-ex-memory", "fast-ex-stride", "fast-ex-intensity",
                  "fast-ex-first-layer"]:
        for odd in [None, "abc", {"a": 1}, [1, 2], lambda: 0, sp.Symbol("x"), 1j]:
            verdict = check(label, odd)
            assert not verdict and "number" in verdict.message, (label, odd)


def test_rounded_percent_and_unit_mistakes_get_hints():
    verdict = check("fast-ex-memory", _MEMORY / 2**30)
    assert not verdict and "GiB" in verdict.message
    verdict = check("fast-ex-memory", 8 * _MEMORY)
    assert not verdict and "bits" in verdict.message
    verdict = check("fast-ex-stride", 0.219)
    assert not verdict and "rounded" in verdict.message
    verdict = check("fast-ex-stride", 21.875)
    assert not verdict and "percent" in verdict.message
    # the chapter prints intensities to one decimal
    layer2 = _intensity(64 * 10 * 10, 150, 16, 4)
    verdict = check("fast-ex-intensity", round(layer2, 1))
    assert not verdict and "rounded" in verdict.message
    verdict = check("fast-ex-first-layer", round(_SHARE, 3))
    assert not verdict and "rounded" in verdict.message
    # leaving out the small K x P term is not a rounding
    verdict = check("fast-ex-intensity",
                    2 * 6400 * 150 * 16 / ((6400 * 150 + 6400 * 16) * 4))
    assert not verdict and "rounded" not in verdict.message


def test_stride_quarter_hint_names_the_flat_layout():
    verdict = check("fast-ex-stride", 14 * 14 / (28 * 28))
    assert not verdict and "W_pad" in verdict.message


def test_convolve_fft_other_result_forms_pass():
    assert check("fast-ex-convolve-fft",
                 lambda image, kernel: _convolve2d_fft(image, kernel).tolist())
    assert check("fast-ex-convolve-fft",
                 lambda image, kernel: _convolve2d_fft(image.astype(np.float32),
                                                       kernel.astype(np.float32)))

    def complex_fft(image, kernel):        # fft2 / ifft2: complex, imaginary part ~ 0
        full = (image.shape[0] + kernel.shape[0] - 1,
                image.shape[1] + kernel.shape[1] - 1)
        return np.fft.ifft2(np.fft.fft2(image, full) * np.fft.fft2(kernel, full))
    assert check("fast-ex-convolve-fft", complex_fft)


def test_convolve_fft_odd_results_get_hints():
    verdict = check("fast-ex-convolve-fft",
                    lambda image, kernel: 1j + _convolve2d_fft(image, kernel))
    assert not verdict and "complex" in verdict.message
    verdict = check("fast-ex-convolve-fft", lambda image, kernel: None)
    assert not verdict and "return" in verdict.message
    verdict = check("fast-ex-convolve-fft", lambda image, kernel: "full")
    assert not verdict and verdict.message.startswith("not yet")


def test_memory_and_intensity_hints_name_the_slip():
    verdict = check("fast-ex-memory", 32 * 226 * 226 * 64 * 9 * 4)   # padded positions
    assert not verdict and "output positions" in verdict.message
    layer2 = _intensity(64 * 10 * 10, 150, 16, 4)
    verdict = check("fast-ex-intensity", layer2 / 2)                 # MACs, or float64
    assert not verdict and "4 bytes" in verdict.message and "two" in verdict.message


def test_a_number_in_a_one_entry_array_passes_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert check("fast-ex-memory", np.array([_MEMORY]))
        assert check("fast-ex-stride", [Fraction(196, 896)])
