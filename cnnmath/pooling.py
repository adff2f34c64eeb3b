"""Max, average and power-average (Lp) pooling, forward and backward.

Images are NCHW; every channel of every image is pooled on its own. The
conventions are those of ``torch.nn.functional``:

* Output sizes follow ``cnnmath.shapes.pool_output_size``, including
  ``ceil_mode`` (a last window may hang over the right/bottom edge, but never
  start in the right padding).
* Max pooling treats padding as minus infinity. When a window holds its
  maximum more than once, the gradient goes to the first of them in row-major
  window order. Overlapping windows add their gradients.
* Average pooling divides by the window's size, counting padding when
  ``count_include_pad`` (but never the part of a ``ceil_mode`` window that
  hangs beyond the padding), or by the number of input elements otherwise.
* Lp pooling is ``(sum of x**p over the window) ** (1/p)``.

The implementation loops over the ``k_h * k_w`` kernel taps, never over
pixels: for the tap in row ``a`` and column ``b`` of the window, one strided
slice of the padded input holds that tap's value for every output position.
"""

from collections import namedtuple

import numpy as np

from ._validation import as_array, as_pair, as_real, check_flag, check_upstream
from .shapes import pool_output_size

__all__ = ["max_pool2d", "max_pool2d_backward", "avg_pool2d", "avg_pool2d_backward",
           "lp_pool2d", "lp_pool2d_backward"]

_Geometry = namedtuple("_Geometry", "kernel stride padding dilation out pad_after")


def _geometry(x, kernel_size, stride, padding, dilation, ceil_mode):
    """Kernel, stride, padding, dilation and output size per axis (height, width).

    ``pad_after`` is the padding needed after the input so that every window,
    including a ``ceil_mode`` window hanging over the edge, lies inside the
    padded array.
    """
    kernel, stride, padding, dilation, ceil_mode = _check_settings(
        kernel_size, stride, padding, dilation, ceil_mode)
    out, pad_after = [], []
    for axis in range(2):
        n, k, s, p, d = x.shape[2 + axis], kernel[axis], stride[axis], padding[axis], dilation[axis]
        size = pool_output_size(n, k, s, p, d, ceil_mode)
        out.append(size)
        pad_after.append(max(p, (size - 1) * s + d * (k - 1) + 1 - n - p))
    return _Geometry(kernel, stride, padding, dilation, tuple(out), tuple(pad_after))


def _check_settings(kernel_size, stride, padding, dilation, ceil_mode):
    """The settings of a pooling call as pairs of ints (stride None means the kernel's size)
    and a bool; ``nn``'s pooling layers check theirs here when they are built."""
    kernel = as_pair(kernel_size, "kernel_size", minimum=1)
    stride = kernel if stride is None else as_pair(stride, "stride", minimum=1)
    padding = as_pair(padding, "padding", minimum=0)
    dilation = as_pair(dilation, "dilation", minimum=1)
    return kernel, stride, padding, dilation, check_flag(ceil_mode, "ceil_mode")


def _pad(x, g, fill):
    """``x`` with ``g.padding`` before and ``g.pad_after`` after each spatial axis."""
    widths = ((0, 0), (0, 0), (g.padding[0], g.pad_after[0]), (g.padding[1], g.pad_after[1]))
    if not any(g.padding + g.pad_after):
        return x                             # nothing to add: no copy (callers only read it)
    return np.pad(x, widths, constant_values=fill)


def _crop(padded, x_shape, g):
    """Undo ``_pad``: the part of a padded array that lies over the input."""
    (p_h, p_w), (h, w) = g.padding, x_shape[2:]
    return padded[:, :, p_h:p_h + h, p_w:p_w + w]


def _taps(g):
    """For each kernel tap, in row-major order, the slice of the padded input it reads.

    ``padded[tap]`` has shape ``(N, C, out_h, out_w)``: the tap's value in
    every window.
    """
    (k_h, k_w), (s_h, s_w), (d_h, d_w), (out_h, out_w) = g.kernel, g.stride, g.dilation, g.out
    for a in range(k_h):
        for b in range(k_w):
            yield (slice(None), slice(None),
                   slice(a * d_h, a * d_h + (out_h - 1) * s_h + 1, s_h),
                   slice(b * d_w, b * d_w + (out_w - 1) * s_w + 1, s_w))


def _scatter(values, x_shape, g, dtype):
    """Adjoint of reading the taps: add ``values[t]`` (one array per tap) back
    onto the positions tap ``t`` read, then crop the padding away."""
    padded = np.zeros(x_shape[:2] + tuple(n + p + q for n, p, q in
                                          zip(x_shape[2:], g.padding, g.pad_after)), dtype=dtype)
    for tap, value in zip(_taps(g), values):
        padded[tap] += value
    return _crop(padded, x_shape, g)


# --- max ------------------------------------------------------------------------------


def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """Max pooling: the largest value of each (dilated) window.

    Padding counts as minus infinity, so it never wins unless a window holds nothing
    else. NaN propagates, as in ``np.max`` and PyTorch.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    kernel_size : int or pair of int, >= 1
    stride : int or pair of int, >= 1, optional
        None (the default) means ``kernel_size``.
    padding : int or pair of int, 0 <= padding <= kernel_size // 2
    dilation : int or pair of int, >= 1
    ceil_mode : bool
        Round the output size up (a last window may hang over the bottom/right edge,
        but never start in the padding), as ``pool_output_size`` counts it.

    Returns
    -------
    y : ndarray, shape (N, C, out_h, out_w)

    Raises
    ------
    TypeError
        If x is not an array of real numbers, a size is not an int or a pair of ints,
        or ceil_mode is not a bool.
    ValueError
        If x is not 4-D, a size is below its minimum, padding exceeds half the kernel,
        or the window does not fit in the padded input.

    Notes
    -----
    The book derives this in :ref:`bppool-max` (its output size in :ref:`size-pooling`).
    """
    x = as_array(x, "x", ndim=4)
    g = _geometry(x, kernel_size, stride, padding, dilation, ceil_mode)
    return _window_max(_pad(x, g, -np.inf), g)


def _window_max(padded, g):
    """Each window's maximum: an elementwise maximum over the taps' strided views.

    No (..., k_h k_w) stack is built: one running maximum, updated in place per tap.
    NaN propagates, as in ``np.max`` and PyTorch.
    """
    taps = _taps(g)
    best = padded[next(taps)].copy()
    for tap in taps:
        np.maximum(best, padded[tap], out=best)
    return best


def max_pool2d_backward(dy, x, kernel_size, stride=None, padding=0, dilation=1,
                        ceil_mode=False, *, output=None):
    """Gradient of ``max_pool2d`` with respect to x.

    Each window's gradient goes to the position of its maximum (the first one in
    row-major window order when there is a tie); positions in several windows collect
    the sum.

    Parameters
    ----------
    dy : ndarray, shape (N, C, out_h, out_w)
        The gradient of the loss with respect to ``max_pool2d``'s output.
    x, kernel_size, stride, padding, dilation, ceil_mode
        Exactly as passed to ``max_pool2d``.
    output : ndarray, shape (N, C, out_h, out_w), optional
        The forward's result ``max_pool2d(x, ...)`` when the caller kept it (a layer
        does), which spares computing the maxima again; it must be that very result.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)

    Raises
    ------
    TypeError
        As ``max_pool2d``, and if dy or output is not an array of real numbers.
    ValueError
        As ``max_pool2d``, and if dy or output does not have the output's shape.

    Notes
    -----
    The book derives this in :ref:`bppool-max`, the ties in :ref:`bppool-ties`.
    """
    x = as_array(x, "x", ndim=4)
    g = _geometry(x, kernel_size, stride, padding, dilation, ceil_mode)
    dy = check_upstream(dy, x.shape[:2] + g.out, "max_pool2d")
    padded = _pad(x, g, -np.inf)
    if output is None:
        best = _window_max(padded, g)
    else:
        best = as_array(output, "output", ndim=4)
        if best.shape != dy.shape:
            raise ValueError(f"output must be max_pool2d's result, of shape {dy.shape}, "
                             f"got {best.shape}")
    nan_windows = np.isnan(best).any()
    # Walk the taps in row-major window order; the first tap that holds its window's
    # maximum takes the window's whole gradient, and the window is then done.
    dtype = np.result_type(x, dy)
    remaining = np.array(dy, dtype=dtype)
    # A 0/1 mask multiply is ~10x faster than np.where, but inf * 0 is NaN.
    finite = np.isfinite(remaining).all()
    dx_pad = np.zeros(padded.shape, dtype=dtype)
    for tap in _taps(g):
        hit = padded[tap] == best
        if nan_windows:                      # a NaN window's gradient goes to its first NaN
            hit |= np.isnan(padded[tap])
        share = remaining * hit if finite else np.where(hit, remaining, 0)
        dx_pad[tap] += share                 # windows that overlap add up
        if finite:
            remaining -= share               # exact: r - r = 0 and r - 0 = r
        else:
            np.copyto(remaining, 0, where=hit)
    return _crop(dx_pad, x.shape, g)


# --- average --------------------------------------------------------------------------


def _window_counts(n, k, s, p, out, count_include_pad):
    """Divisor of each window along one axis (PyTorch's rule).

    A window starts at ``i s - p`` (input coordinates) and is clipped to the
    padded input ``[-p, n + p)``; with ``count_include_pad=False`` it is
    clipped to the input ``[0, n)`` instead.
    """
    start = np.arange(out) * s - p
    end = np.minimum(start + k, n + p)
    if count_include_pad:
        return end - start
    return np.minimum(end, n) - np.maximum(start, 0)


def _avg_divisor(x, g, count_include_pad):
    """Divisor of every window, shape (out_h, out_w)."""
    count_include_pad = check_flag(count_include_pad, "count_include_pad")
    rows, cols = (_window_counts(x.shape[2 + a], g.kernel[a], g.stride[a], g.padding[a],
                                 g.out[a], count_include_pad) for a in range(2))
    return np.outer(rows, cols).astype(x.dtype)


def avg_pool2d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """Average pooling: the mean of each window.

    Padding is zeros; whether the padded zeros count in the divisor is
    ``count_include_pad``. The part of a ``ceil_mode`` window that hangs beyond the
    padding never counts.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    kernel_size : int or pair of int, >= 1
    stride : int or pair of int, >= 1, optional
        None (the default) means ``kernel_size``.
    padding : int or pair of int, 0 <= padding <= kernel_size // 2
    ceil_mode : bool
        Round the output size up, as in ``max_pool2d``.
    count_include_pad : bool
        Divide by the window's size including the padding (True) or by the number of
        input entries it covers (False).

    Returns
    -------
    y : ndarray, shape (N, C, out_h, out_w)

    Raises
    ------
    TypeError
        If x is not an array of real numbers, a size is not an int or a pair of ints,
        or ceil_mode or count_include_pad is not a bool.
    ValueError
        If x is not 4-D, a size is below its minimum, padding exceeds half the kernel,
        or the window does not fit in the padded input.

    Notes
    -----
    The book derives this in :ref:`bppool-avg`.
    """
    x = as_array(x, "x", ndim=4)
    g = _geometry(x, kernel_size, stride, padding, 1, ceil_mode)
    padded = _pad(x, g, 0)
    total = sum(padded[tap] for tap in _taps(g))
    return total / _avg_divisor(x, g, count_include_pad)


def avg_pool2d_backward(dy, x, kernel_size, stride=None, padding=0, ceil_mode=False,
                        count_include_pad=True):
    """Gradient of ``avg_pool2d`` with respect to x.

    Each window spreads ``dy / divisor`` evenly over the input positions it covers.

    Parameters
    ----------
    dy : ndarray, shape (N, C, out_h, out_w)
    x, kernel_size, stride, padding, ceil_mode, count_include_pad
        Exactly as passed to ``avg_pool2d``.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)

    Raises
    ------
    TypeError
        As ``avg_pool2d``, and if dy is not an array of real numbers.
    ValueError
        As ``avg_pool2d``, and if dy does not have the output's shape.

    Notes
    -----
    The book derives this in :ref:`bppool-avg`.
    """
    x = as_array(x, "x", ndim=4)
    g = _geometry(x, kernel_size, stride, padding, 1, ceil_mode)
    dy = check_upstream(dy, x.shape[:2] + g.out, "avg_pool2d")
    share = dy / _avg_divisor(x, g, count_include_pad)
    taps = g.kernel[0] * g.kernel[1]
    return _scatter([share] * taps, x.shape, g, share.dtype)


# --- Lp -------------------------------------------------------------------------------


def _check_norm_type(norm_type, x):
    """Require a finite ``norm_type >= 1`` (below 1 the power mean is not a norm and its
    gradient is infinite at 0), and inputs for which ``x**p`` is real."""
    norm_type = as_real(norm_type, "norm_type", low=1)
    if norm_type != int(norm_type) and np.any(x < 0):
        raise ValueError(
            f"x must be nonnegative when norm_type={norm_type!r} is not an integer "
            f"(x**p is not real), got min(x) = {x.min()}"
        )
    return norm_type


def _lp_norms(x, norm_type, g):
    """``(sum of x**p over each window) ** (1/p)``, shape (N, C, out_h, out_w).

    For p > 1 it is computed as ``m (sum of (x/m)**p) ** (1/p)`` with m the
    window's largest |x|, so no power overflows (1e4**10 does in float32);
    a window of zeros gives 0.
    """
    padded = _pad(x, g, 0)
    if norm_type == 1:
        return sum(padded[tap] for tap in _taps(g))
    m = np.max([np.abs(padded[tap]) for tap in _taps(g)], axis=0)
    total = sum((padded[tap] / np.where(m > 0, m, 1)) ** norm_type for tap in _taps(g))
    if np.any(total < 0):
        raise ValueError(
            f"x has a window whose sum of x**{norm_type} is negative, got "
            f"{(total * m ** norm_type).min()}; its 1/p-th power is not real "
            "(use an even norm_type or nonnegative x)"
        )
    return m * total ** (1 / norm_type)


def lp_pool2d(x, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Power-average pooling: ``(sum of x**p over each window) ** (1/p)``, p = norm_type.

    ``norm_type=2`` is L2 pooling; ``norm_type=1`` sums each window. No padding, as
    in PyTorch. One difference from PyTorch: in ``ceil_mode`` a window hanging over
    the edge sums the elements it covers. PyTorch computes Lp pooling through
    average pooling and so also multiplies such a window's sum by
    ``k_h k_w / (elements covered)``; full windows agree exactly.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
        Nonnegative unless norm_type is an integer.
    norm_type : float, >= 1
    kernel_size : int or pair of int, >= 1
    stride : int or pair of int, >= 1, optional
        None (the default) means ``kernel_size``.
    ceil_mode : bool
        Round the output size up, as in ``max_pool2d``.

    Returns
    -------
    y : ndarray, shape (N, C, out_h, out_w)

    Raises
    ------
    TypeError
        If x is not an array of real numbers, norm_type is not a real number, a size
        is not an int or a pair of ints, or ceil_mode is not a bool.
    ValueError
        If x is not 4-D, norm_type is below 1 or not finite, x has a negative entry
        for a fractional norm_type (or a window whose sum of powers is negative), a
        size is below 1, or the window does not fit in the input.

    Notes
    -----
    The book derives this in :ref:`bppool-lp`.
    """
    x = as_array(x, "x", ndim=4)
    norm_type = _check_norm_type(norm_type, x)
    g = _geometry(x, kernel_size, stride, 0, 1, ceil_mode)
    return _lp_norms(x, norm_type, g)


def lp_pool2d_backward(dy, x, norm_type, kernel_size, stride=None, ceil_mode=False):
    """Gradient of ``lp_pool2d`` with respect to x.

    For the window norm ``y = (sum x_i**p) ** (1/p)``, ``dy/dx_i = x_i**(p-1) / y**(p-1)``
    (``x_i / y`` for L2 pooling). At ``y = 0`` with ``p > 1`` the norm has a corner and
    no derivative; we take the gradient 0 there, finite like every other value.

    Parameters
    ----------
    dy : ndarray, shape (N, C, out_h, out_w)
    x, norm_type, kernel_size, stride, ceil_mode
        Exactly as passed to ``lp_pool2d``.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)

    Raises
    ------
    TypeError
        As ``lp_pool2d``, and if dy is not an array of real numbers.
    ValueError
        As ``lp_pool2d``, and if dy does not have the output's shape.

    Notes
    -----
    The book derives this in :ref:`bppool-lp`.
    """
    x = as_array(x, "x", ndim=4)
    norm_type = _check_norm_type(norm_type, x)
    g = _geometry(x, kernel_size, stride, 0, 1, ceil_mode)
    dy = check_upstream(dy, x.shape[:2] + g.out, "lp_pool2d")
    dtype = np.result_type(x, dy)
    if norm_type == 1:
        return _scatter([dy] * (g.kernel[0] * g.kernel[1]), x.shape, g, dtype)
    # (x_i / y)**(p - 1) per tap: a ratio of at most 1, so nothing overflows.
    y = _lp_norms(x, norm_type, g)
    padded, y_safe = _pad(x, g, 0), np.where(y > 0, y, 1)
    routed = (np.where(y > 0, (padded[tap] / y_safe) ** (norm_type - 1), 0) * dy
              for tap in _taps(g))
    return _scatter(routed, x.shape, g, dtype)
