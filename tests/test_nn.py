"""Layers, the container, SGD and initialisers of cnnmath.nn.

Oracles: the loop references (forward), central differences (backward of a whole
network), hand-worked numbers (SGD with momentum), and the laws of large numbers
(initialiser scales).
"""

import numpy as np
import pytest

import cnnmath
from cnnmath import nn, reference, training
from cnnmath.init import fans, initial_weights


def small_paper_network(rng, dtype=np.float64):
    """The source paper's network in miniature: conv (padding 1), ReLU, max pool, two dense."""
    return nn.Sequential(
        nn.Conv2d(1, 3, 3, padding=1, rng=rng, dtype=dtype),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(3 * 3 * 3, 8, rng=rng, dtype=dtype),
        nn.Sigmoid(),
        nn.Linear(8, 4, rng=rng, dtype=dtype),
    )


def test_conv2d_layer_forward_matches_the_loop_reference():
    rng = np.random.default_rng(0)
    layer = nn.Conv2d(2, 3, (3, 2), stride=2, padding=1, dilation=1, rng=rng)
    x = rng.normal(size=(2, 2, 7, 6))
    expected = reference.conv2d(x, layer.weight.data, layer.bias.data, stride=2, padding=1)
    np.testing.assert_allclose(layer(x), expected, rtol=0, atol=1e-12)


def test_linear_layer_forward_is_x_w_transpose_plus_b():
    rng = np.random.default_rng(1)
    layer = nn.Linear(5, 3, rng=rng)
    x = rng.normal(size=(4, 5))
    w, b = layer.weight.data, layer.bias.data
    expected = [[sum(x[n, i] * w[o, i] for i in range(5)) + b[o] for o in range(3)]
                for n in range(4)]
    np.testing.assert_allclose(layer(x), expected, rtol=0, atol=1e-12)


def test_flatten_is_row_major_and_its_backward_restores_the_shape():
    x = np.arange(24.0).reshape(2, 3, 2, 2)
    flat = nn.Flatten()
    y = flat.forward(x)
    assert y.shape == (2, 12)
    assert y[1, 5] == x[1, 1, 0, 1]
    assert flat.backward(np.ones((2, 12))).shape == x.shape


def test_whole_network_gradient_check():
    rng = np.random.default_rng(0)
    model = small_paper_network(rng)
    x = rng.normal(size=(3, 1, 6, 6))
    y = np.array([0, 3, 1])
    results = training.check_model_gradients(model, cnnmath.cross_entropy,
                                             cnnmath.cross_entropy_backward, x, y, tol=1e-6)
    names = [name for name, _ in results]
    assert names == ["input", "0.weight", "0.bias", "4.weight", "4.bias", "6.weight", "6.bias"]
    assert max(check.error for _, check in results) <= 1e-6


def test_backward_without_the_input_gradient_stores_the_same_parameter_gradients():
    rng = np.random.default_rng(2)
    model = small_paper_network(rng)
    x, y = rng.normal(size=(4, 1, 6, 6)), np.array([0, 3, 1, 2])
    dlogits = cnnmath.cross_entropy_backward(model.forward(x), y)
    dx = model.backward(dlogits)
    full = [p.grad.copy() for p in model.parameters()]
    for p in model.parameters():
        p.grad = None
    assert model.backward(dlogits, input_grad=False) is None
    assert dx.shape == x.shape
    for (name, p), expected in zip(model.named_parameters(), full):
        np.testing.assert_array_equal(p.grad, expected, err_msg=name)


class _Recorder(nn.Layer):
    """A parameterless layer that records its backward calls."""

    def __init__(self):
        self.calls = 0

    def forward(self, x):
        return x

    def backward(self, dy):
        self.calls += 1
        return dy


def test_backward_without_the_input_gradient_skips_the_layers_below_the_parameters():
    rng = np.random.default_rng(3)
    below, above = _Recorder(), _Recorder()
    linear = nn.Linear(3, 2, rng=rng)
    model = nn.Sequential(below, nn.ReLU(), linear, above)
    x = rng.normal(size=(5, 3))
    dy = np.ones((5, 2))
    model.forward(x)
    assert model.backward(dy, input_grad=False) is None
    assert (below.calls, above.calls) == (0, 1)
    np.testing.assert_allclose(linear.weight.grad, dy.T @ np.maximum(x, 0), atol=1e-15)
    assert model.backward(dy).shape == x.shape and below.calls == 1
    # no parameters at all: nothing to compute
    bare = nn.Sequential(_Recorder())
    bare.forward(x)
    assert bare.backward(dy, input_grad=False) is None and bare.layers[0].calls == 0


@pytest.mark.parametrize("flag", [0, 1, "no", None])
def test_backward_input_grad_must_be_a_bool(flag):
    model = nn.Sequential(nn.Linear(3, 2))
    model.forward(np.ones((1, 3)))
    with pytest.raises(TypeError, match=r"input_grad must be True or False, got"):
        model.backward(np.ones((1, 2)), input_grad=flag)


def test_first_conv_layer_without_input_gradient_matches_the_loops():
    rng = np.random.default_rng(4)
    layer = nn.Conv2d(2, 3, 3, padding=1, rng=rng)
    x = rng.normal(size=(2, 2, 5, 4))
    dy = rng.normal(size=(2, 3, 5, 4))
    layer.forward(x)
    assert layer.backward(dy, input_grad=False) is None
    _, dw, db = reference.conv2d_backward(dy, x, layer.weight.data, padding=1)
    np.testing.assert_allclose(layer.weight.grad, dw, atol=1e-12)
    np.testing.assert_allclose(layer.bias.grad, db, atol=1e-12)


def test_gradient_check_catches_a_wrong_backward():
    rng = np.random.default_rng(0)
    model = small_paper_network(rng)
    model.layers[1] = nn.Sigmoid()  # forward is sigmoid ...
    model.layers[1].backward = lambda dy: dy  # ... but backward claims identity
    x, y = rng.normal(size=(2, 1, 6, 6)), np.array([1, 2])
    with pytest.raises(AssertionError, match="gradient check failed"):
        training.check_model_gradients(model, cnnmath.cross_entropy,
                                       cnnmath.cross_entropy_backward, x, y)


def test_sgd_with_momentum_by_hand():
    # minimise f(p) = p^2 / 2 from p = 1: gradient g = p; lr 0.1, momentum 0.9
    p = nn.Parameter(np.array([1.0]), "p")
    opt = nn.SGD([p], lr=0.1, momentum=0.9)
    p.grad = p.data.copy()
    opt.step()  # v = 1, p = 1 - 0.1 = 0.9
    assert p.data[0] == pytest.approx(0.9, abs=1e-15)
    p.grad = p.data.copy()
    opt.step()  # v = 0.9 * 1 + 0.9 = 1.8, p = 0.9 - 0.18 = 0.72
    assert p.data[0] == pytest.approx(0.72, abs=1e-15)


def test_training_reduces_the_loss_on_a_separable_problem():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 1, 4, 4))
    y = (x[:, 0, :2].sum(axis=(1, 2)) > x[:, 0, 2:].sum(axis=(1, 2))).astype(np.int64)
    model = nn.Sequential(nn.Flatten(), nn.Linear(16, 2, rng=rng))
    opt = nn.SGD(model.parameters(), lr=0.5, momentum=0.5)
    before = cnnmath.cross_entropy(model.forward(x), y)
    for _ in range(20):
        training.train_epoch(model, cnnmath.cross_entropy, cnnmath.cross_entropy_backward, opt,
                             x, y, 16, rng)
    assert cnnmath.cross_entropy(model.forward(x), y) < 0.5 * before
    assert training.accuracy(training.predict(model, x), y) >= 0.95


def test_initialiser_scales():
    rng = np.random.default_rng(0)
    shape = (64, 32, 3, 3)
    fan_in, fan_out = fans(shape)
    assert (fan_in, fan_out) == (32 * 9, 64 * 9)
    he = initial_weights(shape, "he_normal", rng)
    assert he.std() == pytest.approx(np.sqrt(2 / fan_in), rel=0.02)
    xavier = initial_weights(shape, "xavier_uniform", rng)
    bound = np.sqrt(6 / (fan_in + fan_out))
    assert np.abs(xavier).max() <= bound and np.abs(xavier).max() > 0.99 * bound
    torch_default = initial_weights(shape, "pytorch_uniform", rng)
    assert np.abs(torch_default).max() <= 1 / np.sqrt(fan_in)


def test_layers_are_seeded_and_keep_float32():
    a = nn.Conv2d(1, 2, 3, rng=np.random.default_rng(5))
    b = nn.Conv2d(1, 2, 3, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    model = small_paper_network(np.random.default_rng(0), dtype=np.float32)
    out = model.forward(np.zeros((1, 1, 6, 6), dtype=np.float32))
    assert out.dtype == np.float32


@pytest.mark.parametrize(
    "make, error, words",
    [
        (lambda: nn.Conv2d(0, 2, 3), ValueError, "in_channels"),
        (lambda: nn.Linear(3, 2.5), TypeError, "out_features"),
        (lambda: nn.Conv2d(1, 2, 3, init="zeros"), ValueError, "scheme"),
        (lambda: nn.Sequential(nn.ReLU(), "relu"), TypeError, "layer 1"),
        (lambda: nn.SGD([nn.Parameter(np.zeros(1), "p")], lr=0), ValueError, "lr"),
        (lambda: nn.SGD([nn.Parameter(np.zeros(1), "p")], lr=0.1, momentum=1.0), ValueError,
         "momentum"),
        (lambda: nn.ReLU().backward(np.ones(3)), RuntimeError, "before forward"),
        (lambda: nn.Conv2d(1, 2, (3, 3, 3)), ValueError, "kernel_size"),
        (lambda: nn.Conv2d(1, 2, 3, stride=0), ValueError, "stride must be >= 1, got 0"),
        (lambda: nn.Conv2d(1, 2, 3, stride=2, padding="same"), ValueError,
         "padding='same' needs stride 1"),
        (lambda: nn.Conv2d(1, 2, 3, padding="half"), ValueError, "padding must be one of"),
        (lambda: nn.MaxPool2d(2, padding=-1), ValueError, "padding must be >= 0, got -1"),
        (lambda: nn.MaxPool2d(2, ceil_mode=1), TypeError, "ceil_mode must be True or False"),
        (lambda: nn.AvgPool2d(0), ValueError, "kernel_size must be >= 1, got 0"),
        (lambda: nn.SGD([nn.Parameter(np.zeros(1), "p")], lr=True), TypeError, "lr"),
        (lambda: training.accuracy(np.zeros((3, 2)), np.zeros(4)), ValueError, "labels"),
    ],
)
def test_bad_arguments(make, error, words):
    with pytest.raises(error, match=words):
        make()
