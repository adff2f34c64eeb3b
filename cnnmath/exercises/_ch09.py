"""Checks for the exercises of chapter 9, making it fast."""

from fractions import Fraction

import numpy as np

from .. import conv2d_macs, conv_output_size, convolve2d, linear_macs
from . import _register
from ._compare import compare_function, compare_number, wrong


def _im2col_bytes(n, c, size, k, padding, itemsize):
    out = conv_output_size(size, k, padding=padding)
    return n * out * out * c * k * k * itemsize


@_register("fast-ex-memory")
def _check_memory(answer):
    """answer: bytes of the float32 im2col matrix of 32 images, 64 x 224 x 224, k 3, pad 1."""
    expected = _im2col_bytes(32, 64, 224, 3, 1, 4)
    try:
        given = float(answer)
    except (TypeError, ValueError):
        return compare_number(answer, expected, name="your byte count")
    if given == _im2col_bytes(32, 64, 224, 3, 0, 4):
        return wrong("your byte count is a little too small: with padding 1 the output "
                     "keeps the input's size, so there is one window per input pixel.")
    if given == _im2col_bytes(32, 64, 224, 3, 1, 8):
        return wrong("your byte count is off by a factor of 2: float32 takes 4 bytes, "
                     "not 8.")
    if given == _im2col_bytes(32, 64, 224, 3, 1, 4) / 4:
        return wrong("your byte count is off by a factor of 4: it counts entries; "
                     "each float32 entry takes 4 bytes.")
    return compare_number(given, expected, name="your byte count")


@_register("fast-ex-stride")
def _check_stride(answer):
    """answer: the fraction of computed columns kept (5x5 kernel, stride 2, 32x32 image)."""
    size, k, s = 32, 5, 2
    kept = conv_output_size(size, k, stride=s) ** 2
    computed = conv_output_size(size, k) * size
    expected = Fraction(kept, computed)
    try:
        given = float(answer)
    except (TypeError, ValueError):
        return compare_number(answer, float(expected), name="your fraction")
    if abs(given - float(Fraction(kept, size * size))) < 1e-12:
        return wrong("your fraction divides by every pixel of the image, but the flat layout "
                     "computes out_h x W_pad positions (no window starts below the last "
                     "full row).")
    if abs(given - 1 / s**2) < 1e-12:
        return wrong("your fraction is the one for an image of infinite size: count the "
                     "outputs with the output-size formula and the computed columns exactly.")
    if abs(given - (1 - float(expected))) < 1e-12:
        return wrong("your fraction is the share thrown away, not the share kept.")
    return compare_number(given, float(expected), name="your fraction")


def _convolve_full(image, kernel):
    return convolve2d(image, kernel, "full")


@_register("fast-ex-convolve-fft")
def _check_convolve_fft(answer):
    """answer(image, kernel): the full 2-D convolution, computed with the FFT."""
    rng = np.random.default_rng(9)
    cases = [(rng.normal(size=a), rng.normal(size=b))
             for a, b in [((12, 9), (4, 3)), ((5, 5), (5, 5)), ((7, 3), (2, 1)),
                          ((1, 6), (1, 3))]]
    return compare_function(answer, _convolve_full, cases, name="your convolve2d_fft",
                            rtol=1e-9, atol=1e-10)


def _intensity(m, k, p, itemsize):
    return 2 * m * k * p / ((m * k + k * p + m * p) * itemsize)


@_register("fast-ex-intensity")
def _check_intensity(answer):
    """answer: flops per byte of the second CIFAR layer's forward product, float32."""
    out = conv_output_size(14, 5)
    expected = _intensity(64 * out * out, 6 * 25, 16, 4)
    try:
        given = float(answer)
    except (TypeError, ValueError):
        return compare_number(answer, expected, name="your intensity")
    if abs(given - _intensity(64 * 14 * 14, 6 * 25, 16, 4)) < 1e-9:
        return wrong("your intensity uses the input's 14 x 14 positions: the matrix has one "
                     "row per output position.")
    return compare_number(given, expected, name="your intensity", rtol=1e-6)


@_register("fast-ex-first-layer")
def _check_first_layer(answer):
    """answer: the first layer's dX as a share of the CIFAR network's backward MACs."""
    forward = [conv2d_macs(3, 6, 5, 28), conv2d_macs(6, 16, 5, 10), linear_macs(400, 120),
               linear_macs(120, 84), linear_macs(84, 10)]
    expected = forward[0] / (2 * sum(forward))
    try:
        given = float(answer)
    except (TypeError, ValueError):
        return compare_number(answer, expected, name="your share")
    if abs(given - forward[0] / sum(forward)) < 1e-12:
        return wrong("your share is off by a factor of 2: the backward pass computes dX and "
                     "dW for every layer, each as costly as the forward pass.")
    if given > 1:
        return wrong("your share is larger than 1: give it as a fraction (0.25 for a "
                     "quarter), not in percent.")
    return compare_number(given, expected, name="your share")
