"""cnnmath and PyTorch (CPU, float64) compute the same network to 1e-10.

PyTorch is a test-only dependency (requirements-test.txt); `make test` installs it.
"""

import numpy as np
import pytest
import torch

import cnnmath
from cnnmath.models import cifar10_network


def torch_copy(model):
    """The same CIFAR-10 network in PyTorch, with cnnmath's weights copied in."""
    net = torch.nn.Sequential(
        torch.nn.Conv2d(3, 6, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(6, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(),
        torch.nn.Linear(400, 120), torch.nn.ReLU(),
        torch.nn.Linear(120, 84), torch.nn.ReLU(),
        torch.nn.Linear(84, 10),
    ).double()
    theirs = dict(net.named_parameters())
    with torch.no_grad():
        for name, p in model.named_parameters():
            theirs[name].copy_(torch.from_numpy(p.data))
    return net


def test_cifar10_network_matches_pytorch():
    rng = np.random.default_rng(0)
    model = cifar10_network(rng)
    x = rng.normal(size=(4, 3, 32, 32))
    y = np.array([3, 0, 9, 3])

    logits = model.forward(x)
    loss = cnnmath.cross_entropy(logits, y)
    dx = model.backward(cnnmath.cross_entropy_backward(logits, y))

    net = torch_copy(model)
    x_t = torch.from_numpy(x).requires_grad_(True)
    logits_t = net(x_t)
    loss_t = torch.nn.functional.cross_entropy(logits_t, torch.from_numpy(y))
    loss_t.backward()

    np.testing.assert_allclose(logits, logits_t.detach().numpy(), rtol=0, atol=1e-10)
    assert loss == pytest.approx(loss_t.item(), abs=1e-10)
    np.testing.assert_allclose(dx, x_t.grad.numpy(), rtol=0, atol=1e-10)
    theirs = dict(net.named_parameters())
    for name, p in model.named_parameters():
        np.testing.assert_allclose(p.grad, theirs[name].grad.numpy(), rtol=0, atol=1e-10,
                                   err_msg=name)


def test_cifar10_network_has_62006_parameters():
    model = cifar10_network()
    assert sum(p.data.size for p in model.parameters()) == 62006
    assert sum(p.numel() for p in torch_copy(model).parameters()) == 62006
