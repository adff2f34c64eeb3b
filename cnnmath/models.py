"""The two networks of the book, built from ``cnnmath.nn`` layers."""

import numpy as np

from . import nn

__all__ = ["cifar10_network", "digits_network"]


def cifar10_network(rng=None, dtype=np.float64):
    """The small CIFAR-10 network of PyTorch's tutorial, as in the sources.

    (N, 3, 32, 32) -> conv 6@5x5, ReLU, max pool 2 -> (N, 6, 14, 14)
    -> conv 16@5x5, ReLU, max pool 2 -> (N, 16, 5, 5) -> flatten 400
    -> linear 120, ReLU -> linear 84, ReLU -> linear 10 (logits).
    62,006 parameters, initialised as PyTorch does by default.

    Parameters
    ----------
    rng : numpy Generator, optional
        The source of the initial weights; ``np.random.default_rng(0)`` if None.
    dtype : data type
        float64 or float32.

    Returns
    -------
    Sequential
        Input (N, 3, 32, 32), output (N, 10).

    Raises
    ------
    TypeError
        If rng is not a numpy Generator.

    Notes
    -----
    The book builds it in :ref:`net-cifar`, its shapes in :ref:`size-cifar`.
    """
    rng = np.random.default_rng(0) if rng is None else rng
    return nn.Sequential(
        nn.Conv2d(3, 6, 5, rng=rng, dtype=dtype), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5, rng=rng, dtype=dtype), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120, rng=rng, dtype=dtype), nn.ReLU(),
        nn.Linear(120, 84, rng=rng, dtype=dtype), nn.ReLU(),
        nn.Linear(84, 10, rng=rng, dtype=dtype),
    )


def digits_network(channels=8, hidden=64, rng=None, dtype=np.float64, init="he_normal"):
    """The source paper's network, sized for 8x8 grayscale digits.

    (N, 1, 8, 8) -> conv ``channels``@3x3, stride 1, padding 1, ReLU
    -> max pool 2 -> (N, channels, 4, 4) -> flatten -> linear ``hidden``, ReLU
    -> linear 10 (logits; softmax or sigmoid is applied by the loss).

    Parameters
    ----------
    channels, hidden : int, >= 1
        The conv layer's output channels and the hidden dense layer's width.
    rng : numpy Generator, optional
        The source of the initial weights; ``np.random.default_rng(0)`` if None.
    dtype : data type
        float64 or float32.
    init : {'he_normal', 'xavier_uniform', 'pytorch_uniform'}

    Returns
    -------
    Sequential
        Input (N, 1, 8, 8), output (N, 10).

    Raises
    ------
    TypeError
        If channels or hidden is not an int, or rng is not a numpy Generator.
    ValueError
        If channels or hidden is below 1, or init is unknown.

    Notes
    -----
    The book trains it in :ref:`net-training`.
    """
    rng = np.random.default_rng(0) if rng is None else rng
    return nn.Sequential(
        nn.Conv2d(1, channels, 3, padding=1, init=init, rng=rng, dtype=dtype), nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(channels * 4 * 4, hidden, init=init, rng=rng, dtype=dtype), nn.ReLU(),
        nn.Linear(hidden, 10, init=init, rng=rng, dtype=dtype),
    )
