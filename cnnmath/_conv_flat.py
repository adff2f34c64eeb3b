"""The stride-1 fast path of ``conv2d``: each channel's padded images laid end to end.

For stride 1 the windows of a padded image follow one pattern of offsets: with the
image stored row after row, kernel tap (u, v) of the window whose top-left pixel sits
at flat position q reads position q + u d_h W_pad + v d_w. Lay every channel's padded
images end to end in one long row and the tap's values for *all* windows of the batch
are one slice of that row: the im2col matrix is a strided view of the row, copied in
runs of out_h * W_pad entries (not out_w), and col2im adds the k_h k_w slices back. The
price: each output row is computed at all W_pad columns and the last (k_w - 1) d_w of
them, which straddle two rows, are thrown away (or, going back, given a zero gradient).

This module is private: ``cnnmath.conv`` calls ``use_flat``, ``conv2d_flat``
and ``conv2d_backward_flat`` with its checked arguments (a ``_Geometry``), and the
chapter "Making it fast" shows the layout functions. The book derives the layout in
:ref:`fast-flat`, its way back in :ref:`fast-col2im` and the backward pass in
:ref:`fast-taps`.
"""

import math
import threading
from collections import namedtuple

import numpy as np
from numpy.lib.stride_tricks import as_strided

# Images per block of the fast path: as many as keep one block's im2col matrix under
# this many bytes. It bounds the scratch memory for large batches; smaller blocks (to
# stay in the processor's cache) measured slower here, each block costing ~100 NumPy calls.
BLOCK_BYTES = 1 << 22


def use_flat(g, *arrays):
    """Whether the fast path handles the checked conv2d call ``g``: stride 1, real floats.

    ``arrays`` are the call's other arrays (the bias, dy), which must be real too.
    """
    return g.stride == (1, 1) and all(a.dtype != object for a in (g.x, g.w) + arrays)


def conv2d_flat(g, b):
    """``conv2d`` of the checked call ``g`` by one matrix product per block of images.

    Returns y, shape (N, C_out, out_h, out_w), in the arrays' common dtype.
    """
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


def conv2d_backward_flat(g, dy, input_grad=True):
    """``conv2d_backward`` of the checked call ``g`` in the flat layout, one shift per tap.

    Lay dy out like the padded input, each output pixel (i, j) at the flat position of
    its window's top-left pixel (zeros elsewhere). Then tap t's im2col row is the input
    row shifted by o_t = ``offsets[t]``, and per block of images, with L = N H_pad W_pad,

        dW[:, :, t] = dY_flat X_flat[:, o_t:o_t + L]^T,   dX_flat[:, o_t:o_t + L] += W_t^T dY_flat:

    small products on slices of two flat buffers; the im2col matrix is never built. (The
    k_h k_w products for dW are one batched call on a view, ``shifted_view``.)
    Returns ``(dx, dw, db)``; with ``input_grad=False`` dx is None and the second
    products are skipped.
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


# --- the layout -----------------------------------------------------------------------

FlatLayout = namedtuple("FlatLayout",
                        "n channels h w top left h_pad w_pad out_h out_w offsets kernel_size "
                        "dilation")
FlatLayout.__doc__ = """Geometry of a padded batch whose channels are laid out as flat rows.

``offsets[t]`` is where tap t = u k_w + v of a window starts, relative to the window's
top-left pixel: ``u d_h w_pad + v d_w``. One image takes ``h_pad * w_pad`` entries of
its channel's row, and the window starting at row i, column j of image n begins at
``n h_pad w_pad + i w_pad + j``.
"""


def flat_layout(x_shape, pads, kernel_size, dilation):
    """The ``FlatLayout`` of an (N, C, H, W) batch padded by ``pads``, stride 1.

    ``pads`` is ((top, bottom), (left, right)); ``kernel_size`` and ``dilation`` are
    pairs of ints.
    """
    n, channels, h, w = x_shape
    (top, bottom), (left, right) = pads
    (k_h, k_w), (d_h, d_w) = kernel_size, dilation
    h_pad, w_pad = h + top + bottom, w + left + right
    offsets = tuple(u * d_h * w_pad + v * d_w for u in range(k_h) for v in range(k_w))
    return FlatLayout(n, channels, h, w, top, left, h_pad, w_pad,
                      h_pad - d_h * (k_h - 1), w_pad - d_w * (k_w - 1), offsets,
                      tuple(kernel_size), tuple(dilation))


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
    """Undo ``to_flat``: the (N, C, H, W) image inside the padding, a new array."""
    return np.ascontiguousarray(_inside(buffer, layout).transpose(1, 0, 2, 3))


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


def im2col_flat(buffer, layout, out=None):
    """The im2col matrix, shape (C k_h k_w, N out_h W_pad), copied from a flat buffer.

    Row (c, u, v), column (n, i, j) holds ``x_pad[n, c, i + u d_h, j + v d_w]`` for
    j < out_w; columns with j >= out_w hold values from the next row, which no kept
    output uses. The matrix is a strided view of the buffer (``tap_view``); one
    copy materialises it, in contiguous runs of out_h W_pad entries.
    """
    view = tap_view(buffer, layout)                     # (C, k_h, k_w, N, out_h W_pad)
    cols = np.empty(view.shape, dtype=buffer.dtype) if out is None else out.reshape(view.shape)
    np.copyto(cols, view)                               # the one copy: runs of out_h W_pad
    return cols.reshape(layout.channels * len(layout.offsets), -1)


def col2im_flat(cols, layout, out=None):
    """The transpose of ``im2col_flat``: add each tap's row back where it was read.

    ``cols`` (C k_h k_w, N out_h W_pad) -> a flat buffer as made by ``to_flat``.
    Gives the right image only if the thrown-away columns (j >= out_w) of ``cols`` are 0.
    The backward pass computes the same sum without ever holding ``cols``: it adds each
    tap's rows of W^T dY as soon as they are made (see ``conv2d_backward_flat``).
    """
    shape = (layout.channels, _flat_length(layout))
    buffer = np.zeros(shape, dtype=cols.dtype) if out is None else _zeroed(out, shape)
    view = tap_view(buffer, layout, writeable=True)
    patches = cols.reshape(view.shape)
    for u in range(view.shape[1]):                      # one tap at a time: taps overlap
        for v in range(view.shape[2]):
            view[:, u, v] += patches[:, u, v]
    return buffer


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


def _flat_length(layout):
    """Entries of one channel's row: the images end to end, then a tail for the last tap."""
    return layout.n * layout.h_pad * layout.w_pad + layout.offsets[-1]


def _inside(buffer, layout):
    """The (C, N, H, W) view of the image pixels (inside the padding) of a flat buffer."""
    image = buffer[:, :layout.n * layout.h_pad * layout.w_pad].reshape(
        layout.channels, layout.n, layout.h_pad, layout.w_pad)
    return image[:, :, layout.top:layout.top + layout.h, layout.left:layout.left + layout.w]


def _blocks(g, dtype):
    """Slices of the batch, each with its ``FlatLayout``."""
    n = g.x.shape[0]
    per_image = flat_layout((1,) + g.x.shape[1:], g.pads, g.kernel_size, g.dilation)
    rows = per_image.channels * len(per_image.offsets)
    image_bytes = rows * per_image.out_h * per_image.w_pad * np.dtype(dtype).itemsize
    size = max(1, min(n, BLOCK_BYTES // image_bytes))
    for start in range(0, n, size):
        batch = slice(start, min(n, start + size))
        yield batch, per_image._replace(n=batch.stop - batch.start)


def _flat_columns(x, layout, dtype):
    """The flat im2col matrix of the images x, in a scratch array."""
    flat = to_flat(x, layout, dtype,
                   out=_workspace("flat", (layout.channels, _flat_length(layout)), dtype))
    rows = layout.channels * len(layout.offsets)
    return im2col_flat(flat, layout, out=_workspace(
        "cols", (rows, layout.n * layout.out_h * layout.w_pad), dtype))


# --- scratch memory -------------------------------------------------------------------
#
# Scratch arrays reused from call to call. Fresh memory of a few megabytes costs a page
# fault per 4 KiB on first touch, which measured here as much as the arithmetic, so the
# fast path keeps its temporaries (never its results) and refills them. One set per
# thread; each grows to the largest size asked for.
_scratch = threading.local()


def clear_workspace():
    """Free the scratch arrays the fast path keeps for the calling thread."""
    _scratch.__dict__.pop("arrays", None)


def _workspace(name, shape, dtype):
    """A reusable array of ``shape`` (uninitialised), private to the calling thread."""
    arrays = _scratch.__dict__.setdefault("arrays", {})
    size, key = math.prod(shape), (name, np.dtype(dtype))
    if key not in arrays or arrays[key].size < size:
        arrays[key] = np.empty(size, dtype=dtype)
    return arrays[key][:size].reshape(shape)


def _zeroed(out, shape):
    """``out`` reshaped to ``shape`` and filled with zeros."""
    out = out.reshape(shape)
    out.fill(0)
    return out
