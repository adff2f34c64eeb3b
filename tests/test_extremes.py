"""Numerical extremes: inputs of magnitude up to 1e4, exact zeros and ties.

The functions whose naive formulas overflow or cancel (sigmoid, softmax,
log-softmax, the cross-entropies) and the pooling layers must give finite and
*correct* values and gradients there, in float32 and in float64.

"Correct" is judged against an oracle that shares no code with cnnmath:
mpmath at 60 significant digits, evaluated on exactly the floating-point
numbers the function received, or an exact closed form (a maximum is one of
the inputs; a mean of floats is an exact rational computed with fractions).
The oracle's value is rounded to float64 once; the tolerance then allows a few
units in the last place of the dtype under test, plus the dtype's smallest
normal number in absolute terms (a result below that is subnormal and carries
less relative precision by design).
"""

from fractions import Fraction

import mpmath
import numpy as np
import pytest

import cnnmath

# A private context: SymPy and other tests change mpmath's global precision.
M = mpmath.MPContext()
M.dps = 60

DTYPES = [np.float32, np.float64]
RTOL = {np.float32: 4e-6, np.float64: 4e-14}

# Magnitudes from 0 (both signs) to 1e4, including the points where naive
# formulas break: exp(89) overflows float32, exp(710) overflows float64,
# 1 - sigmoid(x) rounds to 0 beyond x = 17 (float32) and 37 (float64).
SCALARS = np.array([-1e4, -1e3, -710.0, -100.0, -89.0, -40.0, -17.0, -1.0, -1e-8, -0.0, 0.0,
                    1e-8, 1.0, 17.0, 40.0, 89.0, 100.0, 710.0, 1e3, 1e4])

# Rows for the softmax family: huge spreads, exact ties (also of huge values),
# all zeros, and near-ties at 1e4 that float32 can still tell apart.
ROWS = np.array([
    [1e4, -1e4, 0.0, 1.0],
    [1e4, 1e4, -1e4, -1e4],
    [0.0, 0.0, 0.0, 0.0],
    [-1e4, -1e4, -1e4, -1e4],
    [1e4, 9999.0, 9998.0, 1e4],
    [-0.0, 0.0, -1e4, 1e3],
    [710.0, 709.0, -710.0, 0.5],
    [89.0, -89.0, 88.0, 1e-8],
])


def mp(value):
    """The exact value of a float as an mpmath number."""
    return M.mpf(float(value))


def oracle(function, array):
    """Apply a function of mpmath numbers to every entry; float64 result."""
    return np.vectorize(lambda v: float(function(mp(v))), otypes=[float])(array)


def assert_close(computed, expected, dtype, rtol=None, scale=None):
    """Entrywise |computed - expected| <= rtol scale + tiny, and finite.

    ``scale`` is |expected| unless given: a difference a - b of two exact
    terms can only be asked to be accurate relative to |a| + |b|.
    """
    computed = np.asarray(computed)
    assert computed.dtype == dtype, f"dtype {computed.dtype}, expected {np.dtype(dtype)}"
    assert np.all(np.isfinite(computed)), f"non-finite values: {computed}"
    rtol = RTOL[dtype] if rtol is None else rtol
    atol = np.finfo(dtype).tiny
    error = np.abs(computed.astype(np.float64) - expected)
    bound = rtol * (np.abs(expected) if scale is None else scale) + atol
    worst = np.unravel_index(np.argmax(error - bound), error.shape)
    assert np.all(error <= bound), (
        f"entry {worst}: got {computed[worst]!r}, oracle {expected[worst]!r}, "
        f"error {error[worst]:.3e} > bound {bound[worst]:.3e}")


def assert_close_rowwise(computed, expected, dtype, rtol=None):
    """As assert_close, but errors are measured against each row's largest entry.

    Used for Jacobian-vector products, whose small entries arise from
    cancellation and carry only the row's absolute precision.
    """
    scale = np.abs(expected).max(axis=-1, keepdims=True)
    rtol = RTOL[dtype] if rtol is None else rtol
    assert np.all(np.isfinite(computed)), f"non-finite values: {computed}"
    error = np.abs(np.asarray(computed, dtype=np.float64) - expected)
    assert np.all(error <= rtol * scale + np.finfo(dtype).tiny), (
        f"largest row-relative error {np.max(error / np.maximum(scale, 1e-300)):.3e}")


# --- mpmath oracles -------------------------------------------------------------------

def mp_sigmoid(v):
    return 1 / (1 + M.exp(-v))


def mp_sigmoid_slope(v):
    return mp_sigmoid(v) * mp_sigmoid(-v)


def mp_softplus(v):
    return M.log(1 + M.exp(v))


def mp_row(values):
    return [mp(v) for v in values]


def mp_log_softmax(row):
    log_total = M.log(M.fsum(M.exp(v) for v in row))
    return [v - log_total for v in row]


def mp_softmax(row):
    return [M.exp(v) for v in mp_log_softmax(row)]


def row_oracle(function, rows):
    return np.array([[float(v) for v in function(mp_row(row))] for row in rows])


def upstream(shape, dtype):
    """A fixed upstream gradient with entries of both signs, exact in float32."""
    return (np.arange(np.prod(shape)).reshape(shape) % 5 - 2).astype(dtype) / 4


# --- sigmoid, softplus ----------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_sigmoid_and_its_slope(dtype):
    x = SCALARS.astype(dtype)
    assert_close(cnnmath.sigmoid(x), oracle(mp_sigmoid, x), dtype)
    dy = upstream(x.shape, dtype)
    expected = dy.astype(np.float64) * oracle(mp_sigmoid_slope, x)
    assert_close(cnnmath.sigmoid_backward(dy, x), expected, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_softplus_and_its_slope(dtype):
    x = SCALARS.astype(dtype)
    assert_close(cnnmath.softplus(x), oracle(mp_softplus, x), dtype)
    assert_close(cnnmath.softplus_backward(np.ones_like(x), x), oracle(mp_sigmoid, x), dtype)


def test_sigmoid_at_zero_and_symmetry_are_exact():
    for dtype in DTYPES:
        zeros = np.array([0.0, -0.0], dtype=dtype)
        assert np.all(cnnmath.sigmoid(zeros) == 0.5)
        assert np.all(cnnmath.sigmoid_backward(np.ones_like(zeros), zeros) == 0.25)
        x = SCALARS.astype(dtype)
        # s(x) + s(-x) = 1 holds to rounding even where one side is tiny.
        total = cnnmath.sigmoid(x).astype(np.float64) + cnnmath.sigmoid(-x)
        assert np.all(np.abs(total - 1) <= 2 * np.finfo(dtype).eps)


# --- softmax and log-softmax ----------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_values_and_gradient(dtype):
    x = ROWS.astype(dtype)
    expected = row_oracle(mp_softmax, x)
    assert_close(cnnmath.softmax(x), expected, dtype)
    dy = upstream(x.shape, dtype)
    # J^T dy = s * (dy - s . dy), evaluated exactly.
    jvp = []
    for row, g in zip(x, dy):
        s = mp_softmax(mp_row(row))
        inner = M.fsum(si * mp(gi) for si, gi in zip(s, g))
        jvp.append([float(si * (mp(gi) - inner)) for si, gi in zip(s, g)])
    assert_close_rowwise(cnnmath.softmax_backward(dy, x), np.array(jvp), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_log_softmax_values_and_gradient(dtype):
    x = ROWS.astype(dtype)
    expected = row_oracle(mp_log_softmax, x)
    assert_close(cnnmath.log_softmax(x), expected, dtype)
    dy = upstream(x.shape, dtype)
    jvp = []
    for row, g in zip(x, dy):
        s = mp_softmax(mp_row(row))
        total = M.fsum(mp(gi) for gi in g)
        jvp.append([float(mp(gi) - si * total) for si, gi in zip(s, g)])
    assert_close_rowwise(cnnmath.log_softmax_backward(dy, x), np.array(jvp), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_softmax_ties_are_exactly_uniform(dtype):
    for value in (0.0, 1e4, -1e4):
        x = np.full((1, 4), value, dtype=dtype)
        assert np.all(cnnmath.softmax(x) == 0.25)
        assert np.all(cnnmath.log_softmax(x) == np.log(dtype(0.25)))
    x = np.array([[1e4, 1e4, -1e4]], dtype=dtype)
    assert np.array_equal(cnnmath.softmax(x), np.array([[0.5, 0.5, 0.0]], dtype=dtype))


# --- cross-entropies ------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_with_class_indices(dtype):
    logits = ROWS.astype(dtype)
    target = np.array([0, 1, 2, 3, 1, 2, 2, 3])
    log_s = row_oracle(mp_log_softmax, logits)
    losses = -log_s[np.arange(len(target)), target]
    assert_close(cnnmath.cross_entropy(logits, target, reduction="none"), losses, dtype)
    assert_close(np.atleast_1d(cnnmath.cross_entropy(logits, target, reduction="sum")),
                 np.array([float(M.fsum(mp(v) for v in losses))]), dtype)
    onehot = np.eye(4)[target]
    grad = row_oracle(mp_softmax, logits) - onehot
    assert_close_rowwise(cnnmath.cross_entropy_backward(logits, target, reduction="none"),
                         grad, dtype)
    assert_close_rowwise(cnnmath.cross_entropy_backward(logits, target),
                         grad / len(target), dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_cross_entropy_with_probabilities_including_zeros(dtype):
    logits = ROWS.astype(dtype)
    target = np.tile(np.array([0.0, 0.25, 0.0, 0.75], dtype=dtype), (len(logits), 1))
    target[2] = [1.0, 0.0, 0.0, 0.0]
    log_s = [mp_log_softmax(mp_row(row)) for row in logits]
    losses = np.array([float(-M.fsum(mp(t) * log_p for t, log_p in zip(trow, lrow)))
                       for trow, lrow in zip(target, log_s)])
    assert_close(cnnmath.cross_entropy(logits, target, reduction="none"), losses, dtype)
    grad = row_oracle(mp_softmax, logits) - target
    assert_close_rowwise(cnnmath.cross_entropy_backward(logits, target, reduction="none"),
                         grad, dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_binary_cross_entropy_with_logits(dtype):
    z = np.repeat(SCALARS, 3).astype(dtype)
    y = np.tile(np.array([0.0, 1.0, 0.5], dtype=dtype), len(SCALARS))
    losses = np.array([float(mp(t) * mp_softplus(-mp(v)) + (1 - mp(t)) * mp_softplus(mp(v)))
                       for v, t in zip(z, y)])
    assert_close(cnnmath.binary_cross_entropy_with_logits(z, y, reduction="none"), losses, dtype)
    # sigmoid(z) - y = (1 - y) sigmoid(z) - y sigmoid(-z): exact relative accuracy for
    # y = 0 or 1; for 0 < y < 1 the two terms can cancel, so accuracy is relative to both.
    grad = np.array([float(mp_sigmoid(mp(v)) - mp(t)) for v, t in zip(z, y)])
    terms = np.array([float((1 - mp(t)) * mp_sigmoid(mp(v)) + mp(t) * mp_sigmoid(-mp(v)))
                      for v, t in zip(z, y)])
    assert_close(cnnmath.binary_cross_entropy_with_logits_backward(z, y, reduction="none"),
                 grad, dtype, rtol=RTOL[dtype] * 2, scale=terms)


@pytest.mark.parametrize("dtype", DTYPES)
def test_binary_cross_entropy_on_probabilities(dtype):
    """Exact zeros and ones, and probabilities as small as float64 allows.

    The closed form is PyTorch's: each log is clamped at -100, and the
    gradient (p - y) / (p (1 - p)) has its denominator raised to 1e-12.
    """
    tiny = 1e-30 if dtype == np.float32 else 1e-300
    p = np.array([0.0, 0.0, 1.0, 1.0, 0.5, tiny, tiny, 1e-8, 0.75], dtype=dtype)
    y = np.array([0.0, 1.0, 0.0, 1.0, 0.5, 0.0, 1.0, 1.0, 0.25], dtype=dtype)

    def clamped(log_value):
        return max(log_value, M.mpf(-100))

    def log_p(v):
        return clamped(M.log(v)) if v > 0 else M.mpf(-100)

    def log_1mp(v):            # log1p: 1 - 1e-300 is 1 even at 60 digits
        return clamped(M.log1p(-v)) if v < 1 else M.mpf(-100)

    losses = np.array([float(-mp(t) * log_p(mp(v)) - (1 - mp(t)) * log_1mp(mp(v)))
                       for v, t in zip(p, y)])
    assert_close(cnnmath.binary_cross_entropy(p, y, reduction="none"), losses, dtype)
    # (p - y) / max(p (1 - p), 1e-12): 1 - p rounds in the dtype only for p near 1,
    # which none of these are, apart from p = 1 itself.
    grad = np.array([float((mp(v) - mp(t)) / max(mp(v) * (1 - mp(v)), M.mpf(1e-12)))
                     for v, t in zip(p, y)])
    assert_close(cnnmath.binary_cross_entropy_backward(p, y, reduction="none"), grad, dtype)


# --- pooling --------------------------------------------------------------------------

def exact_mean(values):
    return float(sum(Fraction(float(v)) for v in values) / len(values))


def block_pool_input(dtype):
    """(1, 2, 4, 4): channel 0 holds +-1e4 and exact ties, channel 1 zeros and -0.0."""
    x = np.array([[[1e4, 1e4, -1e4, 3.0], [1e4, -1e4, -1e4, -1e4],
                   [0.0, 2.5, 7.0, 7.0], [-0.0, 2.5, 7.0, 7.0]],
                  [[0.0, -0.0, 0.0, 0.0], [0.0, 0.0, -0.0, 0.0],
                   [-1e4, -1e4, 1e-8, 0.0], [-1e4, -1e4, 0.0, -1e-8]]])
    return x[None].astype(dtype)


def windows(x, k=2):
    """The 2x2 blocks of x (stride 2, no padding), as lists, in output order."""
    n, c, h, w = x.shape
    return {(ch, i, j): [x[0, ch, 2 * i + a, 2 * j + b] for a in range(k) for b in range(k)]
            for ch in range(c) for i in range(h // k) for j in range(w // k)}


@pytest.mark.parametrize("dtype", DTYPES)
def test_max_pool_at_extremes_and_ties(dtype):
    x = block_pool_input(dtype)
    y = cnnmath.max_pool2d(x, 2)
    dy = np.arange(1, 9, dtype=dtype).reshape(1, 2, 2, 2)
    dx = cnnmath.max_pool2d_backward(dy, x, 2)
    expected_dx = np.zeros(x.shape)
    for (ch, i, j), values in windows(x).items():
        best = max(float(v) for v in values)
        assert y[0, ch, i, j] == best
        first = [float(v) for v in values].index(best)    # the first maximum, row-major
        expected_dx[0, ch, 2 * i + first // 2, 2 * j + first % 2] = dy[0, ch, i, j]
    assert y.dtype == dtype and dx.dtype == dtype
    assert np.array_equal(dx, expected_dx)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("count_include_pad", [True, False])
def test_avg_pool_at_extremes(dtype, count_include_pad):
    x = block_pool_input(dtype)
    y = cnnmath.avg_pool2d(x, 2, count_include_pad=count_include_pad)
    expected = np.zeros(y.shape)
    for (ch, i, j), values in windows(x).items():
        expected[0, ch, i, j] = exact_mean(values)
    assert_close(y, expected, dtype)
    # Padding 1 with a 3x3 window: border windows hold zeros that may or may not count.
    y = cnnmath.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=count_include_pad)
    padded = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (1, 1), (1, 1)))
    inside = np.pad(np.ones(x.shape), ((0, 0), (0, 0), (1, 1), (1, 1)))
    for ch in range(2):
        for i in range(4):
            for j in range(4):
                block = padded[0, ch, i:i + 3, j:j + 3]
                count = 9 if count_include_pad else int(inside[0, ch, i:i + 3, j:j + 3].sum())
                expected = float(sum(Fraction(float(v)) for v in block.ravel()) / count)
                assert_close(y[0, ch, i:i + 1, j], np.array([expected]), dtype)
    dy = np.full(y.shape, 1e4, dtype=dtype)
    dx = cnnmath.avg_pool2d_backward(dy, x, 3, stride=1, padding=1,
                                     count_include_pad=count_include_pad)
    assert np.all(np.isfinite(dx)) and dx.dtype == dtype


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("norm_type", [1, 1.5, 2, 3, 4, 10, 25])
def test_lp_pool_at_extremes(dtype, norm_type):
    """Windows of +-1e4, ties, zeros; norm types up to 25, where (1e4)**p would
    overflow float32 (p >= 10) and float64 (p >= 31 would; 25 gives 1e100).

    Value (sum x^p)^(1/p) and gradient x^(p-1) / y^(p-1), both from mpmath.
    A window of zeros has value 0 and, by cnnmath's documented convention,
    gradient 0 (the norm has a corner there).
    """
    x = block_pool_input(dtype)
    if norm_type % 2:                                # odd powers need x >= 0
        x = np.abs(x)
    y = cnnmath.lp_pool2d(x, norm_type, 2)
    dy = np.ones(y.shape, dtype=dtype)
    dx = cnnmath.lp_pool2d_backward(dy, x, norm_type, 2)
    expected_y = np.zeros(y.shape)
    expected_dx = np.zeros(x.shape)
    p = M.mpf(norm_type)
    for (ch, i, j), values in windows(x).items():
        norm = M.fsum(mp(v) ** p for v in values) ** (1 / p)
        expected_y[0, ch, i, j] = float(norm)
        for t, v in enumerate(values):
            if norm_type == 1:                       # the window sum: slope 1 everywhere
                slope = 1
            else:
                slope = mp(v) ** (p - 1) / norm ** (p - 1) if norm > 0 else 0
            expected_dx[0, ch, 2 * i + t // 2, 2 * j + t % 2] = float(slope)
    assert_close(y, expected_y, dtype)
    assert_close(dx, expected_dx, dtype, rtol=8 * RTOL[dtype])


def test_lp_pool_zero_window_has_zero_value_and_gradient():
    for dtype in DTYPES:
        x = np.zeros((1, 1, 2, 2), dtype=dtype)
        for norm_type in (1, 1.5, 2, 3):
            assert cnnmath.lp_pool2d(x, norm_type, 2)[0, 0, 0, 0] == 0
            dx = cnnmath.lp_pool2d_backward(np.ones((1, 1, 1, 1), dtype), x, norm_type, 2)
            expected = np.ones_like(x) if norm_type == 1 else np.zeros_like(x)
            assert np.array_equal(dx, expected), (norm_type, dx)


# ======================================================================================
# Chapter 10: batch normalisation at its extremes (added by ch10). A constant channel
# has variance exactly 0, so x_hat = 0 / sqrt(eps) = 0 however small eps is; a channel
# riding on a large offset must not lose its small variance to cancellation; float32 in
# means float32 out. The oracle is the same formula in exact rational arithmetic.

from cnnmath import normalization  # noqa: E402


def exact_batch_norm(x, eps):
    """Training-mode batch norm of a (N, C) array, computed with exact fractions."""
    n, c = x.shape
    y = np.zeros(x.shape)
    for ch in range(c):
        values = [Fraction(float(v)) for v in x[:, ch]]
        mean = sum(values) / n
        var = sum((v - mean) ** 2 for v in values) / n
        sigma = M.sqrt(M.mpf(var.numerator) / var.denominator + mp(eps))
        for i, v in enumerate(values):
            centred = v - mean
            y[i, ch] = float(M.mpf(centred.numerator) / centred.denominator / sigma)
    return y


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("eps", [1e-5, 1e-30])
def test_batch_norm_constant_channel_gives_the_bias_and_a_finite_gradient(dtype, eps):
    """y is the bias; dx is (dy - mean dy) / sqrt(eps), finite even at eps = 1e-30.

    The slope is large, not zero: a constant channel sits where x_hat = (x - mu) / sqrt(eps)
    is steepest, because nothing but eps is left in the denominator.
    """
    x = np.stack([np.full(6, 7.25), np.arange(6.0)], axis=1).astype(dtype)    # channel 0 constant
    bias = np.array([0.5, -1.0], dtype=dtype)
    y = normalization.batch_norm(x, None, None, np.ones(2, dtype), bias, training=True, eps=eps)
    assert y.dtype == dtype
    assert np.all(y[:, 0] == 0.5)
    dy = np.linspace(-1, 1, 12).reshape(6, 2).astype(dtype)
    dx, dw, db = normalization.batch_norm_backward(dy, x, None, None, np.ones(2, dtype),
                                                   training=True, eps=eps)
    assert all(a.dtype == dtype for a in (dx, dw, db))
    assert np.all(np.isfinite(dx)) and dw[0] == 0
    centred = dy[:, 0].astype(np.float64) - dy[:, 0].astype(np.float64).mean()
    assert_close(dx[:, 0], centred / np.sqrt(eps), dtype, rtol=8 * RTOL[dtype],
                 scale=np.abs(dy[:, 0]).max() / np.sqrt(eps))


@pytest.mark.parametrize("dtype", DTYPES)
def test_batch_norm_on_a_large_offset_keeps_the_small_spread(dtype):
    """x = 1e4 + noise of size 1: the centred two-pass variance keeps every digit it can."""
    noise = np.random.default_rng(0).normal(size=(16, 3))
    x = (1e4 + noise).astype(dtype)
    y = normalization.batch_norm(x, None, None, training=True, eps=1e-5)
    # float32 spacing at 1e4 is 1e-3, so x itself carries a relative error of 1e-3 in the noise
    assert_close(y, exact_batch_norm(x, 1e-5), dtype, rtol=2e-3 if dtype == np.float32 else 1e-9)


@pytest.mark.parametrize("dtype", DTYPES)
def test_batch_norm_float32_running_statistics_stay_float32(dtype):
    running_mean, running_var = np.zeros(3, dtype), np.ones(3, dtype)
    x = np.random.default_rng(1).normal(size=(4, 3, 2, 2)).astype(dtype)
    y = normalization.batch_norm(x, running_mean, running_var, training=True)
    assert y.dtype == running_mean.dtype == running_var.dtype == dtype
    assert_close(y.transpose(1, 0, 2, 3).reshape(3, -1).T,
                 exact_batch_norm(x.transpose(1, 0, 2, 3).reshape(3, -1).T, 1e-5), dtype,
                 rtol=16 * RTOL[dtype])
