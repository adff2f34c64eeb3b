"""Tests for cnnmath.shapes.

The size formulas are never checked against themselves:

* Enumeration: for every n <= 16, k <= 7, p <= 4, s <= 5, d <= 3, the real
  operations (cnnmath.conv2d, conv_transpose2d, max/avg/lp pooling) either
  refuse the configuration exactly when the formula does, or produce an
  output of exactly the formula's length. conv2d sizes its output by its own
  arithmetic (slicing windows); conv_transpose2d and the pooling functions size
  theirs with the formulas, so their sizes are also compared with walks:
  ``stamped_length`` places the transposed convolution's kernel stamps, and
  ``walk_windows`` places pooling windows one by one following PyTorch's rule in
  words.
* Receptive fields: the set of input pixels with a nonzero gradient for one
  output pixel of a stack of layers.
* Parameter and MAC counts: hand-worked numbers (the CIFAR-10 network of the
  PyTorch tutorial has 62006 parameters), and the sum of a convolution of
  ones with ones, which counts its multiply-accumulates.
"""

import itertools

import numpy as np
import pytest

import cnnmath
from cnnmath import shapes

GRID = dict(n=range(1, 17), k=range(1, 8), p=range(0, 5), s=range(1, 6), d=range(1, 4))


def grid(*names):
    return itertools.product(*(GRID[name] for name in names))


def outcome(function, *args, **kwargs):
    """What a call gives: its result, or the class of the ValueError it raises."""
    try:
        return function(*args, **kwargs)
    except ValueError:
        return ValueError


def walk_windows(n, k, s, p, d, ceil_mode):
    """Count pooling windows by placing them at 0, s, 2s, ... on the padded input.

    A window never starts in the right padding. In floor mode it must fit
    inside the padded input. In ceil mode one window may also hang over the
    end, provided the position one stride earlier would not yet have reached
    the end (so it covers something nothing else covers).
    """
    span, end = d * (k - 1) + 1, n + 2 * p
    count, start = 0, 0
    while start < n + p:
        if start + span <= end or (ceil_mode and start - s + span < end):
            count += 1
            start += s
        else:
            break
    return count or ValueError


def stamped_length(n, k, s, p, output_padding, d):
    """The length of a transposed convolution, by walking its definition.

    Input pixel i stamps the kernel's k taps, d apart, from position i s; the output is
    every position a stamp reaches, less p at each end, plus output_padding at the end.
    PyTorch refuses output_padding >= both s and d, and an output of length < 1.
    """
    if output_padding >= s and output_padding >= d:
        return ValueError
    reached = {i * s + t * d for i in range(n) for t in range(k)}
    length = max(reached) + 1 - 2 * p + output_padding
    return length if length >= 1 else ValueError


def column(n):
    """An (N, C, H, W) input of height n and width 1: the enumeration varies one axis."""
    return np.random.default_rng(n).standard_normal((1, 1, n, 1))


# --- enumeration ----------------------------------------------------------------------


def test_conv_output_size_matches_conv2d_on_the_whole_grid():
    checked = 0
    for n, k, p, s, d in grid("n", "k", "p", "s", "d"):
        formula = outcome(cnnmath.conv_output_size, n, k, s, p, d)
        y = outcome(cnnmath.conv2d, column(n), np.ones((1, 1, k, 1)),
                    stride=(s, 1), padding=(p, 0), dilation=(d, 1))
        assert (formula is ValueError) == (y is ValueError), (n, k, p, s, d)
        if y is not ValueError:
            assert y.shape == (1, 1, formula, 1), (n, k, p, s, d)
            checked += 1
    assert checked > 5000


def test_conv_transpose_output_size_matches_conv_transpose2d_on_the_whole_grid():
    checked = 0
    for n, k, p, s, d in grid("n", "k", "p", "s", "d"):
        for output_padding in range(max(s, d) + 1):   # the last value is always refused
            args = dict(stride=(s, 1), padding=(p, 0), output_padding=(output_padding, 0),
                        dilation=(d, 1))
            formula = outcome(cnnmath.conv_transpose_output_size, n, k, s, p, output_padding, d)
            y = outcome(cnnmath.conv_transpose2d, column(n), np.ones((1, 1, k, 1)), **args)
            walked = stamped_length(n, k, s, p, output_padding, d)
            assert formula == walked, (n, k, p, s, d, output_padding)
            assert (formula is ValueError) == (y is ValueError), (n, k, p, s, d, output_padding)
            if y is ValueError:
                continue
            assert y.shape == (1, 1, walked, 1)
            # conv2d with the same arguments maps the length back to n, provided
            # output_padding < stride (PyTorch also accepts output_padding < dilation,
            # which yields lengths no strided conv2d could have come from).
            if output_padding < s:
                assert cnnmath.conv_output_size(formula, k, s, p, d) == n
            checked += 1
    assert checked > 10000


@pytest.mark.parametrize("ceil_mode", [False, True])
def test_pool_output_size_matches_max_pool2d_and_the_window_walk(ceil_mode):
    checked = 0
    for n, k, p, s, d in grid("n", "k", "p", "s", "d"):
        formula = outcome(cnnmath.pool_output_size, n, k, s, p, d, ceil_mode)
        if p > k // 2:
            assert formula is ValueError
            continue
        assert formula == walk_windows(n, k, s, p, d, ceil_mode), (n, k, p, s, d)
        y = outcome(cnnmath.max_pool2d, column(n), (k, 1), (s, 1), (p, 0), (d, 1), ceil_mode)
        assert (y is ValueError) == (formula is ValueError)
        if y is not ValueError:
            assert y.shape == (1, 1, formula, 1)
            checked += 1
    assert checked > 1500


@pytest.mark.parametrize("ceil_mode", [False, True])
def test_pool_output_size_matches_avg_and_lp_pooling(ceil_mode):
    for n, k, p, s in grid("n", "k", "p", "s"):
        if p > k // 2:
            continue
        formula = outcome(cnnmath.pool_output_size, n, k, s, p, 1, ceil_mode)
        assert formula == walk_windows(n, k, s, p, 1, ceil_mode)
        y = outcome(cnnmath.avg_pool2d, column(n), (k, 1), (s, 1), (p, 0), ceil_mode)
        assert (y is ValueError) == (formula is ValueError)
        if y is not ValueError:
            assert y.shape == (1, 1, formula, 1)
        if p == 0:
            y = outcome(cnnmath.lp_pool2d, np.abs(column(n)), 2, (k, 1), (s, 1), ceil_mode)
            assert (y is ValueError) == (formula is ValueError)
            if y is not ValueError:
                assert y.shape == (1, 1, formula, 1)


def test_same_padding_keeps_the_size_for_every_kernel_and_dilation():
    for n, k, d in grid("n", "k", "d"):
        before, after = cnnmath.same_padding(k, d)
        assert before + after == d * (k - 1) and after - before in (0, 1)
        x = column(n)
        padded = np.concatenate([np.zeros((1, 1, before, 1)), x, np.zeros((1, 1, after, 1))],
                                axis=2)
        y = outcome(cnnmath.conv2d, padded, np.ones((1, 1, k, 1)), dilation=(d, 1))
        if y is not ValueError:
            assert y.shape == x.shape
            np.testing.assert_allclose(y, cnnmath.conv2d(x, np.ones((1, 1, k, 1)),
                                                         padding="same", dilation=(d, 1)))


# --- hand-worked sizes ----------------------------------------------------------------


@pytest.mark.parametrize("args, expected", [
    ((32, 5), 28), ((5, 3, 2, 1), 3), ((6, 3, 2, 1), 3), ((5, 4, 1, 2), 6), ((7, 3, 1, 0, 2), 3),
    ((224, 7, 2, 3), 112), ((5, 3, 1, 2), 7),
])
def test_conv_output_size_hand_values(args, expected):
    assert cnnmath.conv_output_size(*args) == expected


def test_pool_output_size_hand_values():
    assert cnnmath.pool_output_size(28, 2) == 14
    assert cnnmath.pool_output_size(5, 2) == 2
    assert cnnmath.pool_output_size(5, 2, ceil_mode=True) == 3
    assert cnnmath.pool_output_size(112, 3, 2, 1) == 56
    # ceil would give 3 windows, but the third would start in the right padding:
    assert cnnmath.pool_output_size(2, 2, 2, 1, ceil_mode=True) == 2
    # PyTorch keeps one window that hangs over by less than a stride:
    assert cnnmath.pool_output_size(2, 3, 3, ceil_mode=True) == 1


def test_conv_transpose_output_size_hand_values():
    assert cnnmath.conv_transpose_output_size(3, 3, 2, 1) == 5
    assert cnnmath.conv_transpose_output_size(3, 3, 2, 1, 1) == 6
    assert cnnmath.conv_transpose_output_size(2, 3) == 4


def test_same_padding_hand_values():
    assert cnnmath.same_padding(3) == (1, 1)
    assert cnnmath.same_padding(4) == (1, 2)
    assert cnnmath.same_padding(4, 3) == (4, 5)
    assert cnnmath.same_padding(1) == (0, 0)


@pytest.mark.parametrize("call, message", [
    (lambda: cnnmath.conv_output_size(4, 5), "kernel_size=5 with dilation=1 spans 5"),
    (lambda: cnnmath.conv_output_size(4, 3, 1, 0, 2), "spans 5 positions"),
    (lambda: cnnmath.conv_output_size(4, 3, stride=0), "stride must be >= 1, got 0"),
    (lambda: cnnmath.conv_output_size(4, 3, dilation=0), "dilation must be >= 1"),
    (lambda: cnnmath.conv_output_size(4, 3, padding=-1), "padding must be >= 0, got -1"),
    (lambda: cnnmath.conv_output_size(0, 1), "n must be >= 1"),
    (lambda: cnnmath.conv_transpose_output_size(4, 3, 2, 0, 2), "output_padding must be smaller"),
    (lambda: cnnmath.conv_transpose_output_size(1, 1, 1, 1), "removes the whole output"),
    (lambda: cnnmath.pool_output_size(8, 3, padding=2), "padding must be at most half"),
    (lambda: cnnmath.pool_output_size(2, 3), "kernel_size=3"),
    (lambda: cnnmath.receptive_field([{"kernel": 3}]), "layers\\[0\\] must be a mapping"),
])
def test_impossible_configurations_raise_named_errors(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_non_integers_are_type_errors():
    with pytest.raises(TypeError, match="kernel_size"):
        cnnmath.conv_output_size(5, 2.0)
    with pytest.raises(TypeError, match="ceil_mode"):
        cnnmath.pool_output_size(5, 2, ceil_mode=1)


# --- receptive field ------------------------------------------------------------------

STACKS = [
    [dict(kernel_size=3), dict(kernel_size=3)],
    [dict(kernel_size=3, stride=2, padding=1), dict(kernel_size=3, stride=2, padding=1),
     dict(kernel_size=3)],
    [dict(kernel_size=2, dilation=2), dict(kernel_size=3, dilation=3),
     dict(kernel_size=2, stride=2)],
    [dict(kernel_size=5), dict(kernel_size=2, stride=2), dict(kernel_size=5),
     dict(kernel_size=2, stride=2)],
]


def dependence(layers, n, index):
    """Input rows whose gradient is nonzero for output row ``index`` of a stack of
    convolutions with positive weights on a positive input (no cancellation)."""
    xs = [np.random.default_rng(0).uniform(1, 2, (1, 1, n, 1))]
    weights = [np.ones((1, 1, layer["kernel_size"], 1)) for layer in layers]
    args = [dict(stride=(layer.get("stride", 1), 1), padding=(layer.get("padding", 0), 0),
                 dilation=(layer.get("dilation", 1), 1)) for layer in layers]
    for w, a in zip(weights, args):
        xs.append(cnnmath.conv2d(xs[-1], w, **a))
    grad = np.zeros_like(xs[-1])
    grad[0, 0, index, 0] = 1.0
    for x, w, a in reversed(list(zip(xs[:-1], weights, args))):
        grad = cnnmath.conv2d_backward(grad, x, w, **a)[0]
    return np.flatnonzero(grad[0, 0, :, 0])


@pytest.mark.parametrize("layers", STACKS)
def test_receptive_field_is_where_the_gradient_is_nonzero(layers):
    n = 40
    out = n
    for layer in layers:
        out = cnnmath.conv_output_size(out, layer["kernel_size"], layer.get("stride", 1),
                                       layer.get("padding", 0), layer.get("dilation", 1))
    for index in range(out):
        first, last = cnnmath.receptive_field_span(layers, index)
        rows = dependence(layers, n, index)
        assert rows.min() == max(first, 0) and rows.max() == min(last, n - 1)
        if first >= 0 and last < n:
            assert last - first + 1 == cnnmath.receptive_field(layers)


def test_receptive_field_hand_values():
    assert cnnmath.receptive_field([dict(kernel_size=3)] * 3) == 7
    assert cnnmath.receptive_field([dict(kernel_size=3, dilation=2)]) == 5
    assert cnnmath.receptive_field(STACKS[3]) == 16   # 5 + 1*1 + 4*2 + 1*2


# --- parameters, MACs -----------------------------------------------------------------


def test_parameter_counts_of_the_cifar10_network():
    counts = [cnnmath.conv2d_parameter_count(3, 6, 5), cnnmath.conv2d_parameter_count(6, 16, 5),
              cnnmath.linear_parameter_count(400, 120), cnnmath.linear_parameter_count(120, 84),
              cnnmath.linear_parameter_count(84, 10)]
    assert counts == [456, 2416, 48120, 10164, 850]
    assert sum(counts) == 62006
    assert cnnmath.conv2d_parameter_count(3, 6, (5, 3), bias=False) == 270


@pytest.mark.parametrize("c_in, c_out, k, n", [(3, 6, 5, 32), (2, 4, (3, 2), 7), (1, 1, 1, 1)])
def test_macs_count_the_products_of_a_convolution(c_in, c_out, k, n):
    # Convolving ones with ones adds 1 for every multiply-accumulate.
    k_h, k_w = (k, k) if isinstance(k, int) else k
    y = cnnmath.conv2d(np.ones((1, c_in, n, n)), np.ones((c_out, c_in, k_h, k_w)))
    assert cnnmath.conv2d_macs(c_in, c_out, k, y.shape[2:]) == y.sum()
    assert cnnmath.linear_macs(400, 120) == cnnmath.linear(np.ones(400), np.ones((120, 400))).sum()


def test_module_is_small_and_documented():
    for name in ("conv_output_size", "conv_transpose_output_size", "pool_output_size",
                 "same_padding", "receptive_field", "receptive_field_span",
                 "conv2d_parameter_count", "linear_parameter_count", "conv2d_macs", "linear_macs"):
        assert getattr(shapes, name).__doc__, name
