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

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ._validation import as_array, as_pair, check_choice

__all__ = ["correlate2d", "convolve2d", "conv2d", "conv2d_backward", "conv_transpose2d"]

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
    g = _Geometry(x, w, stride, padding, dilation)
    dy = as_array(dy, "dy", ndim=4, allow_object=True)
    x_pad = _pad(g.x, g.pads)
    windows = im2col(x_pad, g.kernel_size, g.stride, g.dilation)
    expected = (g.x.shape[0], g.c_out) + windows.shape[2:4]
    if dy.shape != expected:
        raise ValueError(f"dy must have the shape of conv2d's output {expected}, got {dy.shape}")

    db = dy.sum(axis=(0, 2, 3))
    dw = np.tensordot(dy, windows, axes=([0, 2, 3], [0, 2, 3]))    # (C_out, C_in, kH, kW)
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
