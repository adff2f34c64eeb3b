"""Output sizes, padding, receptive fields and costs of convolution and pooling.

Every size function works on one spatial dimension: ints in, int out. Height
and width are independent, so a 2-D layer calls the function once per axis.
A configuration that cannot produce an output raises ``ValueError`` naming
the argument at fault.

The central count (``conv_output_size``): a kernel of ``k`` taps spaced
``d`` apart spans ``d (k - 1) + 1`` positions. On an input of length ``n``
padded by ``p`` on each side, the window can start anywhere from 0 to
``n + 2p - d (k - 1) - 1``; moving ``s`` at a time it makes
``floor((n + 2p - d (k - 1) - 1) / s)`` whole steps, so there is one more
position than steps:

    n_out = floor((n + 2p - d (k - 1) - 1) / s) + 1.

Costs are counted in multiply-accumulates (MACs); one MAC is two
floating-point operations.
"""

from ._validation import as_int, as_pair, check_flag

__all__ = ["conv_output_size", "conv_transpose_output_size", "pool_output_size",
           "same_padding", "receptive_field_span", "receptive_field", "conv2d_parameter_count",
           "linear_parameter_count", "conv2d_macs", "linear_macs"]


def _span(kernel_size, dilation):
    """Positions covered by a kernel of ``kernel_size`` taps spaced ``dilation`` apart."""
    return dilation * (kernel_size - 1) + 1


def conv_output_size(n, kernel_size, stride=1, padding=0, dilation=1):
    """Length of a convolution's output along one axis.

    ``floor((n + 2 padding - dilation (kernel_size - 1) - 1) / stride) + 1``,
    the number of positions where the dilated kernel fits inside the padded input.

    Parameters
    ----------
    n : int, >= 1
        The input's length.
    kernel_size, stride, dilation : int, >= 1
    padding : int, >= 0
        Added on each side.

    Returns
    -------
    int
        The output's length, >= 1.

    Raises
    ------
    TypeError
        If an argument is not an int (bools are refused).
    ValueError
        If an argument is below its minimum, or the dilated kernel is longer than the
        padded input.

    Notes
    -----
    The book derives this in :ref:`size-count` and :ref:`size-floor`.
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
    It inverts ``conv_output_size``: a convolution with the same arguments maps this
    length back to ``n``. When ``stride > 1`` several input lengths share one
    convolution output length; ``output_padding`` picks which of them to produce.

    Parameters
    ----------
    n : int, >= 1
    kernel_size, stride, dilation : int, >= 1
    padding : int, >= 0
        Removed from each side of the full result.
    output_padding : int, >= 0
        Added after; smaller than ``stride`` or than ``dilation``, as in PyTorch.

    Returns
    -------
    int
        The output's length, >= 1.

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If an argument is below its minimum, output_padding is not smaller than
        stride or dilation, or the padding removes the whole output.

    Notes
    -----
    The book derives this in :ref:`size-transposed` and :ref:`size-output-padding`.
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

    With ``ceil_mode=False`` this is ``conv_output_size``. With ``ceil_mode=True``
    the division rounds up, so a last window that hangs over the right edge is kept,
    unless it would start in the right padding (at or beyond ``n + padding`` in
    padded coordinates): such a window sees no input and is dropped.

    Parameters
    ----------
    n : int, >= 1
    kernel_size, dilation : int, >= 1
    stride : int, >= 1, optional
        None (the default) means ``kernel_size``.
    padding : int, 0 <= padding <= kernel_size // 2
        PyTorch's limit.
    ceil_mode : bool

    Returns
    -------
    int
        The output's length, >= 1.

    Raises
    ------
    TypeError
        If a size is not an int or ceil_mode is not a bool.
    ValueError
        If a size is below its minimum, padding exceeds half the kernel, or the window
        does not fit in the padded input.

    Notes
    -----
    The book derives this in :ref:`size-pooling`.
    """
    n = as_int(n, "n", minimum=1)
    kernel_size = as_int(kernel_size, "kernel_size", minimum=1)
    stride = kernel_size if stride is None else as_int(stride, "stride", minimum=1)
    padding = as_int(padding, "padding", minimum=0)
    dilation = as_int(dilation, "dilation", minimum=1)
    ceil_mode = check_flag(ceil_mode, "ceil_mode")
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

    Parameters
    ----------
    kernel_size, dilation : int, >= 1

    Returns
    -------
    tuple of int
        ``(before, after)``.

    Raises
    ------
    TypeError
        If an argument is not an int.
    ValueError
        If an argument is below 1.

    Notes
    -----
    The book derives this in :ref:`size-same`.
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

    Output position ``i`` of one layer reads its input from ``i s - p`` to
    ``i s - p + d (k - 1)``; walking back through the stack composes these ranges.
    Positions below 0 or beyond the input lie in the padding.

    Parameters
    ----------
    layers : sequence of dict
        The layers from input to output, each a mapping with ``kernel_size`` and
        optional ``stride`` (1), ``padding`` (0) and ``dilation`` (1).
    index : int, >= 0
        An output position of the last layer.

    Returns
    -------
    tuple of int
        ``(first, last)``, input positions.

    Raises
    ------
    TypeError
        If a setting or index is not an int.
    ValueError
        If a layer has an unknown key or no ``kernel_size``, a setting is below its
        minimum, or index is negative.

    Notes
    -----
    The book derives this in :ref:`size-receptive`.
    """
    layers = [_layer(layer, i) for i, layer in enumerate(layers)]
    first = last = as_int(index, "index", minimum=0)
    for kernel_size, stride, padding, dilation in reversed(layers):
        first = first * stride - padding
        last = last * stride - padding + dilation * (kernel_size - 1)
    return first, last


def receptive_field(layers):
    """Receptive-field size of one output position of a stack of layers.

    ``r = 1 + sum_l d_l (k_l - 1) (s_1 s_2 ... s_{l-1})``: each layer widens the
    field by its own span, measured in steps of the layers below it. Padding does
    not matter.

    Parameters
    ----------
    layers : sequence of dict
        The layers from input to output, each a mapping with ``kernel_size`` and
        optional ``stride`` (1), ``padding`` (0) and ``dilation`` (1).

    Returns
    -------
    int

    Raises
    ------
    TypeError
        If a setting is not an int.
    ValueError
        If a layer has an unknown key or no ``kernel_size``, or a setting is below
        its minimum.

    Notes
    -----
    The book derives this in :ref:`size-receptive`.
    """
    layers = [_layer(layer, i) for i, layer in enumerate(layers)]
    size, jump = 1, 1
    for kernel_size, stride, _, dilation in layers:
        size += dilation * (kernel_size - 1) * jump
        jump *= stride
    return size


def conv2d_parameter_count(in_channels, out_channels, kernel_size, bias=True):
    """Learnable numbers in a conv layer: ``out_channels (k_h k_w in_channels + 1)``.

    Parameters
    ----------
    in_channels, out_channels : int, >= 1
    kernel_size : int or pair of int, >= 1
    bias : bool
        Without a bias the ``+ 1`` goes.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        If a size is not an int (or a pair of ints).
    ValueError
        If a size is below 1.

    Notes
    -----
    The book derives this in :ref:`size-cifar`.
    """
    in_channels = as_int(in_channels, "in_channels", minimum=1)
    out_channels = as_int(out_channels, "out_channels", minimum=1)
    k_h, k_w = as_pair(kernel_size, "kernel_size", minimum=1)
    return out_channels * (k_h * k_w * in_channels + bool(bias))


def linear_parameter_count(in_features, out_features, bias=True):
    """Learnable numbers in a dense layer: ``out_features (in_features + 1)``.

    Parameters
    ----------
    in_features, out_features : int, >= 1
    bias : bool
        Without a bias the ``+ 1`` goes.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        If a size is not an int.
    ValueError
        If a size is below 1.

    Notes
    -----
    The book derives this in :ref:`size-cifar`.
    """
    in_features = as_int(in_features, "in_features", minimum=1)
    out_features = as_int(out_features, "out_features", minimum=1)
    return out_features * (in_features + bool(bias))


def conv2d_macs(in_channels, out_channels, kernel_size, output_size):
    """Multiply-accumulates of one conv layer on one image.

    Each of the ``out_channels * out_h * out_w`` outputs is a dot product of
    length ``in_channels k_h k_w``; the bias additions are not counted.

    Parameters
    ----------
    in_channels, out_channels : int, >= 1
    kernel_size : int or pair of int, >= 1
    output_size : int or pair of int, >= 1
        ``(out_h, out_w)``.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        If a size is not an int (or a pair of ints).
    ValueError
        If a size is below 1.

    Notes
    -----
    The book derives this in :ref:`size-cifar`.
    """
    in_channels = as_int(in_channels, "in_channels", minimum=1)
    out_channels = as_int(out_channels, "out_channels", minimum=1)
    k_h, k_w = as_pair(kernel_size, "kernel_size", minimum=1)
    out_h, out_w = as_pair(output_size, "output_size", minimum=1)
    return out_channels * out_h * out_w * in_channels * k_h * k_w


def linear_macs(in_features, out_features):
    """Multiply-accumulates of one dense layer on one example: ``in_features out_features``.

    Parameters
    ----------
    in_features, out_features : int, >= 1

    Returns
    -------
    int

    Raises
    ------
    TypeError
        If a size is not an int.
    ValueError
        If a size is below 1.

    Notes
    -----
    The book derives this in :ref:`size-cifar`.
    """
    in_features = as_int(in_features, "in_features", minimum=1)
    out_features = as_int(out_features, "out_features", minimum=1)
    return in_features * out_features
