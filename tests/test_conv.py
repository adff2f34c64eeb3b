"""Forward convolution: cnnmath.conv against loops, hand-worked numbers and polynomials."""

import numpy as np
import pytest
import sympy as sp
from conv_strategies import conv_calls, geometry
from hypothesis import given, settings
from hypothesis import strategies as st

import cnnmath
from cnnmath import reference

F = np.arange(1.0, 10.0).reshape(3, 3)          # [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
H = np.array([[0.0, 1.0], [2.0, 0.0]])          # an even kernel that is not symmetric


# --- the vectorised layer equals the loop reference -----------------------------------

@settings(derandomize=True, deadline=None, max_examples=300)
@given(conv_calls())
def test_conv2d_matches_loop_reference(call):
    args = (call["x"], call["w"], call["b"])
    fast = cnnmath.conv2d(*args, **geometry(call))
    slow = reference.conv2d(*args, **geometry(call))
    assert fast.shape == slow.shape
    np.testing.assert_allclose(fast, slow, rtol=1e-12, atol=1e-12)


@settings(derandomize=True, deadline=None, max_examples=100)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(1, 4), st.integers(1, 4),
       st.sampled_from(["valid", "same", "full"]), st.integers(0, 2**32 - 1))
def test_correlate2d_and_convolve2d_match_loop_reference(h, w, k_h, k_w, mode, seed):
    rng = np.random.default_rng(seed)
    grow = mode == "valid"                     # 'valid' needs the kernel to fit
    image = rng.normal(size=(h + grow * (k_h - 1), w + grow * (k_w - 1)))
    kernel = rng.normal(size=(k_h, k_w))
    for fast, slow in ((cnnmath.correlate2d, reference.correlate2d),
                       (cnnmath.convolve2d, reference.convolve2d)):
        np.testing.assert_allclose(fast(image, kernel, mode), slow(image, kernel, mode),
                                   rtol=1e-12, atol=1e-12)
    # The reference convolve2d never flips; the 180-degree identity is a real check.
    np.testing.assert_allclose(reference.convolve2d(image, kernel, mode),
                               reference.correlate2d(image, kernel[::-1, ::-1], mode), atol=1e-12)


# --- hand-worked cases ----------------------------------------------------------------
# With F and H above, correlation reads G[m, n] = F[m, n+1] + 2 F[m+1, n] (shifted by
# the padding), and convolution G[m, n] = 2 F[m, n+1] + F[m+1, n]; each number below
# was worked out by hand from those two lines, zero outside the image.

@pytest.mark.parametrize("mode, expected", [
    ("valid", [[10, 13], [19, 22]]),
    ("same", [[10, 13, 12], [19, 22, 18], [8, 9, 0]]),      # extra zero row/col bottom/right
    ("full", [[0, 2, 4, 6], [1, 10, 13, 12], [4, 19, 22, 18], [7, 8, 9, 0]]),
])
def test_correlate2d_hand_worked(mode, expected):
    np.testing.assert_array_equal(cnnmath.correlate2d(F, H, mode), expected)
    np.testing.assert_array_equal(reference.correlate2d(F, H, mode), expected)


@pytest.mark.parametrize("mode, expected", [
    ("valid", [[8, 11], [17, 20]]),
    ("same", [[8, 11, 6], [17, 20, 9], [16, 18, 0]]),
    ("full", [[0, 1, 2, 3], [2, 8, 11, 6], [8, 17, 20, 9], [14, 16, 18, 0]]),
])
def test_convolve2d_hand_worked(mode, expected):
    np.testing.assert_array_equal(cnnmath.convolve2d(F, H, mode), expected)
    np.testing.assert_array_equal(reference.convolve2d(F, H, mode), expected)


def test_odd_kernel_same_mode_is_centred():
    # A 3x3 kernel with a single 1 in the middle copies the image; with the 1 in the
    # top-left corner, correlation reads one step up-left (zeros entering at the border).
    centre = np.zeros((3, 3))
    centre[1, 1] = 1.0
    np.testing.assert_array_equal(cnnmath.correlate2d(F, centre, "same"), F)
    corner = np.zeros((3, 3))
    corner[0, 0] = 1.0
    np.testing.assert_array_equal(cnnmath.correlate2d(F, corner, "same"),
                                  [[0, 0, 0], [0, 1, 2], [0, 4, 5]])
    np.testing.assert_array_equal(cnnmath.convolve2d(F, corner, "same"),
                                  [[5, 6, 0], [8, 9, 0], [0, 0, 0]])


def test_box_filter_valid_by_hand():
    # A 2x2 box sums each 2x2 block: 1+2+4+5 = 12, 2+3+5+6 = 16, 4+5+7+8 = 24, 5+6+8+9 = 28.
    np.testing.assert_array_equal(cnnmath.correlate2d(F, np.ones((2, 2))), [[12, 16], [24, 28]])


def test_conv2d_stride_dilation_padding_by_hand():
    # x = 0..24 on a 5x5 grid (x[r, c] = 5 r + c); the kernel [[1, -1]] with dilation 2
    # reads x[r, c] - x[r, c + 2] = -2 everywhere; stride 2 keeps rows 0, 2, 4 and
    # columns 0, 2 of the valid 5x3 map; bias 10 gives 8.
    x = np.arange(25.0).reshape(1, 1, 5, 5)
    w = np.array([[[[1.0, -1.0]]]])
    y = cnnmath.conv2d(x, w, b=np.array([10.0]), stride=2, dilation=2)
    np.testing.assert_array_equal(y, np.full((1, 1, 3, 2), 8.0))
    # padding 1: the first column now reads 0 - x[r, 1] (a zero enters from the left).
    y = cnnmath.conv2d(x, w, padding=(0, 1), dilation=(1, 2))
    np.testing.assert_array_equal(y[0, 0, :, 0], [-1, -6, -11, -16, -21])


def test_same_padding_with_even_dilated_kernel_keeps_size_and_pads_bottom_right():
    # k = 2, d = 3: total padding 3 = 1 top + 2 bottom. With x a column of ones and
    # the kernel [[1], [0]] (reads the top tap), output row i reads x[i - 1]:
    # zero only in the first row.
    x = np.ones((1, 1, 4, 1))
    w = np.array([[[[1.0], [0.0]]]])
    y = cnnmath.conv2d(x, w, padding="same", dilation=(3, 1))
    np.testing.assert_array_equal(y[0, 0, :, 0], [0, 1, 1, 1])


@settings(derandomize=True, deadline=None, max_examples=40)
@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 3), st.integers(1, 3),
       st.integers(0, 2**32 - 1))
def test_full_convolution_multiplies_polynomials(h, w, k_h, k_w, seed):
    # Full 2-D convolution of coefficient arrays is the product of bivariate polynomials.
    rng = np.random.default_rng(seed)
    f, g = rng.integers(-5, 6, size=(h, w)), rng.integers(-5, 6, size=(k_h, k_w))
    u, v = sp.symbols("u v")

    def poly(a):
        return sum(int(a[i, j]) * u**i * v**j for i, j in np.ndindex(a.shape))

    product = sp.Poly(sp.expand(poly(f) * poly(g)), u, v)
    expected = np.zeros((h + k_h - 1, w + k_w - 1))
    for (i, j), coefficient in product.terms():
        expected[i, j] = int(coefficient)
    np.testing.assert_array_equal(cnnmath.convolve2d(f, g, "full"), expected)


def test_conv2d_equals_sum_of_channel_correlations():
    rng = np.random.default_rng(0)
    x, w, b = rng.normal(size=(2, 3, 6, 5)), rng.normal(size=(4, 3, 3, 2)), rng.normal(size=4)
    y = cnnmath.conv2d(x, w, b)
    for n, o in np.ndindex(2, 4):
        expected = b[o] + sum(cnnmath.correlate2d(x[n, c], w[o, c]) for c in range(3))
        np.testing.assert_allclose(y[n, o], expected, atol=1e-12)


# --- dtypes and symbols ---------------------------------------------------------------

def test_float32_is_preserved_and_ints_become_float64():
    x32 = np.ones((1, 2, 5, 5), dtype=np.float32)
    w32 = np.ones((3, 2, 3, 3), dtype=np.float32)
    assert cnnmath.conv2d(x32, w32, np.zeros(3, np.float32), padding=1).dtype == np.float32
    assert cnnmath.correlate2d(x32[0, 0], w32[0, 0]).dtype == np.float32
    assert cnnmath.convolve2d(x32[0, 0], w32[0, 0], "full").dtype == np.float32
    ints = cnnmath.conv2d(np.ones((1, 1, 3, 3), dtype=int), np.ones((1, 1, 2, 2), dtype=int))
    assert ints.dtype == np.float64


def test_fast_conv2d_runs_on_sympy_symbols():
    x = np.array(sp.symbols("x0:12"), dtype=object).reshape(1, 1, 3, 4)
    w = np.array(sp.symbols("w0:4"), dtype=object).reshape(1, 1, 2, 2)
    fast = cnnmath.conv2d(x, w, stride=(1, 2), padding=1, dilation=(2, 1))
    slow = reference.conv2d(x, w, stride=(1, 2), padding=1, dilation=(2, 1))
    assert fast.shape == slow.shape
    assert all(sp.expand(a - b) == 0 for a, b in zip(fast.ravel(), slow.ravel()))


def test_conv2d_does_not_modify_inputs():
    rng = np.random.default_rng(1)
    x, w = rng.normal(size=(1, 2, 4, 4)), rng.normal(size=(1, 2, 2, 2))
    x0, w0 = x.copy(), w.copy()
    cnnmath.conv2d(x, w, padding="full", stride=2)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(w, w0)


# --- bad arguments --------------------------------------------------------------------

X = np.zeros((1, 2, 5, 5))
W = np.zeros((3, 2, 3, 3))


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(x=np.zeros((2, 5, 5))), ValueError, ["x", "4 dimensions", "(2, 5, 5)"]),
    (dict(w=np.zeros((2, 3, 3))), ValueError, ["w", "4 dimensions"]),
    (dict(w=np.zeros((3, 1, 3, 3))), ValueError, ["2 channels", "1 input channels"]),
    (dict(w=np.zeros((3, 2, 6, 3))), ValueError, ["does not fit", "height", "6"]),
    (dict(w=np.zeros((3, 2, 3, 3)), dilation=3), ValueError, ["does not fit", "dilation 3", "7"]),
    (dict(w=np.zeros((3, 2, 0, 3))), ValueError, ["w", "(3, 2, 0, 3)"]),
    (dict(stride=0), ValueError, ["stride", ">= 1", "0"]),
    (dict(stride=(1, 0)), ValueError, ["stride", "0"]),
    (dict(stride=1.5), TypeError, ["stride", "int", "1.5"]),
    (dict(stride=(1, 2, 3)), ValueError, ["stride", "pair"]),
    (dict(dilation=0), ValueError, ["dilation", "0"]),
    (dict(padding=-1), ValueError, ["padding", ">= 0", "-1"]),
    (dict(padding=(0, -2)), ValueError, ["padding", "-2"]),
    (dict(padding="half"), ValueError, ["padding", "'half'", "'same'"]),
    (dict(padding=None), TypeError, ["padding", "None"]),
    (dict(padding="same", stride=2), ValueError, ["same", "stride 1", "(2, 2)"]),
    (dict(b=np.zeros(2)), ValueError, ["b", "3", "(2,)"]),
    (dict(b=np.zeros((3, 1))), ValueError, ["b", "1 dimensions"]),
    (dict(x=np.array(["a"] * 50).reshape(1, 2, 5, 5)), TypeError, ["x", "real numbers"]),
])
def test_conv2d_rejects_bad_arguments(kwargs, error, words):
    arguments = dict(x=X, w=W) | kwargs
    with pytest.raises(error) as info:
        cnnmath.conv2d(**arguments)
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize("call, error, words", [
    (lambda: cnnmath.correlate2d(np.zeros((2, 2)), np.zeros((3, 1))), ValueError,
     ["kernel", "(3, 1)", "image", "valid"]),
    (lambda: cnnmath.correlate2d(np.zeros((4, 4)), np.zeros((2, 2)), "circular"), ValueError,
     ["mode", "'circular'"]),
    (lambda: cnnmath.convolve2d(np.zeros((4, 4)), np.zeros((1, 2, 2))), ValueError,
     ["kernel", "2 dimensions"]),
    (lambda: cnnmath.convolve2d(np.zeros((1, 4, 4)), np.zeros((2, 2))), ValueError,
     ["image", "2 dimensions"]),
    (lambda: cnnmath.correlate2d("image", np.zeros((2, 2))), TypeError, ["image"]),
])
def test_correlate_and_convolve_reject_bad_arguments(call, error, words):
    with pytest.raises(error) as info:
        call()
    for word in words:
        assert word in str(info.value)


def test_even_kernel_same_and_full_always_fit():
    # 'same' and 'full' pad enough for any kernel, even one larger than the image.
    assert cnnmath.correlate2d(np.ones((2, 2)), np.ones((4, 5)), "same").shape == (2, 2)
    assert cnnmath.correlate2d(np.ones((2, 2)), np.ones((4, 5)), "full").shape == (5, 6)


def test_loop_reference_refuses_a_kernel_that_does_not_fit():
    with pytest.raises(ValueError, match="does not fit"):
        reference.conv2d(np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 3, 3)))
    with pytest.raises(ValueError, match="does not fit"):
        reference.correlate2d(np.zeros((2, 2)), np.zeros((1, 3)))
