"""Batch normalisation and dropout, forward and backward.

Batch normalisation follows ``torch.nn.functional.batch_norm``: for each channel
``c`` the statistics are taken over every axis but the channel axis (the batch,
and the height and width of an image),

    x_hat = (x - mean_c) / sqrt(var_c + eps),    y = weight_c x_hat + bias_c,

with the batch's mean and *biased* variance in training and the running
estimates in evaluation. Training also moves the running estimates towards the
batch's, in place, with the *unbiased* variance:

    running_mean <- (1 - momentum) running_mean + momentum mean
    running_var  <- (1 - momentum) running_var  + momentum var * M / (M - 1)

where ``M`` is the number of values per channel. The statistics are accumulated in
float64 also for float32 input (a channel on a large offset would otherwise lose its
small variance to rounding in the mean); the outputs keep the input's dtype.

Dropout is inverted dropout: the mask carries the scale ``1 / (1 - p)``, so forward
and backward are both a product with it and evaluation is the identity.
"""

import numpy as np

from ._validation import as_array, as_int, as_real, check_flag, check_upstream

__all__ = ["batch_norm", "batch_norm_backward", "dropout_mask", "dropout", "dropout_backward"]


def _channel_axes(x):
    """The axes statistics are taken over: all but axis 1 (the channel)."""
    return (0,) + tuple(range(2, x.ndim))


def _as_input(x):
    x = as_array(x, "x")
    if x.ndim not in (2, 4):
        raise ValueError(
            f"x must have 2 dimensions (N, C) or 4 dimensions (N, C, H, W), "
            f"got shape {x.shape} ({x.ndim} dimensions)"
        )
    return x


def _per_channel(value, name, channels, required):
    """A (C,) array (running statistics, weight, bias) or None where allowed."""
    if value is None:
        if required:
            raise ValueError(f"{name} must be an array of shape ({channels},) when "
                             f"training=False, got None")
        return None
    value = as_array(value, name)
    if value.shape != (channels,):
        raise ValueError(f"{name} must have shape ({channels},), one entry per channel of x, "
                         f"got shape {value.shape}")
    return value


def _broadcast(v, x):
    """A per-channel vector shaped to broadcast against x: (C,) -> (1, C, 1, 1)."""
    return v.reshape((1, -1) + (1,) * (x.ndim - 2))


def _values_per_channel(x):
    return x.size // x.shape[1]


def _batch_statistics(x):
    """Mean and biased variance of every channel; refuses one value per channel."""
    m = _values_per_channel(x)
    if m < 2:
        raise ValueError(
            f"x must have more than 1 value per channel when training, got shape {x.shape} "
            f"({m} value per channel): its variance is 0/0; expected N * H * W >= 2"
        )
    axes = _channel_axes(x)
    wide = x.astype(np.float64)          # float32 input: statistics accumulated in float64
    mean = wide.mean(axis=axes)
    var = ((wide - _broadcast(mean, x)) ** 2).mean(axis=axes)
    return mean, var


def _check_running(running, name, channels, training):
    """Running statistics updated in place must be float NumPy arrays of shape (C,)."""
    if running is None:
        return None
    if training and not (isinstance(running, np.ndarray) and running.dtype.kind == "f"):
        raise TypeError(
            f"{name} must be a float NumPy array (it is updated in place when training), "
            f"got {type(running).__name__}"
            + (f" of dtype {running.dtype}" if isinstance(running, np.ndarray) else "")
        )
    return _per_channel(running, name, channels, required=False)


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """Batch normalisation, as ``torch.nn.functional.batch_norm``.

    Parameters
    ----------
    x : array_like, shape (N, C) or (N, C, H, W)
        The batch; channel ``c`` is ``x[:, c]``.
    running_mean, running_var : numpy.ndarray of shape (C,) or None
        Running estimates. Used (and required) when ``training`` is False; when
        ``training`` is True and they are given, they are updated in place with
        the batch's mean and unbiased variance.
    weight, bias : array_like of shape (C,) or None
        The affine map after normalising (gamma and beta); None means 1 and 0.
    training : bool
        Batch statistics (True) or running statistics (False).
    momentum : float in [0, 1]
        Weight of the current batch in the running estimates.
    eps : float > 0
        Added to the variance before the square root.

    Returns
    -------
    y : numpy.ndarray
        Same shape and dtype as ``x``.

    Raises
    ------
    TypeError
        If an array holds no real numbers, a flag is not a bool, or a running
        array to update in place is not a float NumPy array.
    ValueError
        If ``x`` is not 2- or 4-dimensional, a per-channel array has the wrong
        shape, running statistics are missing in evaluation, ``momentum`` or
        ``eps`` is out of range, or a training batch has one value per channel.

    Notes
    -----
    The book derives this in :ref:`norm-forward`.
    """
    x = _as_input(x)
    training = check_flag(training, "training")
    momentum = as_real(momentum, "momentum", 0, 1)
    eps = as_real(eps, "eps", 0, low_open=True)
    channels = x.shape[1]
    running_mean = _check_running(running_mean, "running_mean", channels, training)
    running_var = _check_running(running_var, "running_var", channels, training)
    if not training:
        _per_channel(running_mean, "running_mean", channels, required=True)
        _per_channel(running_var, "running_var", channels, required=True)
    weight = _per_channel(weight, "weight", channels, required=False)
    bias = _per_channel(bias, "bias", channels, required=False)

    if training:
        mean, var = _batch_statistics(x)
        m = _values_per_channel(x)
        if running_mean is not None:
            running_mean *= 1 - momentum
            running_mean += momentum * mean
        if running_var is not None:
            running_var *= 1 - momentum
            running_var += momentum * var * (m / (m - 1))
    else:
        mean, var = running_mean, running_var
    x_hat = (x - _broadcast(mean, x)) / np.sqrt(_broadcast(var, x) + eps)
    y = x_hat
    if weight is not None:
        y = y * _broadcast(weight, x)
    if bias is not None:
        y = y + _broadcast(bias, x)
    return y.astype(x.dtype, copy=False)


def batch_norm_backward(dy, x, running_mean, running_var, weight=None, training=False,
                        eps=1e-5):
    """Gradients of :func:`batch_norm` with respect to x, weight and bias.

    With ``M`` values per channel, ``sigma = sqrt(var + eps)`` and ``g = dy * weight``,
    in training (the batch statistics depend on x)::

        dx = (g - mean(g) - x_hat * mean(g * x_hat)) / sigma

    (means over each channel's ``M`` values); in evaluation ``dx = g / sigma``.
    In both, ``dweight = sum(dy * x_hat)`` and ``dbias = sum(dy)`` per channel.

    Parameters
    ----------
    dy : array_like
        Gradient of the loss with respect to the output; the shape of ``x``.
    x : array_like, shape (N, C) or (N, C, H, W)
        The forward pass's input.
    running_mean, running_var : array_like of shape (C,) or None
        The statistics the forward pass used in evaluation (required when
        ``training`` is False, ignored otherwise; the backward pass does not
        update them).
    weight : array_like of shape (C,) or None
        gamma; None means 1.
    training : bool
        Whether the forward pass used batch statistics.
    eps : float > 0
        As in the forward pass.

    Returns
    -------
    dx : numpy.ndarray
        The shape of ``x``.
    dweight, dbias : numpy.ndarray
        Shape (C,) each; returned even when the forward had no weight or bias.

    Raises
    ------
    TypeError
        If an array holds no real numbers or ``training`` is not a bool.
    ValueError
        As :func:`batch_norm`, and if ``dy`` does not have the shape of ``x``.

    Notes
    -----
    The book derives this in :ref:`norm-backward`.
    """
    x = _as_input(x)
    dy = check_upstream(dy, x.shape, "batch_norm")
    training = check_flag(training, "training")
    eps = as_real(eps, "eps", 0, low_open=True)
    channels = x.shape[1]
    weight = _per_channel(weight, "weight", channels, required=False)
    axes = _channel_axes(x)
    if training:
        mean, var = _batch_statistics(x)
    else:
        mean = _per_channel(running_mean, "running_mean", channels, required=True)
        var = _per_channel(running_var, "running_var", channels, required=True)
    sigma = np.sqrt(_broadcast(var, x) + eps)
    x_hat = (x - _broadcast(mean, x)) / sigma
    dbias = dy.sum(axis=axes)
    dweight = (dy * x_hat).sum(axis=axes)
    g = dy if weight is None else dy * _broadcast(weight, x)
    if training:
        g_mean = g.mean(axis=axes)
        gx_mean = (g * x_hat).mean(axis=axes)
        dx = (g - _broadcast(g_mean, x) - x_hat * _broadcast(gx_mean, x)) / sigma
    else:
        dx = g / sigma
    dtype = np.result_type(x, dy)
    return dx.astype(dtype, copy=False), dweight.astype(dtype), dbias.astype(dtype)


def dropout_mask(shape, p, rng, dtype=np.float64):
    """A random inverted-dropout mask: each entry 0 with probability p, else 1 / (1 - p).

    Parameters
    ----------
    shape : tuple of int
        The shape of the activations to drop.
    p : float in [0, 1]
        Probability of dropping an entry. With ``p = 1`` every entry is 0.
    rng : numpy.random.Generator
        The source of randomness (required, so that every mask is reproducible).
    dtype : numpy dtype
        float64 or float32.

    Returns
    -------
    mask : numpy.ndarray
        Of the given shape and dtype; its entries have expectation 1.

    Raises
    ------
    TypeError
        If ``rng`` is not a ``numpy.random.Generator``, ``p`` is not a real number
        or ``shape`` holds something other than ints.
    ValueError
        If ``p`` lies outside [0, 1] or a size is negative.

    Notes
    -----
    The book derives this in :ref:`norm-dropout`.
    """
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)):
        raise TypeError(f"shape must be a tuple of ints, got {shape!r} of type "
                        f"{type(shape).__name__}")
    shape = tuple(as_int(n, "shape", minimum=0) for n in shape)
    p = as_real(p, "p", 0, 1)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), "
                        f"got {type(rng).__name__}")
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"dtype must be a float dtype (float32 or float64), got {dtype}")
    keep = rng.random(shape) >= p
    scale = 0.0 if p == 1 else 1.0 / (1.0 - p)
    return (keep * scale).astype(dtype)


def _check_mask(mask, shape, what):
    mask = as_array(mask, "mask")
    if mask.shape != shape:
        raise ValueError(f"mask must have the shape of {what} {shape}, got {mask.shape}")
    return mask


def dropout(x, mask):
    """Inverted dropout with a given mask: ``y = x * mask``.

    Draw the mask with :func:`dropout_mask` in training; in evaluation dropout is
    the identity, so do not call this at all. The same mask serves the backward
    pass (:func:`dropout_backward`).

    Parameters
    ----------
    x : array_like
        Activations of any shape.
    mask : array_like
        The shape of ``x``; entries 0 or ``1 / (1 - p)``.

    Returns
    -------
    y : numpy.ndarray
        ``x * mask``, the shape of ``x``.

    Raises
    ------
    TypeError
        If ``x`` or ``mask`` holds no real numbers.
    ValueError
        If ``mask`` does not have the shape of ``x``.

    Notes
    -----
    The book derives this in :ref:`norm-dropout`.
    """
    x = as_array(x, "x")
    mask = _check_mask(mask, x.shape, "x")
    return (x * mask).astype(np.result_type(x, mask), copy=False)


def dropout_backward(dy, mask):
    """Gradient of :func:`dropout`: ``dx = dy * mask``, through the forward pass's mask.

    Parameters
    ----------
    dy : array_like
        Gradient of the loss with respect to the output.
    mask : array_like
        The mask of the forward pass; the shape of ``dy``.

    Returns
    -------
    dx : numpy.ndarray
        The shape of ``dy``.

    Raises
    ------
    TypeError
        If ``dy`` or ``mask`` holds no real numbers.
    ValueError
        If ``mask`` does not have the shape of ``dy``.

    Notes
    -----
    The book derives this in :ref:`norm-dropout`.
    """
    dy = as_array(dy, "dy")
    mask = _check_mask(mask, dy.shape, "dy")
    return dy * mask
