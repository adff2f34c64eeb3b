"""Layers with ``forward``/``backward``, a container, and SGD with momentum.

Every layer is a thin wrapper over the functional API: ``forward`` calls the
function the book derives (``conv2d``, ``max_pool2d``, ``relu``, ``linear``, ...)
and remembers its input; ``backward`` calls the matching ``*_backward`` with that
input. No formula is implemented twice.

Conventions differ from PyTorch in one place, on purpose: ``backward(dy)`` *stores*
each parameter's gradient in ``param.grad`` (it does not add to it), so there is no
``zero_grad`` to forget. One forward is followed by at most one backward.
"""

import numpy as np

from . import activations, conv, dense, pooling
from ._validation import as_array, as_int, as_pair, check_flag
from .init import initial_bias, initial_weights


class Parameter:
    """A trainable array and the gradient of the loss with respect to it.

    Parameters
    ----------
    data : ndarray
        The values, updated in place by an optimiser.
    name : str
        The name within its layer, such as ``'weight'``.

    Notes
    -----
    The book uses parameters in :ref:`net-training`.
    """

    def __init__(self, data, name):
        self.data = data
        self.grad = np.zeros_like(data)
        self.name = name

    def __repr__(self):
        return f"Parameter({self.name}, shape={self.data.shape}, dtype={self.data.dtype})"


class Layer:
    """Base class: a layer maps x to y = forward(x) and dy to dx = backward(dy).

    A layer with parameters also accepts ``backward(dy, input_grad=False)``: it then
    stores its parameter gradients and may skip dx, returning None. Calling
    ``backward`` before ``forward`` raises ``RuntimeError``.

    Notes
    -----
    The book derives the two passes in :ref:`net-forward` and :ref:`net-backward`.
    """

    def parameters(self):
        """The layer's trainable parameters, in a fixed order."""
        return []

    def __call__(self, x):
        return self.forward(x)

    def _remember(self, x):
        self._x = x
        return x

    def _input(self):
        if getattr(self, "_x", None) is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        return self._x


class Conv2d(Layer):
    """2-D convolution layer (cross-correlation), as ``torch.nn.Conv2d``.

    ``forward`` maps x, shape (N, in_channels, H, W), to y, shape
    (N, out_channels, out_h, out_w), by ``conv2d``; ``backward`` calls
    ``conv2d_backward``.

    Parameters
    ----------
    in_channels, out_channels : int, >= 1
    kernel_size : int or pair of int, >= 1
    stride, padding, dilation
        As in ``conv2d``; checked when the layer is built.
    bias : bool
        Whether the layer has a bias, shape (out_channels,).
    init : {'pytorch_uniform', 'he_normal', 'xavier_uniform'}
        How the weight, shape (out_channels, in_channels, kH, kW), is drawn.
    rng : numpy Generator, optional
        The source of the initial weights; ``np.random.default_rng(0)`` if None.
    dtype : data type
        float64 or float32.

    Raises
    ------
    TypeError
        If a size or setting has the wrong type (as in ``conv2d``).
    ValueError
        If a size is below its minimum, padding is negative or an unknown word, or
        padding 'same' comes with a stride above 1.

    Notes
    -----
    The book derives the layer in :ref:`bpconv-multi` and uses it in :ref:`net-forward`.
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 dilation=1, bias=True, init="pytorch_uniform", rng=None, dtype=np.float64):
        in_channels = as_int(in_channels, "in_channels", minimum=1)
        out_channels = as_int(out_channels, "out_channels", minimum=1)
        k_h, k_w = as_pair(kernel_size, "kernel_size", minimum=1)
        # conv2d's own padding rules, applied now rather than at the first forward
        conv._resolve_padding(padding, (k_h, k_w), as_pair(stride, "stride", minimum=1),
                              as_pair(dilation, "dilation", minimum=1))
        rng = np.random.default_rng(0) if rng is None else rng
        shape = (out_channels, in_channels, k_h, k_w)
        self.weight = Parameter(initial_weights(shape, init, rng, dtype), "weight")
        fan_in = in_channels * k_h * k_w
        self.bias = (Parameter(initial_bias(out_channels, fan_in, init, rng, dtype), "bias")
                     if bias else None)
        self.stride, self.padding, self.dilation = stride, padding, dilation

    def parameters(self):
        return [self.weight] + ([self.bias] if self.bias is not None else [])

    def forward(self, x):
        b = None if self.bias is None else self.bias.data
        return conv.conv2d(self._remember(x), self.weight.data, b,
                           stride=self.stride, padding=self.padding, dilation=self.dilation)

    def backward(self, dy, input_grad=True):
        geometry = dict(stride=self.stride, padding=self.padding, dilation=self.dilation)
        if input_grad:
            dx, dw, db = conv.conv2d_backward(dy, self._input(), self.weight.data, **geometry)
        else:
            dx = None
            dw, db = conv.conv2d_backward_weight(dy, self._input(), self.weight.data, **geometry)
        self.weight.grad = dw
        if self.bias is not None:
            self.bias.grad = db
        return dx

    def __repr__(self):
        c_out, c_in, k_h, k_w = self.weight.data.shape
        return (f"Conv2d({c_in}, {c_out}, kernel_size=({k_h}, {k_w}), stride={self.stride}, "
                f"padding={self.padding!r}, dilation={self.dilation})")


class Linear(Layer):
    """Fully connected layer y = x w^T + b, as ``torch.nn.Linear``.

    ``forward`` maps x, shape (N, in_features), to y, shape (N, out_features), by
    ``linear``; ``backward`` calls ``linear_backward``.

    Parameters
    ----------
    in_features, out_features : int, >= 1
    bias : bool
        Whether the layer has a bias, shape (out_features,).
    init : {'pytorch_uniform', 'he_normal', 'xavier_uniform'}
        How the weight, shape (out_features, in_features), is drawn.
    rng : numpy Generator, optional
        The source of the initial weights; ``np.random.default_rng(0)`` if None.
    dtype : data type
        float64 or float32.

    Raises
    ------
    TypeError
        If a size is not an int.
    ValueError
        If a size is below 1.

    Notes
    -----
    The book derives the layer in :ref:`bpdense-layer`.
    """

    def __init__(self, in_features, out_features, bias=True, init="pytorch_uniform", rng=None,
                 dtype=np.float64):
        in_features = as_int(in_features, "in_features", minimum=1)
        out_features = as_int(out_features, "out_features", minimum=1)
        rng = np.random.default_rng(0) if rng is None else rng
        shape = (out_features, in_features)
        self.weight = Parameter(initial_weights(shape, init, rng, dtype), "weight")
        self.bias = (Parameter(initial_bias(out_features, in_features, init, rng, dtype), "bias")
                     if bias else None)

    def parameters(self):
        return [self.weight] + ([self.bias] if self.bias is not None else [])

    def forward(self, x):
        b = None if self.bias is None else self.bias.data
        return dense.linear(self._remember(x), self.weight.data, b)

    def backward(self, dy, input_grad=True):
        dx, dw, db = dense.linear_backward(dy, self._input(), self.weight.data)
        self.weight.grad = dw
        if self.bias is not None:
            self.bias.grad = db
        return dx if input_grad else None

    def __repr__(self):
        out_features, in_features = self.weight.data.shape
        return f"Linear({in_features}, {out_features}, bias={self.bias is not None})"


class _Pooling(Layer):
    """A pooling layer: its settings, kept in ``options``, go to both functions."""

    function = backward_function = None

    def forward(self, x):
        return type(self).function(self._remember(x), **self.options)

    def backward(self, dy):
        return type(self).backward_function(dy, self._input(), **self.options)

    def __repr__(self):
        settings = ", ".join(f"{k}={v!r}" for k, v in self.options.items())
        return f"{type(self).__name__}({settings})"


class MaxPool2d(_Pooling):
    """Max pooling, as ``torch.nn.MaxPool2d``: (N, C, H, W) -> (N, C, out_h, out_w).

    Parameters
    ----------
    kernel_size, stride, padding, dilation, ceil_mode
        As in ``max_pool2d``; checked when the layer is built.

    Raises
    ------
    TypeError
        If a size is not an int or a pair of ints, or ceil_mode is not a bool.
    ValueError
        If a size is below its minimum.

    Notes
    -----
    The book derives the layer in :ref:`bppool-max`.
    """

    function = pooling.max_pool2d

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False):
        pooling._check_settings(kernel_size, stride, padding, dilation, ceil_mode)
        self.options = dict(kernel_size=kernel_size, stride=stride, padding=padding,
                            dilation=dilation, ceil_mode=ceil_mode)

    def forward(self, x):
        self._y = super().forward(x)         # the backward pass routes dy by these maxima
        return self._y

    def backward(self, dy):
        return pooling.max_pool2d_backward(dy, self._input(), **self.options, output=self._y)


class AvgPool2d(_Pooling):
    """Average pooling, as ``torch.nn.AvgPool2d``: (N, C, H, W) -> (N, C, out_h, out_w).

    Parameters
    ----------
    kernel_size, stride, padding, ceil_mode, count_include_pad
        As in ``avg_pool2d``; checked when the layer is built.

    Raises
    ------
    TypeError
        If a size is not an int or a pair of ints, or ceil_mode or count_include_pad
        is not a bool.
    ValueError
        If a size is below its minimum.

    Notes
    -----
    The book derives the layer in :ref:`bppool-avg`.
    """

    function, backward_function = pooling.avg_pool2d, pooling.avg_pool2d_backward

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True):
        pooling._check_settings(kernel_size, stride, padding, 1, ceil_mode)
        check_flag(count_include_pad, "count_include_pad")
        self.options = dict(kernel_size=kernel_size, stride=stride, padding=padding,
                            ceil_mode=ceil_mode, count_include_pad=count_include_pad)


class _Elementwise(Layer):
    """An activation applied entry by entry; subclasses name the two functions."""

    function = backward_function = None

    def forward(self, x):
        return type(self).function(self._remember(x))

    def backward(self, dy):
        return type(self).backward_function(dy, self._input())

    def __repr__(self):
        return f"{type(self).__name__}()"


class ReLU(_Elementwise):
    """max(0, x), entry by entry, by ``relu`` and ``relu_backward``; any shape.

    Notes
    -----
    The book derives its gradient in :ref:`bpdense-activation`.
    """

    function, backward_function = activations.relu, activations.relu_backward


class Sigmoid(_Elementwise):
    """1 / (1 + exp(-x)), entry by entry, by ``sigmoid`` and ``sigmoid_backward``; any shape.

    Notes
    -----
    The book derives its gradient in :ref:`bpdense-activation`.
    """

    function, backward_function = activations.sigmoid, activations.sigmoid_backward


class Flatten(Layer):
    """(N, d1, d2, ...) -> (N, d1 * d2 * ...), as ``torch.nn.Flatten()``; row-major order.

    ``forward`` raises ``ValueError`` for an input with fewer than 2 axes.

    Notes
    -----
    The book uses it in :ref:`net-forward`.
    """

    def forward(self, x):
        x = as_array(x, "x")
        if x.ndim < 2:
            raise ValueError(
                f"x must have a batch dimension and at least one more, got shape {x.shape}")
        self._shape = x.shape
        self._remember(x)
        return x.reshape(x.shape[0], -1)

    def backward(self, dy):
        self._input()
        return np.reshape(dy, self._shape)

    def __repr__(self):
        return "Flatten()"


class Sequential(Layer):
    """Layers applied in order; backward runs them in reverse (the chain rule).

    Parameters
    ----------
    *layers : Layer
        The layers, input side first.

    Raises
    ------
    TypeError
        If an argument is not a ``Layer``.

    Notes
    -----
    The book derives the two passes in :ref:`net-forward` and :ref:`net-backward`.
    """

    def __init__(self, *layers):
        for index, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                raise TypeError(
                    f"layer {index} must be a cnnmath.nn.Layer, got {type(layer).__name__}")
        self.layers = list(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def backward(self, dy, input_grad=True):
        """dL/dx from dL/dy, storing every parameter's gradient on the way down.

        With ``input_grad=False`` (training: nothing reads the gradient of the data)
        the layers below the lowest one with parameters are not run at all, that layer
        computes only its parameter gradients, and None is returned.
        """
        check_flag(input_grad, "input_grad")
        if input_grad:
            for layer in reversed(self.layers):
                dy = layer.backward(dy)
            return dy
        lowest = next((i for i, layer in enumerate(self.layers) if layer.parameters()), None)
        if lowest is not None:
            for layer in reversed(self.layers[lowest + 1:]):
                dy = layer.backward(dy)
            self.layers[lowest].backward(dy, input_grad=False)
        return None

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]

    def named_parameters(self):
        """``(name, parameter)`` pairs named like PyTorch's: ``'0.weight'``, ``'3.bias'``."""
        return [(f"{index}.{p.name}", p) for index, layer in enumerate(self.layers)
                for p in layer.parameters()]

    def __getitem__(self, index):
        return self.layers[index]

    def __len__(self):
        return len(self.layers)

    def __repr__(self):
        body = "\n".join(f"  ({i}): {layer!r}" for i, layer in enumerate(self.layers))
        return f"Sequential(\n{body}\n)"


class SGD:
    """Stochastic gradient descent with momentum, as ``torch.optim.SGD``.

    With momentum mu, each step updates a velocity v <- mu v + g and then the
    parameter p <- p - lr v (PyTorch's form; mu = 0 is plain gradient descent).
    """

    def __init__(self, parameters, lr, momentum=0.0):
        self.parameters = list(parameters)
        if not self.parameters:
            raise ValueError("parameters must not be empty")
        if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not lr > 0:
            raise ValueError(f"lr must be a positive number, got {lr!r}")
        if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) or not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be a number in [0, 1), got {momentum!r}")
        self.lr, self.momentum = float(lr), float(momentum)
        self.velocities = [np.zeros_like(p.data) for p in self.parameters]

    def step(self):
        """Move every parameter against its stored gradient."""
        for p, v in zip(self.parameters, self.velocities):
            v *= self.momentum
            v += p.grad
            p.data -= self.lr * v


__all__ = ["Parameter", "Layer", "Conv2d", "Linear", "MaxPool2d", "AvgPool2d", "ReLU",
           "Sigmoid", "Flatten", "Sequential", "SGD"]
