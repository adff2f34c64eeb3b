"""The residual block y = x + F(x): its gradient, its identity path, its modes."""

import numpy as np
import pytest

import cnnmath
from cnnmath import nn, training


def block(rng, width=4):
    return nn.Residual(nn.Linear(width, width, rng=rng), nn.ReLU(),
                       nn.Linear(width, width, rng=rng))


def test_a_residual_network_passes_the_whole_network_gradient_check():
    rng = np.random.default_rng(0)
    # no bias right before the batch norm: its gradient is exactly 0 (a shift is normalised
    # away), and a relative error of rounding noise against 0 means nothing
    model = nn.Sequential(nn.Linear(3, 4, bias=False, rng=rng), nn.BatchNorm1d(4), block(rng),
                          block(rng), nn.Linear(4, 5, rng=rng))
    x, y = rng.normal(size=(6, 3)), np.array([0, 4, 2, 1, 3, 0])
    results = training.check_model_gradients(model, cnnmath.cross_entropy,
                                             cnnmath.cross_entropy_backward, x, y)
    assert len(results) == 1 + len(model.parameters())


def test_the_identity_path_passes_the_gradient_through_when_the_body_is_silent():
    """With F's last weights at zero, F(x) = 0 and dx = dy exactly: the identity path."""
    rng = np.random.default_rng(1)
    res = block(rng)
    res.body[2].weight.data[:] = 0
    res.body[2].bias.data[:] = 0
    x, dy = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    np.testing.assert_array_equal(res.forward(x), x)
    np.testing.assert_array_equal(res.backward(dy), dy)


def test_the_body_must_keep_the_shape():
    res = nn.Residual(nn.Linear(4, 3))
    with pytest.raises(ValueError, match=r"keep the shape of its input \(2, 4\)"):
        res.forward(np.zeros((2, 4)))


def test_deep_residual_stacks_keep_the_gradient_alive():
    """At depth 30 with small weights, the plain stack's input gradient all but vanishes."""
    def stack(residual, depth=30, width=8, seed=0):
        rng = np.random.default_rng(seed)
        layers = []
        for _ in range(depth):
            body = [nn.Linear(width, width, init="he_normal", rng=rng), nn.ReLU()]
            for layer in body[:1]:
                layer.weight.data *= 0.3
            layers.append(nn.Residual(*body) if residual else nn.Sequential(*body))
        return nn.Sequential(*layers)

    x = np.random.default_rng(1).normal(size=(4, 8))
    norms = {}
    for residual in (False, True):
        model = stack(residual)
        y = model.forward(x)
        norms[residual] = np.linalg.norm(model.backward(np.ones_like(y)))
    assert norms[True] > 1e6 * norms[False]
