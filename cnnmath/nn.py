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

from . import activations, conv, dense, normalization, pooling
from ._validation import as_array, as_int, as_pair, as_real, check_flag, check_upstream
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

    training = True

    def parameters(self):
        """The layer's trainable parameters, in a fixed order."""
        return []

    def train(self, mode=True):
        """Training mode (``mode=True``) or evaluation mode; returns the layer.

        Only layers that behave differently in the two modes (batch normalisation,
        dropout) read ``self.training``; containers pass the mode on to their layers.
        """
        self.training = check_flag(mode, "mode")
        for layer in self._children():
            layer.train(self.training)
        return self

    def eval(self):
        """Evaluation mode: ``train(False)``."""
        return self.train(False)

    def _children(self):
        return getattr(self, "layers", ())

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


class _Optimizer:
    """Shared by the optimisers: the parameter list and the checks of its entries."""

    def __init__(self, parameters):
        if isinstance(parameters, Parameter):
            raise TypeError("parameters must be an iterable of cnnmath.nn.Parameter (for "
                            "example model.parameters()), got a single Parameter")
        self.parameters = list(parameters)
        if not self.parameters:
            raise ValueError("parameters must not be empty, got an empty list; expected "
                             "the model's parameters (model.parameters())")
        for index, p in enumerate(self.parameters):
            if not isinstance(p, Parameter):
                raise TypeError(f"parameters[{index}] must be a cnnmath.nn.Parameter, "
                                f"got {type(p).__name__}")

    def _gradient(self, p):
        """The gradient with weight decay folded in: g + lambda p."""
        if self.weight_decay:
            return p.grad + self.weight_decay * p.data
        return p.grad


class SGD(_Optimizer):
    """Stochastic gradient descent with momentum, weight decay and Nesterov, as ``torch.optim.SGD``.

    For each parameter p with gradient g, one :meth:`step` computes (dampening 0)::

        g <- g + weight_decay * p
        v <- momentum * v + g                      (v starts at 0)
        p <- p - lr * (g + momentum * v)           if nesterov
        p <- p - lr * v                            otherwise

    With ``momentum = 0`` this is plain gradient descent.

    Parameters
    ----------
    parameters : iterable of Parameter
        What to train, usually ``model.parameters()``.
    lr : float > 0
        The learning rate (may be changed between steps, as ``fit`` does).
    momentum : float in [0, 1)
        The velocity's decay.
    weight_decay : float >= 0
        lambda: the step of the loss plus ``(lambda / 2) * ||p||^2``.
    nesterov : bool
        Nesterov's look-ahead form; needs ``momentum > 0``.

    Raises
    ------
    TypeError
        If ``parameters`` holds something other than Parameters, a number is not
        real or ``nesterov`` is not a bool.
    ValueError
        If ``parameters`` is empty, a number is out of range, or ``nesterov`` is
        asked for without momentum.

    Notes
    -----
    The book derives this in :ref:`norm-sgd`.
    """

    def __init__(self, parameters, lr, momentum=0.0, weight_decay=0.0, nesterov=False):
        super().__init__(parameters)
        self.lr = as_real(lr, "lr", 0, low_open=True)
        self.momentum = as_real(momentum, "momentum", 0, 1, high_open=True)
        self.weight_decay = as_real(weight_decay, "weight_decay", 0)
        self.nesterov = check_flag(nesterov, "nesterov")
        if self.nesterov and self.momentum == 0:
            raise ValueError("nesterov=True needs momentum > 0, got momentum 0; expected "
                             "a momentum in (0, 1)")
        self.velocities = [np.zeros_like(p.data) for p in self.parameters]

    def step(self):
        """Move every parameter against its stored gradient."""
        for p, v in zip(self.parameters, self.velocities):
            g = self._gradient(p)
            if self.momentum:
                v *= self.momentum
                v += g
                g = g + self.momentum * v if self.nesterov else v
            p.data -= self.lr * g


__all__ = ["Parameter", "Layer", "Conv2d", "Linear", "MaxPool2d", "AvgPool2d", "ReLU",
           "Sigmoid", "Flatten", "Sequential", "SGD"]


# --------------------------------------------------------------------------------------
# Chapter 10: batch normalisation, dropout, a residual block and Adam.

class _BatchNorm(Layer):
    """Batch normalisation over channel axis 1, with learnable gamma (weight) and beta (bias).

    The running estimates start at mean 0 and variance 1, as PyTorch's do. The
    mode (``train()``/``eval()``) at the time of ``forward`` decides the
    statistics, and :meth:`backward` differentiates what that forward computed.
    """

    ndims = ()

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, dtype=np.float64):
        self.num_features = as_int(num_features, "num_features", minimum=1)
        self.eps = as_real(eps, "eps", 0, low_open=True)
        self.momentum = as_real(momentum, "momentum", 0, 1)
        self.affine = check_flag(affine, "affine")
        self.running_mean = np.zeros(self.num_features, dtype=dtype)
        self.running_var = np.ones(self.num_features, dtype=dtype)
        self.weight = self.bias = None
        if self.affine:
            self.weight = Parameter(np.ones(self.num_features, dtype=dtype), "weight")
            self.bias = Parameter(np.zeros(self.num_features, dtype=dtype), "bias")

    def parameters(self):
        return [self.weight, self.bias] if self.affine else []

    def forward(self, x):
        x = as_array(x, "x")
        if x.ndim not in self.ndims:
            expected = " or ".join(f"{n} dimensions" for n in self.ndims)
            raise ValueError(f"x must have {expected} for {type(self).__name__}, "
                             f"got shape {x.shape} ({x.ndim} dimensions)")
        if x.shape[1] != self.num_features:
            raise ValueError(f"x has {x.shape[1]} channels (axis 1) but the layer has "
                             f"num_features={self.num_features}; expected them equal")
        self._forward_training = self.training
        return normalization.batch_norm(
            self._remember(x), self.running_mean, self.running_var,
            None if self.weight is None else self.weight.data,
            None if self.bias is None else self.bias.data,
            training=self.training, momentum=self.momentum, eps=self.eps)

    def backward(self, dy, input_grad=True):
        x = self._input()
        if self._forward_training:
            running = (None, None)
        else:
            running = (self.running_mean, self.running_var)
        dx, dweight, dbias = normalization.batch_norm_backward(
            dy, x, *running, None if self.weight is None else self.weight.data,
            training=self._forward_training, eps=self.eps)
        if self.affine:
            self.weight.grad, self.bias.grad = dweight, dbias
        return dx if input_grad else None

    def __repr__(self):
        return (f"{type(self).__name__}({self.num_features}, eps={self.eps}, "
                f"momentum={self.momentum}, affine={self.affine})")


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of features, as ``torch.nn.BatchNorm1d``: x (N, C) -> y (N, C).

    Parameters
    ----------
    num_features : int
        C, the number of features.
    eps : float > 0
        Added to the variance.
    momentum : float in [0, 1]
        Weight of each training batch in the running estimates.
    affine : bool
        Whether to learn gamma (``weight``) and beta (``bias``).
    dtype : numpy dtype
        Of the parameters and running estimates.

    Raises
    ------
    TypeError
        If a setting is the wrong kind of value (a float ``num_features``, an int
        ``affine``) or ``x`` holds no real numbers.
    ValueError
        For a setting out of range, or an ``x`` in ``forward`` of the wrong rank,
        with the wrong number of channels, or with one value per channel in training.

    Notes
    -----
    The book derives this in :ref:`norm-layers`.
    """

    ndims = (2,)


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of channels, as ``torch.nn.BatchNorm2d``: (N, C, H, W) -> same.

    Statistics are taken over the batch and every pixel of a channel. Parameters
    as :class:`BatchNorm1d`.

    Notes
    -----
    The book derives this in :ref:`norm-layers`.
    """

    ndims = (4,)


class Dropout(Layer):
    """Inverted dropout, as ``torch.nn.Dropout``: same shape in and out.

    In training each entry is zeroed with probability p and the survivors are
    multiplied by ``1 / (1 - p)``; in evaluation the layer is the identity.
    The backward pass multiplies by the forward pass's mask.

    Parameters
    ----------
    p : float in [0, 1]
        Probability of dropping an entry.
    rng : numpy.random.Generator or None
        Source of the masks; None means ``np.random.default_rng(0)``.

    Raises
    ------
    TypeError
        If ``p`` is not a real number or ``rng`` is not a Generator.
    ValueError
        If ``p`` lies outside [0, 1].

    Notes
    -----
    The book derives this in :ref:`norm-dropout`.
    """

    def __init__(self, p=0.5, rng=None):
        self.p = as_real(p, "p", 0, 1)
        rng = np.random.default_rng(0) if rng is None else rng
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"rng must be a numpy.random.Generator or None, "
                            f"got {type(rng).__name__}")
        self.rng = rng

    def forward(self, x):
        x = self._remember(as_array(x, "x"))
        if not self.training:
            self._mask = None
            return x
        self._mask = normalization.dropout_mask(x.shape, self.p, self.rng, x.dtype)
        return normalization.dropout(x, self._mask)

    def backward(self, dy):
        x = self._input()
        if self._mask is None:
            return check_upstream(dy, x.shape, "Dropout")
        return normalization.dropout_backward(check_upstream(dy, x.shape, "Dropout"), self._mask)

    def __repr__(self):
        return f"Dropout(p={self.p})"


class Residual(Layer):
    """A residual block: y = x + F(x), with F the given layers applied in order.

    The body F must map its input to an output of the same shape. The backward
    pass adds the identity path to F's: ``dx = dy + F.backward(dy)``.

    Parameters
    ----------
    *layers : Layer
        The body F, as for :class:`Sequential`.

    Raises
    ------
    TypeError
        If a layer is not a :class:`Layer`.
    ValueError
        In ``forward``, if F changes the shape of its input.

    Notes
    -----
    The book derives this in :ref:`norm-residual`.
    """

    def __init__(self, *layers):
        if not layers:
            raise ValueError("Residual needs at least one layer for its body F, got none")
        self.body = Sequential(*layers)

    def _children(self):
        return (self.body,)

    def parameters(self):
        return self.body.parameters()

    def forward(self, x):
        x = self._remember(as_array(x, "x"))
        fx = self.body.forward(x)
        if fx.shape != x.shape:
            raise ValueError(f"the residual body must keep the shape of its input {x.shape}, "
                             f"got an output of shape {fx.shape}; expected x + F(x) to be defined")
        return x + fx

    def backward(self, dy, input_grad=True):
        self._input()
        return dy + self.body.backward(dy)

    def __repr__(self):
        body = "\n".join(f"    {layer!r}" for layer in self.body.layers)
        return f"Residual(\n{body}\n  )"


class Adam(_Optimizer):
    """Adam, as ``torch.optim.Adam`` (weight decay added to the gradient, not AdamW).

    For each parameter p with gradient g, step t = 1, 2, ... computes::

        g <- g + weight_decay * p
        m <- beta1 m + (1 - beta1) g,        v <- beta2 v + (1 - beta2) g^2
        p <- p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)

    Parameters
    ----------
    parameters : iterable of Parameter
        What to train.
    lr : float > 0
        The step size.
    betas : pair of floats in [0, 1)
        Decay rates of the first and second moment estimates.
    eps : float >= 0
        Added to the denominator.
    weight_decay : float >= 0
        Added as ``weight_decay * p`` to every gradient.

    Raises
    ------
    TypeError
        If ``parameters`` holds something other than Parameters or a number is not real.
    ValueError
        If ``parameters`` is empty, a number is out of range, or ``betas`` is not a pair
        of numbers in [0, 1).

    Notes
    -----
    The book derives this in :ref:`norm-adam`.
    """

    def __init__(self, parameters, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(parameters)
        self.lr = as_real(lr, "lr", 0, low_open=True)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = tuple(as_real(b, f"betas[{i}]", 0, 1, high_open=True)
                           for i, b in enumerate(betas))
        self.eps = as_real(eps, "eps", 0)
        self.weight_decay = as_real(weight_decay, "weight_decay", 0)
        self.t = 0
        self.first = [np.zeros_like(p.data) for p in self.parameters]
        self.second = [np.zeros_like(p.data) for p in self.parameters]

    def step(self):
        """One Adam step for every parameter, from its stored gradient."""
        self.t += 1
        beta1, beta2 = self.betas
        step_size = self.lr / (1 - beta1 ** self.t)
        root_correction = (1 - beta2 ** self.t) ** 0.5
        for p, m, v in zip(self.parameters, self.first, self.second):
            g = self._gradient(p)
            m *= beta1
            m += (1 - beta1) * g
            v *= beta2
            v += (1 - beta2) * g * g
            p.data -= step_size * m / (np.sqrt(v) / root_correction + self.eps)


__all__ += ["BatchNorm1d", "BatchNorm2d", "Dropout", "Residual", "Adam"]
