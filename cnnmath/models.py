"""The two networks of the book, built from :mod:`cnnmath.nn` layers."""

import numpy as np

from . import nn


def cifar10_network(rng=None, dtype=np.float64):
    """The small CIFAR-10 network of PyTorch's tutorial, as in the sources.

    (N, 3, 32, 32) -> conv 6@5x5, ReLU, max pool 2 -> (N, 6, 14, 14)
    -> conv 16@5x5, ReLU, max pool 2 -> (N, 16, 5, 5) -> flatten 400
    -> linear 120, ReLU -> linear 84, ReLU -> linear 10 (logits).
    62,006 parameters, initialised as PyTorch does by default.
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
    """
    rng = np.random.default_rng(0) if rng is None else rng
    return nn.Sequential(
        nn.Conv2d(1, channels, 3, padding=1, init=init, rng=rng, dtype=dtype), nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(channels * 4 * 4, hidden, init=init, rng=rng, dtype=dtype), nn.ReLU(),
        nn.Linear(hidden, 10, init=init, rng=rng, dtype=dtype),
    )
