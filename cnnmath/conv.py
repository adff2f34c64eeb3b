"""Convolution, vectorised: im2col windows and one tensor contraction.

``conv2d`` views every kernel-sized window of the padded input at once
(``im2col``, a strided view, no copy) and contracts the windows with the
weights in a single ``np.tensordot``. Its backward pass and the transposed
convolution run the same matrix view in reverse: one contraction produces a
kernel-sized patch for every output position, and ``col2im`` adds each patch
back where its window came from (a loop over the kH * kW kernel offsets, never
over pixels).

Conventions follow ``torch.nn.functional``: images are NCHW, ``conv2d``
weights are (C_out, C_in, kH, kW), ``conv_transpose2d`` weights are
(C_in, C_out, kH, kW), and "convolution" in a layer means cross-correlation.
Results are float64 unless every input is float32. Object arrays of SymPy
expressions work too; the book uses them to prove the gradients exactly.
The loop versions in :mod:`cnnmath.reference.conv` are the tests' oracle.
"""

import math
import threading
from collections import namedtuple

import numpy as np
from numpy.lib.stride_tricks import as_strided, sliding_window_view

from ._validation import as_array, as_pair, check_choice

__all__ = ["correlate2d", "correlate2d_fft", "convolve2d", "conv2d", "conv2d_backward",
           "conv2d_backward_weight", "conv_transpose2d"]

_MODES = ("valid", "same", "full")


def correlate2d(image, kernel, mode="valid"):
    """Cross-correlate a 2-D image with a 2-D kernel.

    ``G[m, n] = sum_j sum_k kernel[j, k] * image[m + j - top, n + k - left]``,
    entries outside the image being zero.

    Parameters
    ----------
    image : array (H, W)
    kernel : array (kH, kW)
    mode : {'valid', 'same', 'full'}
        'valid' keeps the windows that lie inside the image, output
        (H - kH + 1, W - kW + 1). 'same' pads k - 1 zeros in total so the output
        is (H, W); when k - 1 is odd the extra row/column goes at the bottom/right
        (PyTorch's choice; ``scipy.signal`` puts it at the top/left).
        'full' pads k - 1 on every side, output (H + kH - 1, W + kW - 1).

    Returns
    -------
    array, shape given by ``mode``.
    """
    image = as_array(image, "image", ndim=2, allow_object=True)
    kernel = as_array(kernel, "kernel", ndim=2, allow_object=True)
    check_choice(mode, "mode", _MODES)
    if mode == "valid" and (kernel.shape[0] > image.shape[0] or kernel.shape[1] > image.shape[1]):
        raise ValueError(f"kernel of shape {kernel.shape} does not fit in image of shape "
                         f"{image.shape} with mode='valid'; use 'same' or 'full' to pad")
    return conv2d(image[None, None], kernel[None, None], padding=mode)[0, 0]


def convolve2d(image, kernel, mode="valid"):
    """Convolve a 2-D image with a 2-D kernel: correlate with the kernel rotated 180 degrees.

    ``G[m, n] = sum_j sum_k kernel[j, k] * image[m - j + off_h, n - k + off_w]``;
    shapes and modes exactly as in :func:`correlate2d`, and
    ``convolve2d(f, h, mode) == correlate2d(f, h[::-1, ::-1], mode)`` in every mode.
    """
    kernel = as_array(kernel, "kernel", ndim=2, allow_object=True)
    return correlate2d(image, kernel[::-1, ::-1], mode)


def correlate2d_fft(image, kernel, mode="valid"):
    """:func:`correlate2d` computed through the Fourier transform.

    Same arguments, shapes and result (up to rounding) as :func:`correlate2d`.
    Correlating with h is convolving with h rotated 180 degrees, and a
    convolution is a product of spectra: both arrays are zero-padded to the full
    size (H + kH - 1, W + kW - 1), so the FFT's circular convolution equals
    the linear one, and the requested part is cut out. It costs
    O(H W log(H W)) whatever the kernel's size, against O(H W kH kW) for the
    direct sum, so it wins for large kernels.
    """
    image = as_array(image, "image", ndim=2)
    kernel = as_array(kernel, "kernel", ndim=2)
    check_choice(mode, "mode", _MODES)
    (h, w), (k_h, k_w) = image.shape, kernel.shape
    if mode == "valid" and (k_h > h or k_w > w):
        raise ValueError(f"kernel of shape {kernel.shape} does not fit in image of shape "
                         f"{image.shape} with mode='valid'; use 'same' or 'full' to pad")
    full = (h + k_h - 1, w + k_w - 1)
    spectrum = np.fft.rfft2(image, full) * np.fft.rfft2(kernel[::-1, ::-1], full)
    result = np.fft.irfft2(spectrum, full).astype(np.result_type(image, kernel), copy=False)
    # full[m, n] is the correlation at shift (m - kH + 1, n - kW + 1)
    if mode == "full":
        return result
    if mode == "valid":
        return result[k_h - 1:h, k_w - 1:w]
    top, left = (k_h - 1) // 2, (k_w - 1) // 2
    return result[k_h - 1 - top:k_h - 1 - top + h, k_w - 1 - left:k_w - 1 - left + w]


def conv2d(x, w, b=None, stride=1, padding=0, dilation=1):
    """2-D convolution layer (cross-correlation), as ``torch.nn.functional.conv2d``.

    ``y[n, o, i, j] = b[o] + sum_{c, u, v} w[o, c, u, v] * x_pad[n, c, i s + u d, j s + v d]``

    Parameters
    ----------
    x : array (N, C_in, H, W)
    w : array (C_out, C_in, kH, kW)
    b : array (C_out,), optional
    stride, dilation : int or (int, int), each >= 1
    padding : int or (int, int) >= 0, or 'valid', 'same', 'full'
        'valid' is 0; 'same' (stride 1 only) pads d (k - 1) in total so the
        output keeps the input's size, an odd total putting the extra row/column
        at the bottom/right; 'full' pads d (k - 1) on every side.

    Returns
    -------
    y : array (N, C_out, out_h, out_w),
        ``out = (H + pad_before + pad_after - d (k - 1) - 1) // s + 1``.
    """
    g = _Geometry(x, w, stride, padding, dilation)
    b = _check_bias(b, g.c_out)
    if _use_flat(g, *([] if b is None else [b])):
        return _conv2d_flat(g, b)
    windows = im2col(_pad(g.x, g.pads), g.kernel_size, g.stride, g.dilation)
    y = np.tensordot(windows, g.w, axes=([1, 4, 5], [1, 2, 3]))   # (N, out_h, out_w, C_out)
    if b is not None:
        y = y + b
    return np.ascontiguousarray(y.transpose(0, 3, 1, 2))


def conv2d_backward(dy, x, w, stride=1, padding=0, dilation=1):
    """Gradients of a loss L through :func:`conv2d`.

    Parameters
    ----------
    dy : array (N, C_out, out_h, out_w)
        dL/dy, the gradient arriving from the layer above.
    x, w, stride, padding, dilation
        Exactly as passed to :func:`conv2d`.

    Returns
    -------
    dx : array (N, C_in, H, W)
        The full convolution of dy (upsampled by the stride) with the kernel,
        computed as col2im of ``w^T dy``.
    dw : array (C_out, C_in, kH, kW)
        The padded input cross-correlated with dy.
    db : array (C_out,)
        dy summed over batch and positions.
    """
    g, dy = _backward_arguments(dy, x, w, stride, padding, dilation)
    return _conv2d_backward(g, dy)


def conv2d_backward_weight(dy, x, w, stride=1, padding=0, dilation=1):
    """Only the parameter gradients ``(dw, db)`` of :func:`conv2d_backward`.

    For a first layer, whose input is the data: nothing needs dx there, and its
    col2im over the whole batch is a large share of the layer's backward pass
    (PyTorch skips it too, for inputs that do not require a gradient).
    Arguments and results as in :func:`conv2d_backward`.
    """
    g, dy = _backward_arguments(dy, x, w, stride, padding, dilation)
    return _conv2d_backward(g, dy, input_grad=False)[1:]


def _backward_arguments(dy, x, w, stride, padding, dilation):
    """The checked geometry of the forward call, and dy checked against its output shape."""
    g = _Geometry(x, w, stride, padding, dilation)
    dy = as_array(dy, "dy", ndim=4, allow_object=True)
    expected = (g.x.shape[0], g.c_out) + _output_size(g)
    if dy.shape != expected:
        raise ValueError(f"dy must have the shape of conv2d's output {expected}, got {dy.shape}")
    return g, dy


def _conv2d_backward(g, dy, input_grad=True):
    """(dx, dw, db) of the conv2d call with checked arguments ``g``; dx is None unless
    ``input_grad``."""
    if _use_flat(g, dy):
        return _conv2d_backward_flat(g, dy, input_grad)
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


def conv_transpose2d(x, w, b=None, stride=1, padding=0, output_padding=0, dilation=1):
    """Transposed convolution, the adjoint of :func:`conv2d`.

    As ``torch.nn.functional.conv_transpose2d``. Each input pixel stamps a
    copy of the kernel, scaled by its value, onto the output at stride ``s``;
    overlapping stamps add up. For any x, y of matching shapes,
    ``<conv2d(x, w), y> == <x, conv_transpose2d(y, w)>``.

    Parameters
    ----------
    x : array (N, C_in, H, W)
    w : array (C_in, C_out, kH, kW)
        The same array a ``conv2d`` from C_out to C_in channels would use.
    b : array (C_out,), optional
    stride, dilation : int or (int, int), each >= 1
    padding : int or (int, int) >= 0
        Rows/columns removed from each border of the full result.
    output_padding : int or (int, int) >= 0
        Extra rows/columns at the bottom/right, to pick among the input sizes
        that a strided ``conv2d`` maps to the same output size; must be smaller
        than the stride or the dilation.

    Returns
    -------
    y : array (N, C_out, out_h, out_w),
        ``out = (in - 1) s - 2 pad + d (k - 1) + output_padding + 1``.
    """
    x = as_array(x, "x", ndim=4, allow_object=True)
    w = as_array(w, "w", ndim=4, allow_object=True)
    if x.shape[1] != w.shape[0]:
        raise ValueError(
            f"w must have x's {x.shape[1]} channels in its first dimension "
            f"(layout (C_in, C_out, kH, kW)), got w of shape {w.shape}")
    _check_kernel(w)
    s, d = as_pair(stride, "stride", 1), as_pair(dilation, "dilation", 1)
    if isinstance(padding, str):
        raise TypeError(
            f"padding of conv_transpose2d must be an int or a pair of ints, got {padding!r}")
    pad, out_pad = as_pair(padding, "padding", 0), as_pair(output_padding, "output_padding", 0)
    for axis in range(2):
        if out_pad[axis] >= s[axis] and out_pad[axis] >= d[axis]:
            raise ValueError(
                f"output_padding must be smaller than stride or dilation, got output_padding "
                f"{out_pad} with stride {s} and dilation {d}")
    k = w.shape[2:]
    full = tuple((x.shape[2 + a] - 1) * s[a] + d[a] * (k[a] - 1) + 1 + out_pad[a] for a in range(2))
    out = tuple(full[a] - 2 * pad[a] for a in range(2))
    if min(out) < 1:
        raise ValueError(
            f"padding {pad} removes the whole output: (in - 1) s - 2 pad + d (k - 1) + "
            f"output_padding + 1 gives {out} for x of shape {x.shape} and w of shape {w.shape}")
    b = _check_bias(b, w.shape[1])

    patches = np.tensordot(x, w, axes=([1], [0]))                 # (N, H, W, C_out, kH, kW)
    y = col2im(patches, full, s, d)[:, :, pad[0]:pad[0] + out[0], pad[1]:pad[1] + out[1]]
    if b is not None:
        y = y + b[:, None, None]
    return np.ascontiguousarray(y)


# --- the matrix view -----------------------------------------------------------

def im2col(x_pad, kernel_size, stride, dilation):
    """Every window of ``x_pad`` that the kernel reads, as a strided view (no copy).

    ``x_pad`` is an already padded (N, C, H, W) array; ``kernel_size``,
    ``stride`` and ``dilation`` are pairs of ints (not checked: this is the
    building block that :func:`conv2d` calls after checking its arguments).
    Returns ``windows`` of shape (N, C, out_h, out_w, kH, kW) with
    ``windows[n, c, i, j, u, v] = x_pad[n, c, i s + u d, j s + v d]``.
    Transposed to (N, out_h, out_w, C, kH, kW) and reshaped to
    (N out_h out_w, C kH kW) it is the im2col matrix: one row per window.
    """
    (k_h, k_w), (s_h, s_w), (d_h, d_w) = kernel_size, stride, dilation
    span = (d_h * (k_h - 1) + 1, d_w * (k_w - 1) + 1)
    windows = sliding_window_view(x_pad, span, axis=(2, 3))
    return windows[:, :, ::s_h, ::s_w, ::d_h, ::d_w]


def col2im(patches, size, stride, dilation):
    """The transpose of :func:`im2col`: add every patch back onto its window.

    ``patches`` has shape (N, out_h, out_w, C, kH, kW), one kernel-sized patch
    per window; ``size`` is the (H, W) of the padded image the windows came
    from. The result (N, C, H, W) holds, at each pixel, the sum of the patch
    entries whose window covered it. The loop runs over the kH * kW kernel
    offsets; each step adds one tap of every patch at once.
    """
    n_batch, out_h, out_w, channels, k_h, k_w = patches.shape
    (s_h, s_w), (d_h, d_w) = stride, dilation
    image = np.zeros((n_batch, channels) + tuple(size), dtype=patches.dtype)
    rows_span, cols_span = (out_h - 1) * s_h + 1, (out_w - 1) * s_w + 1
    for u in range(k_h):
        for v in range(k_w):
            image[:, :, u * d_h:u * d_h + rows_span:s_h, v * d_w:v * d_w + cols_span:s_w] += (
                patches[:, :, :, :, u, v].transpose(0, 3, 1, 2))
    return image


# --- the fast path: each channel's images laid end to end ------------------------
#
# For stride 1 the windows of a padded image follow one pattern of offsets: with the
# image stored row after row, kernel tap (u, v) of the window whose top-left pixel sits
# at flat position q reads position q + u d_h W_pad + v d_w. Lay every channel's padded
# images end to end in one long row and the tap's values for *all* windows of the batch
# are one slice of that row: the im2col matrix is a strided view of the row, copied in
# runs of out_h * W_pad entries (not out_w), and col2im adds the k_h k_w slices back. The
# price: each output row is computed at all W_pad columns and the last (k_w - 1) d_w of
# them, which straddle two rows, are thrown away (or, going back, given a zero gradient).

FlatLayout = namedtuple("FlatLayout",
                        "n channels h w top left h_pad w_pad out_h out_w offsets kernel_size dilation")
FlatLayout.__doc__ = """Geometry of a padded batch whose channels are laid out as flat rows.

``offsets[t]`` is where tap t = u k_w + v of a window starts, relative to the window's
top-left pixel: ``u d_h w_pad + v d_w``. One image takes ``h_pad * w_pad`` entries of
its channel's row, and the window starting at row i, column j of image n begins at
``n h_pad w_pad + i w_pad + j``.
"""


def flat_layout(x_shape, pads, kernel_size, dilation):
    """The :class:`FlatLayout` of an (N, C, H, W) batch padded by ``pads``, stride 1."""
    n, channels, h, w = x_shape
    (top, bottom), (left, right) = pads
    (k_h, k_w), (d_h, d_w) = kernel_size, dilation
    h_pad, w_pad = h + top + bottom, w + left + right
    offsets = tuple(u * d_h * w_pad + v * d_w for u in range(k_h) for v in range(k_w))
    return FlatLayout(n, channels, h, w, top, left, h_pad, w_pad,
                      h_pad - d_h * (k_h - 1), w_pad - d_w * (k_w - 1), offsets,
                      tuple(kernel_size), tuple(dilation))


def tap_view(buffer, layout, writeable=False):
    """Every tap's slice of a flat buffer at once, as a strided view (no copy).

    Shape (C, k_h, k_w, N, out_h W_pad) with
    ``view[c, u, v, n, p] = buffer[c, u d_h W_pad + v d_w + n H_pad W_pad + p]``:
    moving one tap down skips d_h W_pad entries, one tap right d_w, one image
    H_pad W_pad. ``buffer`` must be C-contiguous. Entries of the view overlap (a
    pixel is read by several taps), so write through it one tap at a time.
    """
    k_h, k_w = layout.kernel_size
    d_h, d_w = layout.dilation
    item = buffer.itemsize
    return as_strided(buffer, shape=(layout.channels, k_h, k_w, layout.n,
                                     layout.out_h * layout.w_pad),
                      strides=(buffer.strides[0], d_h * layout.w_pad * item, d_w * item,
                               layout.h_pad * layout.w_pad * item, item),
                      writeable=writeable)


def _flat_length(layout):
    """Entries of one channel's row: the images end to end, then a tail for the last tap."""
    return layout.n * layout.h_pad * layout.w_pad + layout.offsets[-1]


def _inside(buffer, layout):
    """The (C, N, H, W) view of the image pixels (inside the padding) of a flat buffer."""
    image = buffer[:, :layout.n * layout.h_pad * layout.w_pad].reshape(
        layout.channels, layout.n, layout.h_pad, layout.w_pad)
    return image[:, :, layout.top:layout.top + layout.h, layout.left:layout.left + layout.w]


def to_flat(x, layout, dtype, out=None):
    """Pad x (N, C, H, W) and lay it out channel-major: (C, N H_pad W_pad + tail).

    The tail of zeros, ``offsets[-1]`` long, lets the last tap's slice run past the
    last image (into columns that are thrown away). ``out``: an array of that shape
    to fill instead of a new one.
    """
    shape = (layout.channels, _flat_length(layout))
    buffer = np.zeros(shape, dtype=dtype) if out is None else _zeroed(out, shape)
    _inside(buffer, layout)[...] = x.transpose(1, 0, 2, 3)
    return buffer


def from_flat(buffer, layout):
    """Undo :func:`to_flat`: the (N, C, H, W) image inside the padding, a new array."""
    return np.ascontiguousarray(_inside(buffer, layout).transpose(1, 0, 2, 3))


def im2col_flat(buffer, layout, out=None):
    """The im2col matrix, shape (C k_h k_w, N out_h W_pad), copied from a flat buffer.

    Row (c, u, v), column (n, i, j) holds ``x_pad[n, c, i + u d_h, j + v d_w]`` for
    j < out_w; columns with j >= out_w hold values from the next row, which no kept
    output uses. The matrix is a strided view of the buffer (:func:`tap_view`); one
    copy materialises it, in contiguous runs of out_h W_pad entries.
    """
    view = tap_view(buffer, layout)                     # (C, k_h, k_w, N, out_h W_pad)
    cols = np.empty(view.shape, dtype=buffer.dtype) if out is None else out.reshape(view.shape)
    np.copyto(cols, view)                               # the one copy: runs of out_h W_pad
    return cols.reshape(layout.channels * len(layout.offsets), -1)


def col2im_flat(cols, layout, out=None):
    """The transpose of :func:`im2col_flat`: add each tap's row back where it was read.

    ``cols`` (C k_h k_w, N out_h W_pad) -> a flat buffer as made by :func:`to_flat`.
    Gives the right image only if the thrown-away columns (j >= out_w) of ``cols`` are 0.
    The backward pass computes the same sum without ever holding ``cols``: it adds each
    tap's rows of W^T dY as soon as they are made (see :func:`_conv2d_backward_flat`).
    """
    shape = (layout.channels, _flat_length(layout))
    buffer = np.zeros(shape, dtype=cols.dtype) if out is None else _zeroed(out, shape)
    view = tap_view(buffer, layout, writeable=True)
    patches = cols.reshape(view.shape)
    for u in range(view.shape[1]):                      # one tap at a time: taps overlap
        for v in range(view.shape[2]):
            view[:, u, v] += patches[:, u, v]
    return buffer


# Scratch arrays reused from call to call. Fresh memory of a few megabytes costs a page
# fault per 4 KiB on first touch, which measured here as much as the arithmetic, so the
# fast path keeps its temporaries (never its results) and refills them. One set per
# thread; each grows to the largest size asked for.
_scratch = threading.local()


def _workspace(name, shape, dtype):
    """A reusable array of ``shape`` (uninitialised), private to the calling thread."""
    arrays = _scratch.__dict__.setdefault("arrays", {})
    size, key = math.prod(shape), (name, np.dtype(dtype))
    if key not in arrays or arrays[key].size < size:
        arrays[key] = np.empty(size, dtype=dtype)
    return arrays[key][:size].reshape(shape)


def clear_workspace():
    """Free the scratch arrays the fast path keeps for the calling thread."""
    _scratch.__dict__.pop("arrays", None)


def _zeroed(out, shape):
    out = out.reshape(shape)
    out.fill(0)
    return out


def _output_size(g):
    """(out_h, out_w) of the conv2d call whose checked arguments are ``g``."""
    return tuple((g.x.shape[2 + a] + sum(g.pads[a]) - g.dilation[a] * (g.kernel_size[a] - 1) - 1)
                 // g.stride[a] + 1 for a in range(2))


def _use_flat(g, *arrays):
    """The fast path handles stride 1 and real floating-point arrays."""
    return g.stride == (1, 1) and all(a.dtype != object for a in (g.x, g.w) + arrays)


# Images per block of the fast path: as many as keep one block's im2col matrix under
# this many bytes. It bounds the scratch memory for large batches; smaller blocks (to
# stay in the processor's cache) measured slower here, each block costing ~100 NumPy calls.
BLOCK_BYTES = 1 << 22


def _blocks(g, dtype):
    """Slices of the batch, each with its :class:`FlatLayout`."""
    n = g.x.shape[0]
    per_image = flat_layout((1,) + g.x.shape[1:], g.pads, g.kernel_size, g.dilation)
    rows = per_image.channels * len(per_image.offsets)
    image_bytes = rows * per_image.out_h * per_image.w_pad * np.dtype(dtype).itemsize
    size = max(1, min(n, BLOCK_BYTES // image_bytes))
    for start in range(0, n, size):
        batch = slice(start, min(n, start + size))
        yield batch, per_image._replace(n=batch.stop - batch.start)


def _conv2d_flat(g, b):
    """:func:`conv2d` by one matrix product with the flat im2col matrix per block."""
    dtype = np.result_type(g.x, g.w) if b is None else np.result_type(g.x, g.w, b)
    w_mat = g.w.reshape(g.c_out, -1).astype(dtype, copy=False)
    y = None
    for batch, layout in _blocks(g, dtype):
        cols = _flat_columns(g.x[batch], layout, dtype)
        y_full = np.matmul(w_mat, cols, out=_workspace("y", (g.c_out, cols.shape[1]), dtype))
        if b is not None:
            y_full += b.astype(dtype, copy=False)[:, None]      # contiguous, so cheap
        y_full = y_full.reshape(g.c_out, layout.n, layout.out_h, layout.w_pad)
        if y is None:
            y = np.empty((g.x.shape[0], g.c_out, layout.out_h, layout.out_w), dtype=dtype)
        y[batch] = y_full[:, :, :, :layout.out_w].transpose(1, 0, 2, 3)
    return y


def _conv2d_backward_flat(g, dy, input_grad=True):
    """:func:`conv2d_backward` in the flat layout, one shift per kernel tap.

    Lay dy out like the padded input, each output pixel (i, j) at the flat position of
    its window's top-left pixel (zeros elsewhere). Then tap t's im2col row is the input
    row shifted by o_t = ``offsets[t]``, and per block of images, with L = N H_pad W_pad,

        dW[:, :, t] = dY_flat X_flat[:, o_t:o_t + L]^T,   dX_flat[:, o_t:o_t + L] += W_t^T dY_flat:

    small products on slices of two flat buffers; the im2col matrix is never built. (The
    k_h k_w products for dW are one batched call on a view, :func:`shifted_view`.)
    With ``input_grad=False`` dx is None and the second products are skipped.
    """
    dtype = np.result_type(g.x, g.w, dy)
    k_h, k_w = g.kernel_size
    w_taps = g.w.astype(dtype, copy=False).transpose(2, 3, 1, 0)      # (k_h, k_w, C_in, C_out)
    dx = np.empty(g.x.shape, dtype=dtype) if input_grad else None
    dw_taps = np.zeros((k_h, k_w, g.c_out, g.x.shape[1]), dtype=dtype)
    for batch, layout in _blocks(g, dtype):
        x_flat = to_flat(g.x[batch], layout, dtype, out=_workspace(
            "flat", (layout.channels, _flat_length(layout)), dtype))
        dy_flat = _workspace("dy", (g.c_out, layout.n, layout.h_pad, layout.w_pad), dtype)
        dy_flat.fill(0)
        dy_flat[:, :, :layout.out_h, :layout.out_w] = dy[batch].transpose(1, 0, 2, 3)
        dy_flat = dy_flat.reshape(g.c_out, -1)
        span = dy_flat.shape[1]
        dw_taps += dy_flat @ shifted_view(x_flat, layout, span).transpose(0, 1, 3, 2)
        if input_grad:
            dx_flat = _zeroed(_workspace("dx", x_flat.shape, dtype), x_flat.shape)
            for (u, v), offset in zip(np.ndindex(k_h, k_w), layout.offsets):
                dx_flat[:, offset:offset + span] += w_taps[u, v] @ dy_flat
            dx[batch] = from_flat(dx_flat, layout)
    db = dy.sum(axis=(0, 2, 3), dtype=dtype)
    return dx, np.ascontiguousarray(dw_taps.transpose(2, 3, 0, 1)), db


def shifted_view(buffer, layout, span):
    """Every tap's shift of the rows of a flat buffer, as one strided view (no copy).

    Shape (k_h, k_w, C, span) with ``view[u, v, c, q] = buffer[c, q + u d_h W_pad + v d_w]``:
    for an image laid out flat and ``span = N H_pad W_pad``, ``view[u, v]`` is tap (u, v)'s
    row of the im2col matrix, with a column at every pixel. Entries overlap: read only.
    """
    (k_h, k_w), (d_h, d_w), item = layout.kernel_size, layout.dilation, buffer.itemsize
    return as_strided(buffer, shape=(k_h, k_w, layout.channels, span),
                      strides=(d_h * layout.w_pad * item, d_w * item, buffer.strides[0], item),
                      writeable=False)


def _flat_columns(x, layout, dtype):
    """The flat im2col matrix of the images x, in a scratch array."""
    flat = to_flat(x, layout, dtype,
                   out=_workspace("flat", (layout.channels, _flat_length(layout)), dtype))
    rows = layout.channels * len(layout.offsets)
    return im2col_flat(flat, layout, out=_workspace(
        "cols", (rows, layout.n * layout.out_h * layout.w_pad), dtype))


def _pad(x, pads):
    """Zero-pad the last two axes by ((top, bottom), (left, right)).

    Built by hand rather than with ``np.pad`` so object arrays get plain 0s.
    """
    (top, bottom), (left, right) = pads
    n_batch, channels, height, width = x.shape
    out = np.zeros((n_batch, channels, height + top + bottom, width + left + right), dtype=x.dtype)
    out[:, :, top:top + height, left:left + width] = x
    return out


# --- argument checks ---------------------------------------------------------

class _Geometry:
    """The checked arguments of a conv2d call, with its padding resolved to four numbers."""

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
        for axis, name in ((0, "height"), (1, "width")):
            span = self.dilation[axis] * (self.kernel_size[axis] - 1) + 1
            padded = self.x.shape[2 + axis] + sum(self.pads[axis])
            if span > padded:
                raise ValueError(
                    f"w's kernel does not fit: its {name} spans {span} pixels (k = "
                    f"{self.kernel_size[axis]}, dilation {self.dilation[axis]}) but the padded "
                    f"input's {name} is {padded} (x shape {self.x.shape}, padding {padding!r})")


def _resolve_padding(padding, kernel_size, stride, dilation):
    """((top, bottom), (left, right)) from an int, a pair, or 'valid'/'same'/'full'."""
    if not isinstance(padding, str):
        p_h, p_w = as_pair(padding, "padding", 0)
        return (p_h, p_h), (p_w, p_w)
    check_choice(padding, "padding", _MODES)
    if padding == "same" and stride != (1, 1):
        raise ValueError(f"padding='same' needs stride 1, got stride {stride}")
    pads = []
    for k, d in zip(kernel_size, dilation):
        total = d * (k - 1)                       # the rows a window reaches beyond its first
        if padding == "valid":
            pads.append((0, 0))
        elif padding == "same":
            pads.append((total // 2, total - total // 2))
        else:
            pads.append((total, total))
    return tuple(pads)


def _check_kernel(w):
    if min(w.shape) < 1:
        raise ValueError(f"w must have at least one entry along every axis, got shape {w.shape}")


def _check_bias(b, c_out):
    if b is None:
        return None
    b = as_array(b, "b", ndim=1, allow_object=True)
    if b.shape[0] != c_out:
        raise ValueError(f"b must have one entry per output channel ({c_out}), got shape {b.shape}")
    return b
