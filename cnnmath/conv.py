"""Convolution, vectorised: im2col windows and one tensor contraction.

``conv2d`` views every kernel-sized window of the padded input at once
(``im2col``, a strided view, no copy) and contracts the windows with the
weights in a single ``np.tensordot``. Its backward pass and the transposed
convolution run the same matrix view in reverse: one contraction produces a
kernel-sized patch for every output position, and ``col2im`` adds each patch
back where its window came from (a loop over the kH * kW kernel offsets, never
over pixels). At stride 1 a faster layout takes over (the private module
``cnnmath._conv_flat``, chapter "Making it fast").

Conventions follow ``torch.nn.functional``: images are NCHW, ``conv2d``
weights are (C_out, C_in, kH, kW), ``conv_transpose2d`` weights are
(C_in, C_out, kH, kW), and "convolution" in a layer means cross-correlation.
Results are float64 unless every input is float32. Object arrays of SymPy
expressions work too; the book uses them to prove the gradients exactly.
The loop versions in ``cnnmath.reference.conv`` are the tests' oracle.
"""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import _conv_flat
from ._validation import as_array, as_pair, check_choice, check_upstream
from .shapes import conv_output_size, conv_transpose_output_size, same_padding

__all__ = ["correlate2d", "convolve2d", "correlate2d_fft", "conv2d", "conv2d_backward",
           "conv2d_backward_weight", "conv_transpose2d", "im2col", "col2im"]

_MODES = ("valid", "same", "full")


def correlate2d(image, kernel, mode="valid"):
    """Cross-correlate a 2-D image with a 2-D kernel.

    ``G[m, n] = sum_j sum_k kernel[j, k] * image[m + j - top, n + k - left]``,
    entries outside the image being zero.

    Parameters
    ----------
    image : ndarray, shape (H, W)
    kernel : ndarray, shape (kH, kW)
    mode : {'valid', 'same', 'full'}
        'valid' keeps the windows that lie inside the image, output
        (H - kH + 1, W - kW + 1). 'same' pads k - 1 zeros in total so the output
        is (H, W); when k - 1 is odd the extra row/column goes at the bottom/right
        (PyTorch's choice; ``scipy.signal`` puts it at the top/left).
        'full' pads k - 1 on every side, output (H + kH - 1, W + kW - 1).

    Returns
    -------
    ndarray
        The correlation, of the shape that ``mode`` gives.

    Raises
    ------
    TypeError
        If image or kernel is not an array of real numbers (or SymPy expressions).
    ValueError
        If image or kernel is not 2-D, mode is unknown, or with mode 'valid' the
        kernel is larger than the image.

    Notes
    -----
    The book derives this in :ref:`conv-correlation`.
    """
    image, kernel = _two_dimensional(image, kernel, mode, allow_object=True)
    return conv2d(image[None, None], kernel[None, None], padding=mode)[0, 0]


def convolve2d(image, kernel, mode="valid"):
    """Convolve a 2-D image with a 2-D kernel: correlate with the kernel rotated 180 degrees.

    ``G[m, n] = sum_j sum_k kernel[j, k] * image[m - j + off_h, n - k + off_w]``, and
    ``convolve2d(f, h, mode) == correlate2d(f, h[::-1, ::-1], mode)`` in every mode.

    Parameters
    ----------
    image : ndarray, shape (H, W)
    kernel : ndarray, shape (kH, kW)
    mode : {'valid', 'same', 'full'}
        As in ``correlate2d``.

    Returns
    -------
    ndarray
        The convolution, of the shape that ``mode`` gives.

    Raises
    ------
    TypeError
        If image or kernel is not an array of real numbers (or SymPy expressions).
    ValueError
        If image or kernel is not 2-D, mode is unknown, or with mode 'valid' the
        kernel is larger than the image.

    Notes
    -----
    The book derives this in :ref:`conv-discrete`.
    """
    kernel = as_array(kernel, "kernel", ndim=2, allow_object=True)
    return correlate2d(image, kernel[::-1, ::-1], mode)


def correlate2d_fft(image, kernel, mode="valid"):
    """``correlate2d`` computed through the Fourier transform.

    Correlating with h is convolving with h rotated 180 degrees, and a
    convolution is a product of spectra: both arrays are zero-padded to the full
    size (H + kH - 1, W + kW - 1), so the FFT's circular convolution equals
    the linear one, and the requested part is cut out. It costs
    O(H W log(H W)) whatever the kernel's size, against O(H W kH kW) for the
    direct sum, so it wins for large kernels.

    Parameters
    ----------
    image : ndarray, shape (H, W)
    kernel : ndarray, shape (kH, kW)
    mode : {'valid', 'same', 'full'}
        As in ``correlate2d``.

    Returns
    -------
    ndarray
        ``correlate2d(image, kernel, mode)`` up to rounding; float32 if both
        inputs are float32.

    Raises
    ------
    TypeError
        If image or kernel is not an array of real numbers (SymPy arrays are refused).
    ValueError
        If image or kernel is not 2-D, mode is unknown, or with mode 'valid' the
        kernel is larger than the image.

    Notes
    -----
    The book derives this in :ref:`fast-fft`.
    """
    image, kernel = _two_dimensional(image, kernel, mode, allow_object=False)
    (h, w), (k_h, k_w) = image.shape, kernel.shape
    full = (h + k_h - 1, w + k_w - 1)
    spectrum = np.fft.rfft2(image, full) * np.fft.rfft2(kernel[::-1, ::-1], full)
    result = np.fft.irfft2(spectrum, full).astype(np.result_type(image, kernel), copy=False)
    # full[m, n] is the correlation at shift (m - kH + 1, n - kW + 1)
    if mode == "full":
        return result
    if mode == "valid":
        return result[k_h - 1:h, k_w - 1:w]
    top, left = same_padding(k_h)[0], same_padding(k_w)[0]
    return result[k_h - 1 - top:k_h - 1 - top + h, k_w - 1 - left:k_w - 1 - left + w]


def conv2d(x, w, b=None, stride=1, padding=0, dilation=1):
    """2-D convolution layer (cross-correlation), as ``torch.nn.functional.conv2d``.

    ``y[n, o, i, j] = b[o] + sum_{c, u, v} w[o, c, u, v] * x_pad[n, c, i s + u d, j s + v d]``

    Parameters
    ----------
    x : ndarray, shape (N, C_in, H, W)
    w : ndarray, shape (C_out, C_in, kH, kW)
    b : ndarray, shape (C_out,), optional
    stride, dilation : int or pair of int, each >= 1
    padding : int or pair of int >= 0, or 'valid', 'same', 'full'
        'valid' is 0; 'same' (stride 1 only) pads d (k - 1) in total so the
        output keeps the input's size, an odd total putting the extra row/column
        at the bottom/right; 'full' pads d (k - 1) on every side.

    Returns
    -------
    y : ndarray, shape (N, C_out, out_h, out_w)
        ``out = (H + pad_before + pad_after - d (k - 1) - 1) // s + 1``.

    Raises
    ------
    TypeError
        If an array holds something other than real numbers (or SymPy expressions),
        or stride, padding or dilation is not an int or a pair of ints (or a padding word).
    ValueError
        If x or w is not 4-D, the channels disagree, b does not have C_out entries,
        stride or dilation is below 1, padding is negative or an unknown word,
        'same' comes with a stride above 1, or the dilated kernel does not fit in
        the padded input.

    Notes
    -----
    The book derives this in :ref:`conv-volume`.
    """
    g = _Geometry(x, w, stride, padding, dilation)
    b = _check_bias(b, g.c_out)
    if _conv_flat.use_flat(g, *([] if b is None else [b])):
        return _conv_flat.conv2d_flat(g, b)
    windows = im2col(_pad(g.x, g.pads), g.kernel_size, g.stride, g.dilation)
    y = np.tensordot(windows, g.w, axes=([1, 4, 5], [1, 2, 3]))   # (N, out_h, out_w, C_out)
    if b is not None:
        y = y + b
    return np.ascontiguousarray(y.transpose(0, 3, 1, 2))


def conv2d_backward(dy, x, w, stride=1, padding=0, dilation=1):
    """Gradients of a loss L through ``conv2d``.

    Parameters
    ----------
    dy : ndarray, shape (N, C_out, out_h, out_w)
        dL/dy, the gradient arriving from the layer above.
    x, w, stride, padding, dilation
        Exactly as passed to ``conv2d``.

    Returns
    -------
    dx : ndarray, shape (N, C_in, H, W)
        The full convolution of dy (upsampled by the stride) with the kernel,
        computed as col2im of ``w^T dy``.
    dw : ndarray, shape (C_out, C_in, kH, kW)
        The padded input cross-correlated with dy.
    db : ndarray, shape (C_out,)
        dy summed over batch and positions.

    Raises
    ------
    TypeError
        As ``conv2d``, and if dy is not an array of real numbers.
    ValueError
        As ``conv2d``, and if dy does not have the shape of ``conv2d``'s output.

    Notes
    -----
    The book derives this in :ref:`bpconv-multi` (one channel in :ref:`bpconv-single`,
    stride and dilation in :ref:`bpconv-stride`).
    """
    g, dy = _backward_arguments(dy, x, w, stride, padding, dilation)
    return _conv2d_backward(g, dy)


def conv2d_backward_weight(dy, x, w, stride=1, padding=0, dilation=1):
    """Only the parameter gradients ``(dw, db)`` of ``conv2d_backward``.

    For a first layer, whose input is the data: nothing needs dx there, and its
    col2im over the whole batch is a large share of the layer's backward pass
    (PyTorch skips it too, for inputs that do not require a gradient).

    Parameters
    ----------
    dy : ndarray, shape (N, C_out, out_h, out_w)
    x, w, stride, padding, dilation
        Exactly as passed to ``conv2d``.

    Returns
    -------
    dw : ndarray, shape (C_out, C_in, kH, kW)
    db : ndarray, shape (C_out,)

    Raises
    ------
    TypeError
        As ``conv2d_backward``.
    ValueError
        As ``conv2d_backward``.

    Notes
    -----
    The book derives this in :ref:`bpconv-multi`.
    """
    g, dy = _backward_arguments(dy, x, w, stride, padding, dilation)
    return _conv2d_backward(g, dy, input_grad=False)[1:]


def conv_transpose2d(x, w, b=None, stride=1, padding=0, output_padding=0, dilation=1):
    """Transposed convolution, the adjoint of ``conv2d``.

    As ``torch.nn.functional.conv_transpose2d``. Each input pixel stamps a
    copy of the kernel, scaled by its value, onto the output at stride ``s``;
    overlapping stamps add up. For any x, y of matching shapes,
    ``<conv2d(x, w), y> == <x, conv_transpose2d(y, w)>``.

    Parameters
    ----------
    x : ndarray, shape (N, C_in, H, W)
    w : ndarray, shape (C_in, C_out, kH, kW)
        The same array a ``conv2d`` from C_out to C_in channels would use.
    b : ndarray, shape (C_out,), optional
    stride, dilation : int or pair of int, each >= 1
    padding : int or pair of int >= 0
        Rows/columns removed from each border of the full result.
    output_padding : int or pair of int >= 0
        Extra rows/columns at the bottom/right, to pick among the input sizes
        that a strided ``conv2d`` maps to the same output size; must be smaller
        than the stride or the dilation.

    Returns
    -------
    y : ndarray, shape (N, C_out, out_h, out_w)
        ``out = (in - 1) s - 2 pad + d (k - 1) + output_padding + 1``, as
        ``conv_transpose_output_size`` counts it.

    Raises
    ------
    TypeError
        If an array holds something other than real numbers (or SymPy expressions),
        or stride, padding, output_padding or dilation is not an int or a pair of ints.
    ValueError
        If x or w is not 4-D, w's first axis is not x's channel count, b does not
        have C_out entries, stride or dilation is below 1, padding or output_padding
        is negative, output_padding is not smaller than stride or dilation, or the
        padding removes the whole output.

    Notes
    -----
    The book derives this in :ref:`bpconv-transpose` (its size in :ref:`size-transposed`).
    """
    x = as_array(x, "x", ndim=4, allow_object=True)
    w = as_array(w, "w", ndim=4, allow_object=True)
    if x.shape[1] != w.shape[0]:
        raise ValueError(
            f"w must have x's {x.shape[1]} channels in its first dimension "
            f"(layout (C_in, C_out, kH, kW)), got w of shape {w.shape}")
    _check_kernel(w)
    s, d = as_pair(stride, "stride", 1), as_pair(dilation, "dilation", 1)
    pad, out_pad = as_pair(padding, "padding", 0), as_pair(output_padding, "output_padding", 0)
    out = tuple(conv_transpose_output_size(x.shape[2 + a], w.shape[2 + a], s[a], pad[a],
                                           out_pad[a], d[a]) for a in range(2))
    b = _check_bias(b, w.shape[1])

    patches = np.tensordot(x, w, axes=([1], [0]))                 # (N, H, W, C_out, kH, kW)
    full = (out[0] + 2 * pad[0], out[1] + 2 * pad[1])
    y = col2im(patches, full, s, d)[:, :, pad[0]:pad[0] + out[0], pad[1]:pad[1] + out[1]]
    if b is not None:
        y = y + b[:, None, None]
    return np.ascontiguousarray(y)


def im2col(x_pad, kernel_size, stride, dilation):
    """Every window of ``x_pad`` that the kernel reads, as a strided view (no copy).

    ``windows[n, c, i, j, u, v] = x_pad[n, c, i s + u d, j s + v d]``.
    Transposed to (N, out_h, out_w, C, kH, kW) and reshaped to
    (N out_h out_w, C kH kW) it is the im2col matrix: one row per window.

    Parameters
    ----------
    x_pad : ndarray, shape (N, C, H, W)
        The input, already padded.
    kernel_size, stride, dilation : int or pair of int, each >= 1

    Returns
    -------
    windows : ndarray, shape (N, C, out_h, out_w, kH, kW)
        A read-only view of ``x_pad``.

    Raises
    ------
    TypeError
        If x_pad is not an array of real numbers (or SymPy expressions), or a
        size is not an int or a pair of ints.
    ValueError
        If x_pad is not 4-D, a size is below 1, or the dilated kernel is larger
        than x_pad.

    Notes
    -----
    The book derives this in :ref:`bpconv-im2col` and times it in :ref:`fast-im2col`.
    """
    x_pad = as_array(x_pad, "x_pad", ndim=4, allow_object=True)
    kernel_size = as_pair(kernel_size, "kernel_size", 1)
    (s_h, s_w), (d_h, d_w) = as_pair(stride, "stride", 1), as_pair(dilation, "dilation", 1)
    spans = _check_kernel_fits("kernel_size", kernel_size, (d_h, d_w), x_pad.shape[2:],
                               f"x_pad of shape {x_pad.shape}")
    windows = sliding_window_view(x_pad, spans, axis=(2, 3))
    return windows[:, :, ::s_h, ::s_w, ::d_h, ::d_w]


def col2im(patches, size, stride, dilation):
    """The transpose of ``im2col``: add every patch back onto its window.

    The result holds, at each pixel, the sum of the patch entries whose window
    covered it. The loop runs over the kH * kW kernel offsets; each step adds one
    tap of every patch at once.

    Parameters
    ----------
    patches : ndarray, shape (N, out_h, out_w, C, kH, kW)
        One kernel-sized patch per window.
    size : int or pair of int
        (H, W) of the padded image the windows came from.
    stride, dilation : int or pair of int, each >= 1

    Returns
    -------
    image : ndarray, shape (N, C, H, W)

    Raises
    ------
    TypeError
        If patches is not an array of real numbers (or SymPy expressions), or a
        size is not an int or a pair of ints.
    ValueError
        If patches is not 6-D, a size is below 1, or the windows reach beyond ``size``.

    Notes
    -----
    The book derives this in :ref:`bpconv-im2col`.
    """
    patches = as_array(patches, "patches", ndim=6, allow_object=True)
    size = as_pair(size, "size", 1)
    (s_h, s_w), (d_h, d_w) = as_pair(stride, "stride", 1), as_pair(dilation, "dilation", 1)
    n_batch, out_h, out_w, channels, k_h, k_w = patches.shape
    reach = ((out_h - 1) * s_h + d_h * (k_h - 1) + 1, (out_w - 1) * s_w + d_w * (k_w - 1) + 1)
    if reach[0] > size[0] or reach[1] > size[1]:
        raise ValueError(f"size must hold every window of patches of shape {patches.shape} "
                         f"(at least {reach}), got {size}")
    image = np.zeros((n_batch, channels) + size, dtype=patches.dtype)
    rows_span, cols_span = (out_h - 1) * s_h + 1, (out_w - 1) * s_w + 1
    for u in range(k_h):
        for v in range(k_w):
            image[:, :, u * d_h:u * d_h + rows_span:s_h, v * d_w:v * d_w + cols_span:s_w] += (
                patches[:, :, :, :, u, v].transpose(0, 3, 1, 2))
    return image


# --- private helpers ------------------------------------------------------------------

class _Geometry:
    """The checked arguments of a conv2d call, with its padding resolved to four numbers.

    ``out_size`` is (out_h, out_w); the fast path reads the other fields.
    """

    def __init__(self, x, w, stride, padding, dilation):
        self.x = as_array(x, "x", ndim=4, allow_object=True)
        self.w = as_array(w, "w", ndim=4, allow_object=True)
        _check_kernel(self.w)
        self.c_out, c_in, k_h, k_w = self.w.shape
        if self.x.shape[1] != c_in:
            raise ValueError(
                f"x has {self.x.shape[1]} channels (shape {self.x.shape}) but w expects "
                f"{c_in} input channels (shape {self.w.shape}, layout (C_out, C_in, kH, kW))")
        self.kernel_size = (k_h, k_w)
        self.stride = as_pair(stride, "stride", 1)
        self.dilation = as_pair(dilation, "dilation", 1)
        self.pads = _resolve_padding(padding, self.kernel_size, self.stride, self.dilation)
        padded = tuple(self.x.shape[2 + a] + sum(self.pads[a]) for a in range(2))
        _check_kernel_fits("w's kernel", self.kernel_size, self.dilation, padded,
                           f"x of shape {self.x.shape}, padding {padding!r}")
        # conv_output_size counts a symmetric padding p; padding (before, after) gives the
        # count of an input longer by after - before, padded by before on both sides.
        self.out_size = tuple(
            conv_output_size(self.x.shape[2 + a] + after - before, self.kernel_size[a],
                             self.stride[a], before, self.dilation[a])
            for a, (before, after) in enumerate(self.pads))


def _resolve_padding(padding, kernel_size, stride, dilation):
    """((top, bottom), (left, right)) from an int, a pair, or 'valid'/'same'/'full'.

    ``kernel_size``, ``stride`` and ``dilation`` are checked pairs. The one place that
    knows padding='same' needs stride 1 (``nn.Conv2d`` asks it when it is built).
    """
    if not isinstance(padding, str):
        p_h, p_w = as_pair(padding, "padding", 0)
        return (p_h, p_h), (p_w, p_w)
    check_choice(padding, "padding", _MODES)
    if padding == "same" and stride != (1, 1):
        raise ValueError(f"padding='same' needs stride 1, got stride {stride}")
    if padding == "same":
        return tuple(same_padding(k, d) for k, d in zip(kernel_size, dilation))
    reach = [0 if padding == "valid" else d * (k - 1) for k, d in zip(kernel_size, dilation)]
    return tuple((r, r) for r in reach)


def _two_dimensional(image, kernel, mode, allow_object):
    """The checked arrays of a correlate2d-style call on one 2-D image and a 2-D kernel."""
    image = as_array(image, "image", ndim=2, allow_object=allow_object)
    kernel = as_array(kernel, "kernel", ndim=2, allow_object=allow_object)
    check_choice(mode, "mode", _MODES)
    pads = _resolve_padding(mode, kernel.shape, (1, 1), (1, 1))
    padded = tuple(image.shape[a] + sum(pads[a]) for a in range(2))
    _check_kernel_fits("kernel", kernel.shape, (1, 1), padded,
                       f"kernel of shape {kernel.shape}, image of shape {image.shape}, "
                       f"mode={mode!r}; use 'same' or 'full' to pad")
    return image, kernel


def _check_kernel_fits(what, kernel_size, dilation, padded, context):
    """Require the dilated kernel to fit in the padded input; return its (height, width) span.

    ``what`` names the kernel in the message, ``context`` the arrays and padding.
    """
    spans = tuple(d * (k - 1) + 1 for k, d in zip(kernel_size, dilation))
    for axis, name in enumerate(("height", "width")):
        if spans[axis] > padded[axis]:
            raise ValueError(
                f"{what} does not fit: its {name} spans {spans[axis]} pixels (k = "
                f"{kernel_size[axis]}, dilation {dilation[axis]}) but the padded input's "
                f"{name} is {padded[axis]} ({context})")
    return spans


def _check_kernel(w):
    """Require at least one entry along every axis of the weights."""
    if min(w.shape) < 1:
        raise ValueError(f"w must have at least one entry along every axis, got shape {w.shape}")


def _check_bias(b, c_out):
    """None, or b as a 1-D array with one entry per output channel."""
    if b is None:
        return None
    b = as_array(b, "b", ndim=1, allow_object=True)
    if b.shape[0] != c_out:
        raise ValueError(f"b must have one entry per output channel ({c_out}), got shape {b.shape}")
    return b


def _backward_arguments(dy, x, w, stride, padding, dilation):
    """The checked geometry of the forward call, and dy checked against its output shape."""
    g = _Geometry(x, w, stride, padding, dilation)
    dy = check_upstream(dy, (g.x.shape[0], g.c_out) + g.out_size, "conv2d", allow_object=True)
    return g, dy


def _conv2d_backward(g, dy, input_grad=True):
    """(dx, dw, db) of the conv2d call with checked arguments ``g``; dx is None unless
    ``input_grad``."""
    if _conv_flat.use_flat(g, dy):
        return _conv_flat.conv2d_backward_flat(g, dy, input_grad)
    x_pad = _pad(g.x, g.pads)
    windows = im2col(x_pad, g.kernel_size, g.stride, g.dilation)
    db = dy.sum(axis=(0, 2, 3))
    dw = np.tensordot(dy, windows, axes=([0, 2, 3], [0, 2, 3]))    # (C_out, C_in, kH, kW)
    if not input_grad:
        return None, dw, db
    patches = np.tensordot(dy, g.w, axes=([1], [0]))              # (N, out_h, out_w, C_in, kH, kW)
    dx_pad = col2im(patches, x_pad.shape[2:], g.stride, g.dilation)
    (top, _), (left, _) = g.pads
    dx = dx_pad[:, :, top:top + g.x.shape[2], left:left + g.x.shape[3]]
    return np.ascontiguousarray(dx), dw, db


def _pad(x, pads):
    """Zero-pad the last two axes by ((top, bottom), (left, right)).

    Built by hand rather than with ``np.pad`` so object arrays get plain 0s.
    """
    (top, bottom), (left, right) = pads
    n_batch, channels, height, width = x.shape
    out = np.zeros((n_batch, channels, height + top + bottom, width + left + right), dtype=x.dtype)
    out[:, :, top:top + height, left:left + width] = x
    return out
