"""Output sizes, padding, receptive fields and costs of convolution and pooling.

Every size function works on one spatial dimension: ints in, int out. Height
and width are independent, so a 2-D layer calls the function once per axis.
A configuration that cannot produce an output raises ``ValueError`` naming
the argument at fault.

The central count (:func:`conv_output_size`): a kernel of ``k`` taps spaced
``d`` apart spans ``d (k - 1) + 1`` positions. On an input of length ``n``
padded by ``p`` on each side, the window can start anywhere from 0 to
``n + 2p - d (k - 1) - 1``; moving ``s`` at a time it makes
``floor((n + 2p - d (k - 1) - 1) / s)`` whole steps, so there is one more
position than steps:

    n_out = floor((n + 2p - d (k - 1) - 1) / s) + 1.

Costs are counted in multiply-accumulates (MACs); one MAC is two
floating-point operations.
"""

import numpy as np

from ._validation import as_int, as_pair


def _span(kernel_size, dilation):
    """Positions covered by a kernel of ``kernel_size`` taps spaced ``dilation`` apart."""
    return dilation * (kernel_size - 1) + 1


def conv_output_size(n, kernel_size, stride=1, padding=0, dilation=1):
    """Length of a convolution's output along one axis.

    ``floor((n + 2 padding - dilation (kernel_size - 1) - 1) / stride) + 1``,
    the number of positions where the dilated kernel fits inside the padded
    input. Raises ``ValueError`` when it fits nowhere.
    """
    n = as_int(n, "n", minimum=1)
    kernel_size = as_int(kernel_size, "kernel_size", minimum=1)
    stride = as_int(stride, "stride", minimum=1)
    padding = as_int(padding, "padding", minimum=0)
    dilation = as_int(dilation, "dilation", minimum=1)
    span = _span(kernel_size, dilation)
    if span > n + 2 * padding:
        raise ValueError(
            f"kernel_size={kernel_size} with dilation={dilation} spans {span} positions, "
            f"more than the padded input n + 2*padding = {n + 2 * padding}; "
            "expected a kernel that fits"
        )
    return (n + 2 * padding - span) // stride + 1


def conv_transpose_output_size(n, kernel_size, stride=1, padding=0, output_padding=0,
                               dilation=1):
    """Length of a transposed convolution's output along one axis.

    ``(n - 1) stride - 2 padding + dilation (kernel_size - 1) + output_padding + 1``.
    It inverts :func:`conv_output_size`: a convolution with the same
    arguments maps this length back to ``n``. When ``stride > 1`` several
    input lengths share one convolution output length; ``output_padding``
    (which must be smaller than ``stride`` or than ``dilation``, as in
    PyTorch) picks which of them to produce.
    """
    n = as_int(n, "n", minimum=1)
    kernel_size = as_int(kernel_size, "kernel_size", minimum=1)
    stride = as_int(stride, "stride", minimum=1)
    padding = as_int(padding, "padding", minimum=0)
    output_padding = as_int(output_padding, "output_padding", minimum=0)
    dilation = as_int(dilation, "dilation", minimum=1)
    if output_padding >= stride and output_padding >= dilation:
        raise ValueError(
            f"output_padding must be smaller than stride or dilation, got "
            f"output_padding={output_padding} with stride={stride} and dilation={dilation}"
        )
    size = (n - 1) * stride - 2 * padding + _span(kernel_size, dilation) + output_padding
    if size < 1:
        raise ValueError(
            f"padding={padding} removes the whole output: the transposed convolution "
            f"would have length {size}; expected a padding that leaves at least 1"
        )
    return size


def pool_output_size(n, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
    """Length of a pooling layer's output along one axis, by PyTorch's rule.

    ``stride=None`` means ``stride = kernel_size``. With ``ceil_mode=False``
    this is :func:`conv_output_size`. With ``ceil_mode=True`` the division
    rounds up, so a last window that hangs over the right edge is kept, unless
    it would start in the right padding (at or beyond ``n + padding`` in
    padded coordinates): such a window sees no input and is dropped.
    PyTorch also requires ``padding <= kernel_size // 2``.
    """
    n = as_int(n, "n", minimum=1)
    kernel_size = as_int(kernel_size, "kernel_size", minimum=1)
    stride = kernel_size if stride is None else as_int(stride, "stride", minimum=1)
    padding = as_int(padding, "padding", minimum=0)
    dilation = as_int(dilation, "dilation", minimum=1)
    if not isinstance(ceil_mode, (bool, np.bool_)):
        raise TypeError(f"ceil_mode must be True or False, got {ceil_mode!r}")
    if padding > kernel_size // 2:
        raise ValueError(
            f"padding must be at most half of kernel_size, got padding={padding} "
            f"with kernel_size={kernel_size}"
        )
    room = n + 2 * padding - _span(kernel_size, dilation)
    if ceil_mode:
        size = -(-room // stride) + 1          # ceiling division, then count the first
        if (size - 1) * stride >= n + padding:  # last window would start in the right padding
            size -= 1
    else:
        size = room // stride + 1
    if size < 1:  # only when the window is wider than the padded input
        raise ValueError(
            f"kernel_size={kernel_size} with dilation={dilation} spans "
            f"{_span(kernel_size, dilation)} positions, more than the padded input "
            f"n + 2*padding = {n + 2 * padding}; expected a window that fits"
        )
    return size


def same_padding(kernel_size, dilation=1):
    """Padding ``(before, after)`` that keeps the length at stride 1.

    The total is ``dilation (kernel_size - 1)``; when it is odd the extra
    position goes after (bottom/right), as in PyTorch's ``padding='same'``.
    """
    kernel_size = as_int(kernel_size, "kernel_size", minimum=1)
    dilation = as_int(dilation, "dilation", minimum=1)
    total = dilation * (kernel_size - 1)
    return total // 2, total - total // 2


_LAYER_KEYS = ("kernel_size", "stride", "padding", "dilation")


def _layer(layer, index):
    """Read one layer description: a mapping with ``kernel_size`` and optional
    ``stride`` (1), ``padding`` (0), ``dilation`` (1)."""
    unknown = set(layer) - set(_LAYER_KEYS)
    if unknown or "kernel_size" not in layer:
        raise ValueError(
            f"layers[{index}] must be a mapping with key 'kernel_size' and optional "
            f"'stride', 'padding', 'dilation', got {dict(layer)!r}"
        )
    return (as_int(layer["kernel_size"], f"layers[{index}]['kernel_size']", minimum=1),
            as_int(layer.get("stride", 1), f"layers[{index}]['stride']", minimum=1),
            as_int(layer.get("padding", 0), f"layers[{index}]['padding']", minimum=0),
            as_int(layer.get("dilation", 1), f"layers[{index}]['dilation']", minimum=1))


def receptive_field_span(layers, index):
    """Input positions ``(first, last)`` that output position ``index`` of a stack sees.

    ``layers`` lists the layers from input to output, each a mapping such as
    ``{"kernel_size": 3, "stride": 2, "padding": 1, "dilation": 1}``. Output
    position ``i`` of one layer reads its input from ``i s - p`` to
    ``i s - p + d (k - 1)``; walking back through the stack composes these
    ranges. Positions below 0 or beyond the input lie in the padding.
    """
    layers = [_layer(layer, i) for i, layer in enumerate(layers)]
    first = last = as_int(index, "index", minimum=0)
    for kernel_size, stride, padding, dilation in reversed(layers):
        first = first * stride - padding
        last = last * stride - padding + dilation * (kernel_size - 1)
    return first, last


def receptive_field(layers):
    """Receptive-field size of one output position of a stack of layers.

    ``r = 1 + sum_l d_l (k_l - 1) (s_1 s_2 ... s_{l-1})``: each layer widens
    the field by its own span, measured in steps of the layers below it.
    ``layers`` is as in :func:`receptive_field_span`; padding does not matter.
    """
    layers = [_layer(layer, i) for i, layer in enumerate(layers)]
    size, jump = 1, 1
    for kernel_size, stride, _, dilation in layers:
        size += dilation * (kernel_size - 1) * jump
        jump *= stride
    return size


def conv2d_parameter_count(in_channels, out_channels, kernel_size, bias=True):
    """Learnable numbers in a conv layer: ``out_channels (k_h k_w in_channels + 1)``.

    Without a bias the ``+ 1`` goes. ``kernel_size`` is an int or a pair.
    """
    in_channels = as_int(in_channels, "in_channels", minimum=1)
    out_channels = as_int(out_channels, "out_channels", minimum=1)
    k_h, k_w = as_pair(kernel_size, "kernel_size", minimum=1)
    return out_channels * (k_h * k_w * in_channels + bool(bias))


def linear_parameter_count(in_features, out_features, bias=True):
    """Learnable numbers in a dense layer: ``out_features (in_features + 1)``."""
    in_features = as_int(in_features, "in_features", minimum=1)
    out_features = as_int(out_features, "out_features", minimum=1)
    return out_features * (in_features + bool(bias))


def conv2d_macs(in_channels, out_channels, kernel_size, output_size):
    """Multiply-accumulates of one conv layer on one image.

    Each of the ``out_channels * out_h * out_w`` outputs is a dot product of
    length ``in_channels k_h k_w``. ``output_size`` is an int or a pair
    ``(out_h, out_w)``; the bias additions are not counted.
    """
    in_channels = as_int(in_channels, "in_channels", minimum=1)
    out_channels = as_int(out_channels, "out_channels", minimum=1)
    k_h, k_w = as_pair(kernel_size, "kernel_size", minimum=1)
    out_h, out_w = as_pair(output_size, "output_size", minimum=1)
    return out_channels * out_h * out_w * in_channels * k_h * k_w


def linear_macs(in_features, out_features):
    """Multiply-accumulates of one dense layer on one example: ``in_features out_features``."""
    in_features = as_int(in_features, "in_features", minimum=1)
    out_features = as_int(out_features, "out_features", minimum=1)
    return in_features * out_features
