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

For a weight array of shape (out, in, *kernel), fan_in = in * prod(kernel) and
fan_out = out * prod(kernel).
"""

import math

import numpy as np

from ._validation import check_choice

SCHEMES = ("he_normal", "xavier_uniform", "pytorch_uniform")


def fans(shape):
    """Return ``(fan_in, fan_out)`` of a weight array of shape (out, in, *kernel)."""
    shape = tuple(shape)
    if len(shape) < 2:
        raise ValueError(f"shape must have at least 2 dimensions (out, in, ...), got {shape}")
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def initial_weights(shape, scheme, rng, dtype=np.float64):
    """Draw a weight array of ``shape`` with one of the :data:`SCHEMES`.

    ``rng`` is a ``numpy.random.Generator``, so the same seed gives the same network.
    """
    check_choice(scheme, "scheme", SCHEMES)
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
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
    """Biases: zeros for He and Xavier, U(+-1/sqrt(fan_in)) for PyTorch's default."""
    check_choice(scheme, "scheme", SCHEMES)
    if scheme == "pytorch_uniform":
        bound = 1.0 / math.sqrt(fan_in)
        return rng.uniform(-bound, bound, size=size).astype(dtype)
    return np.zeros(size, dtype=dtype)
