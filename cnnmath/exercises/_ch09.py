"""Checks for the exercises of chapter 9, making it fast."""

from fractions import Fraction

import numpy as np

from .. import conv2d_macs, conv_output_size, convolve2d, linear_macs
from . import _register
from ._compare import compare_function, compare_number, read_number, wrong

# a number is right to this relative precision, which a float32 answer meets
_RTOL = 1e-6


def _as_float(answer):
    """The answer as a float, or None if it is not one finite number (None, a string, a
    list of several, a dict, an int too large for a float): read_number says why."""
    return read_number(answer, "the answer")[0]


def _rounded(given, expected):
    """Whether ``given`` is ``expected`` rounded to some decimals or significant digits."""
    if np.isclose(given, expected, rtol=_RTOL, atol=0) or given == 0:
        return False
    if abs(given - expected) > 0.05 * abs(expected):
        return False
    for digits in range(0, 7):
        if given in (round(expected, digits), float(f"{expected:.{digits + 1}g}")):
            return True
    return False


def _number(answer, expected, name, *, fraction=False):
    """compare_number at _RTOL, with hints for a rounded value and for percent."""
    given, hint = read_number(answer, name)
    if hint is not None:
        return hint
    if _rounded(given, expected):
        return wrong(f"{name} is close but rounded: give the exact value, computed in "
                     "Python, not a rounded decimal.")
    if fraction and 1 < given <= 100 and np.isclose(given / 100, expected, rtol=_RTOL):
        return wrong(f"{name} is in percent: give it as a fraction between 0 and 1.")
    return compare_number(given, expected, name=name, rtol=_RTOL)


def _im2col_bytes(n, c, size, k, padding, itemsize):
    out = conv_output_size(size, k, padding=padding)
    return n * out * out * c * k * k * itemsize


@_register("fast-ex-memory")
def _check_memory(answer):
    """answer: bytes of the float32 im2col matrix of 32 images, 64 x 224 x 224, k 3, pad 1."""
    expected = _im2col_bytes(32, 64, 224, 3, 1, 4)
    name = "your byte count"
    given = _as_float(answer)
    if given is None:
        return _number(answer, expected, name)
    if given == _im2col_bytes(32, 64, 224, 3, 0, 4):
        return wrong("your byte count is a little too small: with padding 1 the output "
                     "keeps the input's size, so there is one window per input pixel.")
    if given == _im2col_bytes(32, 64, 224, 3, 1, 8):
        return wrong("your byte count is off by a factor of 2: float32 takes 4 bytes, "
                     "not 8.")
    if given == _im2col_bytes(32, 64, 224, 3, 1, 4) / 4:
        return wrong("your byte count is off by a factor of 4: it counts entries; "
                     "each float32 entry takes 4 bytes.")
    for unit, size in [("GiB", 2**30), ("GB", 1e9), ("MiB", 2**20), ("MB", 1e6)]:
        if np.isclose(given * size, expected, rtol=0.01):
            return wrong(f"your byte count looks like a number of {unit}: give it in "
                         "bytes.")
    if given == 32 * 226 * 226 * 64 * 9 * 4:
        return wrong("your byte count has a window at every pixel of the padded input: "
                     "a window must fit inside it, so count the output positions.")
    if given == 8 * expected:
        return wrong("your byte count is a number of bits: a byte is 8 bits.")
    return _number(given, expected, name)


@_register("fast-ex-stride")
def _check_stride(answer):
    """answer: the fraction of computed columns kept (5x5 kernel, stride 2, 32x32 image)."""
    size, k, s = 32, 5, 2
    kept = conv_output_size(size, k, stride=s) ** 2
    computed = conv_output_size(size, k) * size
    expected = Fraction(kept, computed)
    name = "your fraction"
    given = _as_float(answer)
    if given is None:
        return _number(answer, float(expected), name)
    if abs(given - float(Fraction(kept, size * size))) < 1e-12:
        return wrong("your fraction divides by every pixel of the image, but the flat layout "
                     "computes out_h x W_pad positions (no window starts below the last "
                     "full row).")
    if abs(given - 1 / s**2) < 1e-12:
        return wrong("your fraction is 1/4, as if only the out_h x out_w positions of the "
                     "stride-1 layer were computed (or the image were infinite): the flat "
                     "layout also computes the positions near the right edge, out_h x "
                     "W_pad in all.")
    if abs(given - (1 - float(expected))) < 1e-12:
        return wrong("your fraction is the share thrown away, not the share kept.")
    return _number(given, float(expected), name, fraction=True)


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
                            low_precision=True)


def _intensity(m, k, p, itemsize):
    return 2 * m * k * p / ((m * k + k * p + m * p) * itemsize)


@_register("fast-ex-intensity")
def _check_intensity(answer):
    """answer: flops per byte of the second CIFAR layer's forward product, float32."""
    out = conv_output_size(14, 5)
    expected = _intensity(64 * out * out, 6 * 25, 16, 4)
    given = _as_float(answer)
    if given is None:
        return _number(answer, expected, "your intensity")
    if abs(given - _intensity(64 * 14 * 14, 6 * 25, 16, 4)) < 1e-9:
        return wrong("your intensity uses the input's 14 x 14 positions: the matrix has one "
                     "row per output position.")
    if np.isclose(given, expected / 2, rtol=_RTOL):
        return wrong("your intensity is off by a factor of 0.5: a multiply-add is two "
                     "floating-point operations, and a float32 number takes 4 bytes.")
    return _number(given, expected, "your intensity")


@_register("fast-ex-first-layer")
def _check_first_layer(answer):
    """answer: the first layer's dX as a share of the CIFAR network's backward MACs."""
    forward = [conv2d_macs(3, 6, 5, 28), conv2d_macs(6, 16, 5, 10), linear_macs(400, 120),
               linear_macs(120, 84), linear_macs(84, 10)]
    expected = forward[0] / (2 * sum(forward))
    given = _as_float(answer)
    if given is None:
        return _number(answer, expected, "your share")
    if abs(given - forward[0] / sum(forward)) < 1e-12:
        return wrong("your share is off by a factor of 2: the backward pass computes dX and "
                     "dW for every layer, each as costly as the forward pass.")
    if given > 1:
        return wrong("your share is larger than 1: give it as a fraction (0.25 for a "
                     "quarter), not in percent.")
    return _number(given, expected, "your share", fraction=True)
