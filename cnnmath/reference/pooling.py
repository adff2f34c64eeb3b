"""Pooling by loops over every output position and every window tap.

Output position ``(i, j)`` of a window with ``k_h x k_w`` taps reads, for tap
``(a, b)``, the input at

    r = i * s_h - p_h + a * d_h,    q = j * s_w - p_w + b * d_w,

and a tap with ``r`` or ``q`` outside the input lies in the padding (or, in
``ceil_mode``, beyond it). Each function below is that sentence plus one line
of arithmetic. Average and Lp pooling also run on SymPy object arrays.
"""

from fractions import Fraction

import numpy as np
import sympy as sp

from .._validation import as_array, as_pair
from ..shapes import pool_output_size

__all__ = ["max_pool2d", "max_pool2d_backward", "avg_pool2d", "avg_pool2d_backward",
           "lp_pool2d", "lp_pool2d_backward"]


def _setup(x, kernel_size, stride, padding, dilation, ceil_mode):
    x = as_array(x, "x", ndim=4, allow_object=True)
    k = as_pair(kernel_size, "kernel_size", minimum=1)
    s = k if stride is None else as_pair(stride, "stride", minimum=1)
    p = as_pair(padding, "padding", minimum=0)
    d = as_pair(dilation, "dilation", minimum=1)
    out = tuple(pool_output_size(x.shape[2 + a], k[a], s[a], p[a], d[a], ceil_mode)
                for a in range(2))
    return x, k, s, p, d, out


def _window(x_shape, k, s, p, d, i, j):
    """Every tap ``(r, q, inside_input, inside_padded_input)`` of window ``(i, j)``, row-major."""
    height, width = x_shape[2:]
    for a in range(k[0]):
        for b in range(k[1]):
            r = i * s[0] - p[0] + a * d[0]
            q = j * s[1] - p[1] + b * d[1]
            inside = 0 <= r < height and 0 <= q < width
            inside_padded = r < height + p[0] and q < width + p[1]
            yield r, q, inside, inside_padded


def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """``y[n, c, i, j]`` = max over the taps inside the input (padding is minus infinity).

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    kernel_size, stride, padding, dilation, ceil_mode
        As in ``cnnmath.pooling.max_pool2d``.

    Returns
    -------
    y : ndarray, shape (N, C, out_h, out_w)

    Raises
    ------
    TypeError
        If x holds something other than numbers (or SymPy expressions), or a setting
        has the wrong type.
    ValueError
        If x is not 4-D, a setting is out of range, or the window does not fit.

    Notes
    -----
    The book derives this in :ref:`bppool-max`.
    """
    x, k, s, p, d, out = _setup(x, kernel_size, stride, padding, dilation, ceil_mode)
    y = np.empty(x.shape[:2] + out, dtype=x.dtype)
    for n, c, i, j in np.ndindex(y.shape):
        best = -np.inf
        for r, q, inside, _ in _window(x.shape, k, s, p, d, i, j):
            if inside and x[n, c, r, q] > best:
                best = x[n, c, r, q]
        y[n, c, i, j] = best
    return y


def max_pool2d_backward(dy, x, kernel_size, stride=None, padding=0, dilation=1,
                        ceil_mode=False):
    """``dx[n, c, r*, q*] += dy[n, c, i, j]`` at the first maximum ``(r*, q*)`` of each window.

    Parameters
    ----------
    dy : ndarray, shape (N, C, out_h, out_w)
    x, kernel_size, stride, padding, dilation, ceil_mode
        As passed to ``max_pool2d``.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)

    Raises
    ------
    TypeError
        As the forward function, and if dy holds something other than numbers.
    ValueError
        As the forward function, and if dy is not 4-D.

    Notes
    -----
    The book derives this in :ref:`bppool-ties`.
    """
    x, k, s, p, d, out = _setup(x, kernel_size, stride, padding, dilation, ceil_mode)
    dy = as_array(dy, "dy", ndim=4, allow_object=True)
    dx = np.zeros(x.shape, dtype=np.result_type(x, dy))
    for n, c, i, j in np.ndindex(x.shape[:2] + out):
        best, where = -np.inf, None
        for r, q, inside, _ in _window(x.shape, k, s, p, d, i, j):
            if inside and x[n, c, r, q] > best:   # strict: a tie keeps the first
                best, where = x[n, c, r, q], (r, q)
        if where is not None:
            dx[(n, c) + where] += dy[n, c, i, j]
    return dx


def _divisor(x_shape, k, s, p, i, j, count_include_pad):
    """Taps of window (i, j) inside the padded input (or, without padding, the input)."""
    taps = _window(x_shape, k, s, p, (1, 1), i, j)
    return sum(1 for _, _, inside, inside_padded in taps
               if (inside_padded if count_include_pad else inside))


def avg_pool2d(x, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """``y[n, c, i, j]`` = (sum of the window's input values) / divisor.

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    kernel_size, stride, padding, ceil_mode, count_include_pad
        As in ``cnnmath.pooling.avg_pool2d``.

    Returns
    -------
    y : ndarray, shape (N, C, out_h, out_w)

    Raises
    ------
    TypeError
        If x holds something other than numbers (or SymPy expressions), or a setting
        has the wrong type.
    ValueError
        If x is not 4-D, a setting is out of range, or the window does not fit.

    Notes
    -----
    The book derives this in :ref:`bppool-avg`.
    """
    x, k, s, p, d, out = _setup(x, kernel_size, stride, padding, 1, ceil_mode)
    y = np.empty(x.shape[:2] + out, dtype=x.dtype)
    for n, c, i, j in np.ndindex(y.shape):
        total = sum(x[n, c, r, q] for r, q, inside, _ in _window(x.shape, k, s, p, d, i, j)
                    if inside)
        y[n, c, i, j] = total / _divisor(x.shape, k, s, p, i, j, count_include_pad)
    return y


def avg_pool2d_backward(dy, x, kernel_size, stride=None, padding=0, ceil_mode=False,
                        count_include_pad=True):
    """``dx[n, c, r, q] += dy[n, c, i, j] / divisor`` for every input tap (r, q) of window (i, j).

    Parameters
    ----------
    dy : ndarray, shape (N, C, out_h, out_w)
    x, kernel_size, stride, padding, ceil_mode, count_include_pad
        As passed to ``avg_pool2d``.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)

    Raises
    ------
    TypeError
        As the forward function, and if dy holds something other than numbers.
    ValueError
        As the forward function, and if dy is not 4-D.

    Notes
    -----
    The book derives this in :ref:`bppool-avg`.
    """
    x, k, s, p, d, out = _setup(x, kernel_size, stride, padding, 1, ceil_mode)
    dy = as_array(dy, "dy", ndim=4, allow_object=True)
    dx = np.zeros(x.shape, dtype=np.result_type(x, dy))
    for n, c, i, j in np.ndindex(x.shape[:2] + out):
        divisor = _divisor(x.shape, k, s, p, i, j, count_include_pad)
        for r, q, inside, _ in _window(x.shape, k, s, p, d, i, j):
            if inside:
                dx[n, c, r, q] += dy[n, c, i, j] / divisor
    return dx


def _power(value, exponent):
    """value ** exponent, exact for SymPy values and a rational exponent."""
    if isinstance(value, sp.Basic):
        return value ** sp.Rational(exponent)
    return value ** float(exponent)


def _exponents(norm_type):
    """(p - 1, 1/p), exact when p is an integer."""
    p = Fraction(norm_type) if float(norm_type).is_integer() else norm_type
    return p - 1, 1 / p


def lp_pool2d(x, norm_type, kernel_size, stride=None, ceil_mode=False):
    """``y[n, c, i, j]`` = (sum over the window's input values of x**p) ** (1/p).

    Parameters
    ----------
    x : ndarray, shape (N, C, H, W)
    norm_type : float
        p, >= 1.
    kernel_size, stride, ceil_mode
        As in ``cnnmath.pooling.lp_pool2d``.

    Returns
    -------
    y : ndarray, shape (N, C, out_h, out_w)

    Raises
    ------
    TypeError
        If x holds something other than numbers (or SymPy expressions), or a setting
        has the wrong type.
    ValueError
        If x is not 4-D, a setting is out of range, or the window does not fit.

    Notes
    -----
    The book derives this in :ref:`bppool-lp`.
    """
    x, k, s, p, d, out = _setup(x, kernel_size, stride, 0, 1, ceil_mode)
    _, inverse = _exponents(norm_type)
    y = np.empty(x.shape[:2] + out, dtype=x.dtype)
    for n, c, i, j in np.ndindex(y.shape):
        total = sum(x[n, c, r, q] ** norm_type
                    for r, q, inside, _ in _window(x.shape, k, s, p, d, i, j) if inside)
        y[n, c, i, j] = _power(total, inverse)
    return y


def lp_pool2d_backward(dy, x, norm_type, kernel_size, stride=None, ceil_mode=False):
    """``dx[n, c, r, q] += dy[n, c, i, j] x[n, c, r, q]**(p-1) / y[n, c, i, j]**(p-1)``.

    A window whose norm is 0 passes nothing back when p > 1.

    Parameters
    ----------
    dy : ndarray, shape (N, C, out_h, out_w)
    x, norm_type, kernel_size, stride, ceil_mode
        As passed to ``lp_pool2d``.

    Returns
    -------
    dx : ndarray, shape (N, C, H, W)

    Raises
    ------
    TypeError
        As the forward function, and if dy holds something other than numbers.
    ValueError
        As the forward function, and if dy is not 4-D.

    Notes
    -----
    The book derives this in :ref:`bppool-lp`.
    """
    x, k, s, p, d, out = _setup(x, kernel_size, stride, 0, 1, ceil_mode)
    dy = as_array(dy, "dy", ndim=4, allow_object=True)
    y = lp_pool2d(x, norm_type, kernel_size, stride, ceil_mode)
    minus_one, _ = _exponents(norm_type)
    dx = np.zeros(x.shape, dtype=np.result_type(x, dy))
    for n, c, i, j in np.ndindex(y.shape):
        if norm_type != 1 and y[n, c, i, j] == 0:
            continue
        for r, q, inside, _ in _window(x.shape, k, s, p, d, i, j):
            if inside:
                dx[n, c, r, q] += (dy[n, c, i, j] * _power(x[n, c, r, q], minus_one)
                                   / _power(y[n, c, i, j], minus_one))
    return dx
