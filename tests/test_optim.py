"""SGD and Adam against their defining formulas (PyTorch's verdict is in test_torch_agreement).

Each test computes the update another way: the gradient of an explicit L2 penalty for
weight decay, the closed forms of momentum on a constant gradient, Adam's first step.
"""

import numpy as np
import pytest

from cnnmath import nn


def parameter(values, grad):
    p = nn.Parameter(np.array(values, dtype=float), "p")
    p.grad = np.array(grad, dtype=float)
    return p


def test_weight_decay_is_the_gradient_of_half_lambda_times_the_squared_norm():
    rng = np.random.default_rng(0)
    w, g, lam, lr = rng.normal(size=5), rng.normal(size=5), 0.3, 0.1
    decayed = parameter(w, g)
    nn.SGD([decayed], lr=lr, weight_decay=lam).step()
    # d/dw (lam / 2) ||w||^2 = lam w, by central differences of the penalty itself
    penalty = lambda v: lam / 2 * np.sum(v ** 2)
    h = 1e-6
    penalty_grad = np.array([(penalty(w + h * e) - penalty(w - h * e)) / (2 * h)
                             for e in np.eye(5)])
    explicit = parameter(w, g + penalty_grad)
    nn.SGD([explicit], lr=lr).step()
    np.testing.assert_allclose(decayed.data, explicit.data, rtol=1e-9)


def test_momentum_on_a_constant_gradient_is_a_geometric_series():
    """v_t = (1 - mu^t) / (1 - mu) g, so after T steps p moved lr g sum_t v_t / g."""
    mu, lr, steps = 0.9, 0.01, 7
    p = parameter([0.0], [1.0])
    opt = nn.SGD([p], lr=lr, momentum=mu)
    for _ in range(steps):
        opt.step()
    expected = -lr * sum((1 - mu ** t) / (1 - mu) for t in range(1, steps + 1))
    np.testing.assert_allclose(p.data, [expected], rtol=1e-12)


def test_nesterov_looks_ahead_by_one_momentum_step():
    mu, lr = 0.5, 0.1
    plain, ahead = parameter([0.0], [1.0]), parameter([0.0], [1.0])
    nn.SGD([plain], lr=lr, momentum=mu).step()
    nn.SGD([ahead], lr=lr, momentum=mu, nesterov=True).step()
    # first step: v = g; plain moves lr g, Nesterov lr (g + mu v) = lr (1 + mu) g
    np.testing.assert_allclose(plain.data, [-lr])
    np.testing.assert_allclose(ahead.data, [-lr * (1 + mu)])


def test_adam_first_step_has_length_lr_in_every_coordinate():
    """After bias correction m_hat = g and v_hat = g^2, so the step is lr * sign(g)."""
    g = np.array([1e-4, -3.0, 250.0])
    p = parameter(np.zeros(3), g)
    nn.Adam([p], lr=0.01, eps=0.0).step()
    np.testing.assert_allclose(p.data, -0.01 * np.sign(g), rtol=1e-12)


@pytest.mark.parametrize("make", [lambda ps: nn.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.1,
                                                     nesterov=True),
                                  lambda ps: nn.Adam(ps, lr=0.1, weight_decay=0.1)])
def test_optimizers_keep_float32_parameters_float32(make):
    p = nn.Parameter(np.ones(4, np.float32), "p")
    p.grad = np.full(4, 0.5, np.float32)
    opt = make([p])
    for _ in range(3):
        opt.step()
    assert p.data.dtype == np.float32


def test_optimizers_minimise_a_quadratic():
    target = np.array([1.0, -2.0, 3.0])
    for make in (lambda ps: nn.SGD(ps, lr=0.1, momentum=0.9, nesterov=True),
                 lambda ps: nn.Adam(ps, lr=0.1)):
        p = nn.Parameter(np.zeros(3), "p")
        opt = make([p])
        for _ in range(500):
            p.grad = p.data - target
            opt.step()
        np.testing.assert_allclose(p.data, target, atol=1e-3)
