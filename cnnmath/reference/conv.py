"""Convolution by loops that read like the index formulas.

Every function here computes one output entry per loop iteration, with the sum
over kernel positions written out as the book writes it. Entries outside the
input count as zero; that is all "zero padding" means, so no padded copy of
the input is built. The functions run on float arrays and on NumPy object
arrays of SymPy expressions alike, which is how the book proves the fast
versions in ``cnnmath.conv`` exactly.

Conventions (the same as ``cnnmath.conv`` and ``torch.nn.functional``):
images are NCHW, ``conv2d`` weights are (C_out, C_in, kH, kW), and
``conv_transpose2d`` weights are (C_in, C_out, kH, kW).
"""

import numpy as np

from .._validation import as_array, as_pair, check_choice

__all__ = ["correlate2d", "convolve2d", "conv2d", "conv2d_backward", "conv_transpose2d"]


def correlate2d(image, kernel, mode="valid"):
    """Cross-correlation ``G[m, n] = sum_j sum_k h[j, k] f[m + j - top, n + k - left]``.

    ``top`` and ``left`` are the zero padding that ``mode`` puts before the image
    (see ``cnnmath.conv.correlate2d``).

    Parameters
    ----------
    image : ndarray, shape (H, W)
        f in the formula.
    kernel : ndarray, shape (kH, kW)
        h in the formula.
    mode : {'valid', 'same', 'full'}

    Returns
    -------
    ndarray
        G, of the shape that ``mode`` gives.

    Raises
    ------
    TypeError
        If image or kernel is not an array of real numbers (or SymPy expressions).
    ValueError
        If image or kernel is not 2-D, mode is unknown, or the kernel does not fit.

    Notes
    -----
    The book derives this in :ref:`conv-correlation`.
    """
    f = as_array(image, "image", ndim=2, allow_object=True)
    h = as_array(kernel, "kernel", ndim=2, allow_object=True)
    k_h, k_w = h.shape
    top, bottom = _mode_padding(k_h, mode)
    left, right = _mode_padding(k_w, mode)
    out_h = f.shape[0] + top + bottom - k_h + 1
    out_w = f.shape[1] + left + right - k_w + 1
    _check_fits(out_h, out_w)
    g = np.zeros((out_h, out_w), dtype=np.result_type(f, h))
    for m, n in np.ndindex(out_h, out_w):
        g[m, n] = sum(h[j, k] * _at(f, m + j - top, n + k - left)
                      for j in range(k_h) for k in range(k_w))
    return g


def convolve2d(image, kernel, mode="valid"):
    """Convolution ``G[m, n] = sum_j sum_k h[j, k] f[m - j + off_h, n - k + off_w]``.

    The textbook formula, with the image index running *against* the kernel
    index. ``off = (k - 1) - before`` shifts the full convolution to the
    window that ``mode`` keeps, so that ``convolve2d(f, h, mode)`` equals
    ``correlate2d(f, h[::-1, ::-1], mode)`` in every mode; that identity is
    tested, not assumed, because this function never flips anything.

    Parameters
    ----------
    image : ndarray, shape (H, W)
    kernel : ndarray, shape (kH, kW)
    mode : {'valid', 'same', 'full'}

    Returns
    -------
    ndarray
        G, of the shape that ``mode`` gives.

    Raises
    ------
    TypeError
        If image or kernel is not an array of real numbers (or SymPy expressions).
    ValueError
        If image or kernel is not 2-D, mode is unknown, or the kernel does not fit.

    Notes
    -----
    The book derives this in :ref:`conv-discrete`.
    """
    f = as_array(image, "image", ndim=2, allow_object=True)
    h = as_array(kernel, "kernel", ndim=2, allow_object=True)
    k_h, k_w = h.shape
    top, bottom = _mode_padding(k_h, mode)
    left, right = _mode_padding(k_w, mode)
    off_h, off_w = (k_h - 1) - top, (k_w - 1) - left
    out_h = f.shape[0] + top + bottom - k_h + 1
    out_w = f.shape[1] + left + right - k_w + 1
    _check_fits(out_h, out_w)
    g = np.zeros((out_h, out_w), dtype=np.result_type(f, h))
    for m, n in np.ndindex(out_h, out_w):
        g[m, n] = sum(h[j, k] * _at(f, m - j + off_h, n - k + off_w)
                      for j in range(k_h) for k in range(k_w))
    return g


def conv2d(x, w, b=None, stride=1, padding=0, dilation=1):
    """The convolution layer, one output entry at a time.

    ``y[n, o, i, j] = b[o]``
    ``+ sum_c sum_u sum_v w[o, c, u, v] * x[n, c, i s + u d - top, j s + v d - left]``

    Parameters
    ----------
    x : ndarray, shape (N, C_in, H, W)
    w : ndarray, shape (C_out, C_in, kH, kW)
    b : ndarray, shape (C_out,), optional
    stride, padding, dilation
        As in ``cnnmath.conv.conv2d``.

    Returns
    -------
    y : ndarray, shape (N, C_out, out_h, out_w)

    Raises
    ------
    TypeError
        If an array holds something other than numbers or SymPy expressions, or a
        setting is not an int or a pair of ints (or a padding word).
    ValueError
        If x or w is not 4-D, a setting is out of range, or the kernel does not fit.

    Notes
    -----
    The book derives this in :ref:`conv-volume`.
    """
    x, w, b = _arrays(x, w, b)
    (s_h, s_w), (d_h, d_w) = as_pair(stride, "stride", 1), as_pair(dilation, "dilation", 1)
    c_out, c_in, k_h, k_w = w.shape
    (top, bottom), (left, right) = _layer_padding(padding, (k_h, k_w), (d_h, d_w))
    out_h = (x.shape[2] + top + bottom - d_h * (k_h - 1) - 1) // s_h + 1
    out_w = (x.shape[3] + left + right - d_w * (k_w - 1) - 1) // s_w + 1
    _check_fits(out_h, out_w)
    y = np.zeros((x.shape[0], c_out, out_h, out_w), dtype=np.result_type(x, w, b))
    for n, o, i, j in np.ndindex(y.shape):
        y[n, o, i, j] = b[o] + sum(
            w[o, c, u, v] * _at(x[n, c], i * s_h + u * d_h - top, j * s_w + v * d_w - left)
            for c in range(c_in) for u in range(k_h) for v in range(k_w))
    return y


def conv2d_backward(dy, x, w, stride=1, padding=0, dilation=1):
    """Gradients of a loss through ``conv2d``, each from its own formula.

    * ``db[o] = sum_n sum_i sum_j dy[n, o, i, j]``
    * ``dw[o, c, u, v] = sum_n sum_i sum_j dy[n, o, i, j]``
      ``* x[n, c, i s + u d - top, j s + v d - left]``
      (the input cross-correlated with dy)
    * ``dx[n, c, i, j] = sum_o sum_u sum_v w[o, c, u, v] * up[n, o, i + top - u d, j + left - v d]``
      where ``up`` is dy with s - 1 zeros inserted between neighbours and zero
      outside (the full convolution of the upsampled dy with the kernel).

    Parameters
    ----------
    dy : ndarray, shape (N, C_out, out_h, out_w)
        dL/dy.
    x, w, stride, padding, dilation
        As passed to ``conv2d``.

    Returns
    -------
    dx : ndarray, shape (N, C_in, H, W)
    dw : ndarray, shape (C_out, C_in, kH, kW)
    db : ndarray, shape (C_out,)

    Raises
    ------
    TypeError
        As ``conv2d``.
    ValueError
        As ``conv2d``, and if dy is not 4-D.

    Notes
    -----
    The book derives this in :ref:`bpconv-single` and :ref:`bpconv-stride`.
    """
    x, w, _ = _arrays(x, w, None)
    dy = as_array(dy, "dy", ndim=4, allow_object=True)
    (s_h, s_w), (d_h, d_w) = as_pair(stride, "stride", 1), as_pair(dilation, "dilation", 1)
    c_out, c_in, k_h, k_w = w.shape
    (top, _), (left, _) = _layer_padding(padding, (k_h, k_w), (d_h, d_w))
    n_batch, _, out_h, out_w = dy.shape
    dtype = np.result_type(dy, x, w)

    db = np.zeros(c_out, dtype=dtype)
    for o in range(c_out):
        db[o] = sum(dy[n, o, i, j] for n in range(n_batch)
                    for i in range(out_h) for j in range(out_w))

    dw = np.zeros(w.shape, dtype=dtype)
    for o, c, u, v in np.ndindex(dw.shape):
        dw[o, c, u, v] = sum(
            dy[n, o, i, j] * _at(x[n, c], i * s_h + u * d_h - top, j * s_w + v * d_w - left)
            for n in range(n_batch) for i in range(out_h) for j in range(out_w))

    dx = np.zeros(x.shape, dtype=dtype)
    for n, c, i, j in np.ndindex(dx.shape):
        dx[n, c, i, j] = sum(
            w[o, c, u, v] * _upsampled_at(dy[n, o], i + top - u * d_h, j + left - v * d_w, s_h, s_w)
            for o in range(c_out) for u in range(k_h) for v in range(k_w))
    return dx, dw, db


def conv_transpose2d(x, w, b=None, stride=1, padding=0, output_padding=0, dilation=1):
    """Transposed convolution, the adjoint of ``conv2d``, one entry at a time.

    ``y[n, o, i, j] = b[o]``
    ``+ sum_c sum_u sum_v w[c, o, u, v] * up[n, c, i + pad_h - u d, j + pad_w - v d]``

    with ``up`` the input with s - 1 zeros inserted between neighbours.

    Parameters
    ----------
    x : ndarray, shape (N, C_in, H, W)
    w : ndarray, shape (C_in, C_out, kH, kW)
    b : ndarray, shape (C_out,), optional
    stride, padding, output_padding, dilation
        As in ``cnnmath.conv.conv_transpose2d``.

    Returns
    -------
    y : ndarray, shape (N, C_out, out_h, out_w)
        ``out = (in - 1) s - 2 pad + d (k - 1) + output_padding + 1``.

    Raises
    ------
    TypeError
        If an array holds something other than numbers or SymPy expressions, or a
        setting is not an int or a pair of ints.
    ValueError
        If x or w is not 4-D or a setting is out of range.

    Notes
    -----
    The book derives this in :ref:`bpconv-transpose`.
    """
    x, w, b = _arrays(x, w, b, weight_layout="transposed")
    (s_h, s_w), (d_h, d_w) = as_pair(stride, "stride", 1), as_pair(dilation, "dilation", 1)
    pad_h, pad_w = as_pair(padding, "padding", 0)
    op_h, op_w = as_pair(output_padding, "output_padding", 0)
    c_in, c_out, k_h, k_w = w.shape
    out_h = (x.shape[2] - 1) * s_h - 2 * pad_h + d_h * (k_h - 1) + op_h + 1
    out_w = (x.shape[3] - 1) * s_w - 2 * pad_w + d_w * (k_w - 1) + op_w + 1
    y = np.zeros((x.shape[0], c_out, out_h, out_w), dtype=np.result_type(x, w, b))
    for n, o, i, j in np.ndindex(y.shape):
        y[n, o, i, j] = b[o] + sum(
            w[c, o, u, v] * _upsampled_at(x[n, c], i + pad_h - u * d_h, j + pad_w - v * d_w,
                                          s_h, s_w)
            for c in range(c_in) for u in range(k_h) for v in range(k_w))
    return y


# --- small helpers --------------------------------------------------------------------

def _at(image, r, c):
    """``image[r, c]``, or 0 outside the image: zero padding, read on demand."""
    height, width = image.shape
    return image[r, c] if 0 <= r < height and 0 <= c < width else 0


def _upsampled_at(image, r, c, s_h, s_w):
    """Entry (r, c) of ``image`` with s - 1 zeros inserted between neighbours."""
    if r % s_h or c % s_w:
        return 0
    return _at(image, r // s_h, c // s_w)


def _check_fits(out_h, out_w):
    if out_h < 1 or out_w < 1:
        raise ValueError(
            f"the kernel does not fit in the padded input (output would be {out_h} x {out_w})")


def _mode_padding(k, mode):
    """(before, after) zero padding of the modes 'valid', 'same' and 'full'."""
    check_choice(mode, "mode", ("valid", "same", "full"))
    total = {"valid": 0, "same": k - 1, "full": 2 * (k - 1)}[mode]
    before = k - 1 if mode == "full" else total // 2
    return before, total - before


def _layer_padding(padding, kernel_size, dilation):
    """((top, bottom), (left, right)) for an int, a pair or a mode word."""
    if isinstance(padding, str):
        check_choice(padding, "padding", ("valid", "same", "full"))
        return tuple(_mode_padding(d * (k - 1) + 1, padding)
                     for k, d in zip(kernel_size, dilation))
    p_h, p_w = as_pair(padding, "padding", 0)
    return (p_h, p_h), (p_w, p_w)


def _arrays(x, w, b, weight_layout="conv"):
    """Check ranks; a missing bias becomes zeros of the output-channel count."""
    x = as_array(x, "x", ndim=4, allow_object=True)
    w = as_array(w, "w", ndim=4, allow_object=True)
    c_out = w.shape[0] if weight_layout == "conv" else w.shape[1]
    b = np.zeros(c_out, dtype=w.dtype) if b is None else as_array(b, "b", ndim=1, allow_object=True)
    return x, w, b
