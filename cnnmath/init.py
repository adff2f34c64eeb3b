"""Seeded initialisers for the weights of convolution and dense layers.

The scale of random weights decides whether signals keep their size as they pass
through many layers. For a layer with ``fan_in`` inputs per output:

* ``he_normal``: N(0, 2 / fan_in), which keeps the mean square of activations
  constant through ReLU layers (He et al., 2015);
* ``xavier_uniform``: U(-a, a) with a = sqrt(6 / (fan_in + fan_out)), which keeps
  the variance of both activations and gradients near one for tanh-like units
  (Glorot and Bengio, 2010);
* ``pytorch_uniform``: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), PyTorch's default for
  ``nn.Conv2d`` and ``nn.Linear`` (weights and biases).

For a weight array of shape ``(out, in, *kernel)``, fan_in = in * prod(kernel) and
fan_out = out * prod(kernel).
"""

import math

import numpy as np

from ._validation import as_int, check_choice

__all__ = ["fans", "initial_weights", "initial_bias"]

_SCHEMES = ("he_normal", "xavier_uniform", "pytorch_uniform")


def fans(shape):
    """Return ``(fan_in, fan_out)`` of a weight array.

    Parameters
    ----------
    shape : tuple of int
        ``(out, in, *kernel)``, at least 2 entries.

    Returns
    -------
    tuple of int
        ``(in * prod(kernel), out * prod(kernel))``.

    Raises
    ------
    TypeError
        If an entry of shape is not an int.
    ValueError
        If shape has fewer than 2 entries or an entry below 1.

    Notes
    -----
    The book derives this in :ref:`net-init`.
    """
    shape = tuple(as_int(n, "shape", minimum=1) for n in shape)
    if len(shape) < 2:
        raise ValueError(f"shape must have at least 2 dimensions (out, in, ...), got {shape}")
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def initial_weights(shape, scheme, rng, dtype=np.float64):
    """Draw a weight array with one of the three schemes.

    Parameters
    ----------
    shape : tuple of int
        ``(out, in, *kernel)``, as for ``fans``.
    scheme : {'he_normal', 'xavier_uniform', 'pytorch_uniform'}
    rng : numpy Generator
        So the same seed gives the same network.
    dtype : data type

    Returns
    -------
    ndarray, shape ``shape``

    Raises
    ------
    TypeError
        If rng is not a numpy Generator or shape holds a non-int.
    ValueError
        If scheme is unknown or shape is not a weight shape.

    Notes
    -----
    The book derives the scales in :ref:`net-init`.
    """
    check_choice(scheme, "scheme", _SCHEMES)
    _check_rng(rng)
    fan_in, fan_out = fans(shape)
    if scheme == "he_normal":
        w = rng.normal(0.0, math.sqrt(2.0 / fan_in), size=shape)
    elif scheme == "xavier_uniform":
        bound = math.sqrt(6.0 / (fan_in + fan_out))
        w = rng.uniform(-bound, bound, size=shape)
    else:
        bound = 1.0 / math.sqrt(fan_in)
        w = rng.uniform(-bound, bound, size=shape)
    return w.astype(dtype)


def initial_bias(size, fan_in, scheme, rng, dtype=np.float64):
    """Biases: zeros for He and Xavier, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for PyTorch's default.

    Parameters
    ----------
    size : int, >= 1
        The number of biases (output channels or features).
    fan_in : int, >= 1
        The layer's inputs per output.
    scheme : {'he_normal', 'xavier_uniform', 'pytorch_uniform'}
    rng : numpy Generator
    dtype : data type

    Returns
    -------
    ndarray, shape (size,)

    Raises
    ------
    TypeError
        If size or fan_in is not an int, or rng is not a numpy Generator.
    ValueError
        If scheme is unknown, or size or fan_in is below 1.

    Notes
    -----
    The book derives this in :ref:`net-init`.
    """
    check_choice(scheme, "scheme", _SCHEMES)
    _check_rng(rng)
    size = as_int(size, "size", minimum=1)
    fan_in = as_int(fan_in, "fan_in", minimum=1)
    if scheme == "pytorch_uniform":
        bound = 1.0 / math.sqrt(fan_in)
        return rng.uniform(-bound, bound, size=size).astype(dtype)
    return np.zeros(size, dtype=dtype)


def _check_rng(rng):
    """Require a NumPy random Generator (seeded by the caller)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {rng!r} of type "
                        f"{type(rng).__name__}")
