"""Tests for cnnmath.losses.

Oracles, all independent of the code under test:

* SymPy: for each loss and each reduction the total loss is written over an
  array of input *symbols* (targets are numbers), differentiated with respect
  to every symbol, and evaluated with 50-digit mpmath. Values and gradients
  must agree to a relative 1e-12. For reduction='none' each element's (row's,
  distribution's) loss is differentiated with respect to its own inputs.
* Central differences (float64), relative error <= 1e-7, for every reduction.
* Hand-worked values at the extremes (logits +-1000, probabilities 0 and 1).
"""

import math

import mpmath
import numpy as np
import pytest
import sympy as sp

import cnnmath
from cnnmath import losses
from cnnmath.gradcheck import check_backward

mpmath.mp.dps = 50
REDUCTIONS = ("mean", "sum", "none")


def exact_number(value):
    """A float as an exact SymPy number (Float from a Python float keeps its binary value)."""
    return sp.Float(float(value), 50)


def sympy_oracle(individual_losses, symbols, values, reduction):
    """Value and gradient of a reduced loss, computed by SymPy and mpmath.

    individual_losses : list of SymPy expressions, one per element/row/distribution.
    symbols : the input symbols, flat, in the order of the input array.
    values : the input array at which to evaluate.
    Returns (value, gradient) as float64 arrays; for 'none' the gradient holds
    each individual loss differentiated with respect to its own symbols.
    """
    at = [mpmath.mpf(float(v)) for v in np.ravel(values)]
    if reduction == "none":
        value = np.array([float(sp.lambdify(symbols, e, "mpmath")(*at)) for e in individual_losses])
        total = sp.Add(*individual_losses)  # own-input derivatives: each symbol is in one loss only
    else:
        total = sp.Add(*individual_losses)
        if reduction == "mean":
            total = total / len(individual_losses)
        value = np.array(float(sp.lambdify(symbols, total, "mpmath")(*at)))
    grad = [float(sp.lambdify(symbols, sp.diff(total, s), "mpmath")(*at)) for s in symbols]
    return value, np.reshape(grad, np.shape(values))


def close(actual, expected):
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=1e-14)


# --- Elementwise losses ---------------------------------------------------------------

x_, t_ = sp.symbols("x t", real=True)
sigma_ = 1 / (1 + sp.exp(-x_))

# name -> (per-element SymPy loss in x (input) and t (target), input and target samplers)
ELEMENTWISE = {
    "mse": ((x_ - t_) ** 2, "normal", "normal"),
    "l2": ((x_ - t_) ** 2, "normal", "normal"),
    "mae": (sp.Abs(x_ - t_), "normal", "normal"),
    "l1": (sp.Abs(x_ - t_), "normal", "normal"),
    "msle": ((sp.log(1 + x_) - sp.log(1 + t_)) ** 2, "positive", "positive"),
    "mape": (100 * sp.Abs((t_ - x_) / t_), "normal", "normal"),
    "binary_cross_entropy": (-(t_ * sp.log(x_) + (1 - t_) * sp.log(1 - x_)), "unit", "unit"),
    "binary_cross_entropy_with_logits": (
        -(t_ * sp.log(sigma_) + (1 - t_) * sp.log(1 - sigma_)), "normal", "unit"),
}


def sample(kind, rng, shape=(2, 3)):
    if kind == "normal":
        return rng.normal(scale=2, size=shape)
    if kind == "positive":
        return rng.uniform(0, 5, size=shape)
    return rng.uniform(0.02, 0.98, size=shape)


def elementwise_case(name, seed=0):
    expr, input_kind, target_kind = ELEMENTWISE[name]
    rng = np.random.default_rng(seed)
    return expr, sample(input_kind, rng), sample(target_kind, rng)


def loss_pair(name):
    return getattr(losses, name), getattr(losses, name + "_backward")


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_elementwise_losses_match_sympy(name, reduction):
    expr, x, target = elementwise_case(name)
    symbols = sp.symbols(f"x0:{x.size}", real=True)
    individual = [expr.subs({x_: s, t_: exact_number(v)}) for s, v in zip(symbols, target.ravel())]
    value, grad = sympy_oracle(individual, symbols, x, reduction)
    loss, loss_backward = loss_pair(name)
    expected = value.reshape(x.shape) if reduction == "none" else value
    close(loss(x, target, reduction=reduction), expected)
    close(loss_backward(x, target, reduction=reduction), grad)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_elementwise_losses_central_differences(name, reduction):
    _, x, target = elementwise_case(name, seed=1)
    loss, loss_backward = loss_pair(name)
    # With 'none', sum(G * losses) has gradient G * (each loss's own gradient).
    check_backward(lambda z: loss(z, target, reduction),
                   lambda g, z: g * loss_backward(z, target, reduction), [x], rng=2)


def test_default_reductions():
    x, t = np.array([1.0, 2.0, 4.0]), np.array([0.0, 0.0, 0.0])
    assert losses.mse(x, t) == pytest.approx(21 / 3)
    assert losses.l2(x, t) == pytest.approx(21.0)  # the L2 loss is the sum of squares
    assert losses.mae(x, t) == pytest.approx(7 / 3)
    np.testing.assert_array_equal(losses.l2_backward(x, t), 2 * x)
    assert losses.l1 is losses.mae and losses.l1_backward is losses.mae_backward


def test_hand_worked_values():
    assert losses.mape(np.array([110.0, 45.0]), np.array([100.0, 50.0])) == pytest.approx(10.0)
    assert losses.msle(np.array([np.e - 1]), np.array([0.0])) == pytest.approx(1.0)
    # |input - target| has no derivative at 0; like PyTorch we use sign(0) = 0.
    np.testing.assert_array_equal(losses.mae_backward(np.ones(2), np.ones(2), "none"), 0.0)


# --- Binary cross-entropy at the extremes ---------------------------------------------

def test_binary_cross_entropy_at_probabilities_zero_and_one():
    p = np.array([0.0, 0.0, 1.0, 1.0])
    y = np.array([0.0, 1.0, 0.0, 1.0])
    # Each log is clamped at -100: a certain wrong answer costs 100, a certain right one 0.
    np.testing.assert_array_equal(losses.binary_cross_entropy(p, y, "none"), [0, 100, 100, 0])
    grad = losses.binary_cross_entropy_backward(p, y, "none")
    assert np.all(np.isfinite(grad))
    np.testing.assert_array_equal(grad, (p - y) / 1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_binary_cross_entropy_with_logits_at_extremes(dtype):
    z = np.array([1000.0, 1000.0, -1000.0, -1000.0, 0.0], dtype=dtype)
    y = np.array([1.0, 0.0, 1.0, 0.0, 0.5], dtype=dtype)
    loss = losses.binary_cross_entropy_with_logits(z, y, "none")
    grad = losses.binary_cross_entropy_with_logits_backward(z, y, "none")
    assert loss.dtype == dtype and grad.dtype == dtype
    np.testing.assert_allclose(loss, [0, 1000, 1000, 0, math.log(2)], rtol=1e-6)
    np.testing.assert_array_equal(grad, [0, 1, -1, 0, 0])


def test_binary_cross_entropy_with_logits_keeps_small_losses_accurate():
    # The loss of a confident right answer is softplus(-z) ~ exp(-z); writing it as
    # softplus(z) - z would round it to 0.
    np.testing.assert_allclose(
        losses.binary_cross_entropy_with_logits(np.array([40.0]), np.array([1.0]), "none"),
        [np.exp(-40.0)], rtol=1e-14)


# --- Cross-entropy --------------------------------------------------------------------

def cross_entropy_case(kind, seed=0, n=3, c=4):
    rng = np.random.default_rng(seed)
    logits = rng.normal(scale=2, size=(n, c))
    if kind == "indices":
        target = rng.integers(0, c, size=n)
    else:
        target = rng.dirichlet(np.ones(c), size=n)
        target[0] = [0.0, 1.0, 0.0, 0.0][:c] if c == 4 else target[0]
    return logits, target


def sympy_cross_entropy_rows(symbols, target, n, c):
    z = sp.Matrix(n, c, symbols)
    rows = []
    for i in range(n):
        log_total = sp.log(sum(sp.exp(z[i, j]) for j in range(c)))
        if np.ndim(target) == 1:
            rows.append(log_total - z[i, int(target[i])])
        else:
            rows.append(sum(exact_number(target[i, j]) * (log_total - z[i, j]) for j in range(c)))
    return rows


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("kind", ["indices", "probabilities"])
def test_cross_entropy_matches_sympy(kind, reduction):
    logits, target = cross_entropy_case(kind)
    n, c = logits.shape
    symbols = sp.symbols(f"z0:{n * c}", real=True)
    rows = sympy_cross_entropy_rows(symbols, target, n, c)
    value, grad = sympy_oracle(rows, symbols, logits, reduction)
    close(losses.cross_entropy(logits, target, reduction), value)
    close(losses.cross_entropy_backward(logits, target, reduction), grad)


def test_cross_entropy_gradient_is_softmax_minus_onehot_for_every_class_count():
    """The famous identity, symbolically, for C = 2..5 classes."""
    for c in range(2, 6):
        z = sp.symbols(f"z0:{c}", real=True)
        total = sum(sp.exp(zi) for zi in z)
        for label in range(c):
            loss = sp.log(total) - z[label]
            for j in range(c):
                onehot = 1 if j == label else 0
                assert sp.simplify(sp.diff(loss, z[j]) - (sp.exp(z[j]) / total - onehot)) == 0


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("kind", ["indices", "probabilities"])
def test_cross_entropy_central_differences(kind, reduction):
    logits, target = cross_entropy_case(kind, seed=1, n=4, c=5)

    def backward(g, z):  # with 'none', g holds one weight per row
        g = g[:, None] if reduction == "none" else g
        return g * losses.cross_entropy_backward(z, target, reduction)

    check_backward(lambda z: losses.cross_entropy(z, target, reduction), backward, [logits], 2)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_soft_targets_that_do_not_sum_to_one(reduction):
    """Rows of weights (label smoothing gone wrong, unnormalised counts) are allowed; the
    exact gradient is then softmax * sum(target) - target, not softmax - target."""
    logits = np.random.default_rng(3).normal(size=(3, 4))
    target = np.array([[0.2, 0.3, 0.1, 0.1], [1.0, 0.5, 0.0, 0.5], [0.0, 0.0, 0.0, 0.3]])
    n, c = logits.shape
    symbols = sp.symbols(f"z0:{n * c}", real=True)
    value, grad = sympy_oracle(sympy_cross_entropy_rows(symbols, target, n, c), symbols,
                               logits, reduction)
    close(losses.cross_entropy(logits, target, reduction), value)
    close(losses.cross_entropy_backward(logits, target, reduction), grad)


def test_cross_entropy_hand_worked_and_extreme():
    expected = math.log(math.exp(1) + math.exp(2) + math.exp(3)) - 3
    assert losses.cross_entropy(np.array([[1.0, 2.0, 3.0]]), np.array([2])) == pytest.approx(
        expected, rel=1e-15)
    logits = np.array([[1000.0, -1000.0], [1000.0, 1001.0]])
    loss = losses.cross_entropy(logits, np.array([1, 0]), "none")
    np.testing.assert_allclose(loss, [2000.0, math.log1p(math.e)], rtol=1e-14)
    grad = losses.cross_entropy_backward(logits, np.array([1, 0]), "none")
    assert np.all(np.isfinite(grad))
    np.testing.assert_allclose(grad[0], [1.0, -1.0])
    soft = np.array([[0.0, 1.0], [0.5, 0.5]])
    assert np.all(np.isfinite(losses.cross_entropy(logits, soft, "none")))
    # Class indices and the matching one-hot probabilities are the same loss.
    onehot = np.eye(2)[[1, 0]]
    np.testing.assert_allclose(losses.cross_entropy(logits, onehot, "none"), loss, rtol=1e-14)


# --- KL divergence --------------------------------------------------------------------

def kl_case(seed=0):
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(np.ones(4), size=3)
    p[1, 2] = 0.0  # a zero probability: its term is 0 log 0 = 0
    p[1] /= p[1].sum()
    q = rng.dirichlet(np.ones(4), size=3)
    return p, q


def sympy_kl_rows(p_entries, q_entries, n, c):
    """sum over the entries with p > 0 of p log(p / q), one expression per row."""
    rows = []
    for i in range(n):
        pairs = [(p_entries[i * c + j], q_entries[i * c + j]) for j in range(c)]
        terms = [p * (sp.log(p) - sp.log(q)) for p, q in pairs if not p.is_zero]
        rows.append(sp.Add(*terms))
    return rows


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_kl_divergence_matches_sympy_in_q(reduction):
    p, q = kl_case()
    symbols = sp.symbols(f"q0:{q.size}", positive=True)
    rows = sympy_kl_rows([exact_number(v) for v in p.ravel()], symbols, *p.shape)
    value, grad = sympy_oracle(rows, symbols, q, reduction)
    close(losses.kl_divergence(p, q, reduction=reduction), value)
    close(losses.kl_divergence_backward(p, q, reduction=reduction), grad)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_kl_divergence_matches_sympy_in_p(reduction):
    p, q = kl_case(seed=1)
    p[1] = [0.1, 0.2, 0.3, 0.4]  # strictly positive: the derivative in p is -inf at 0
    symbols = sp.symbols(f"p0:{p.size}", positive=True)
    rows = sympy_kl_rows(symbols, [exact_number(v) for v in q.ravel()], *p.shape)
    value, grad = sympy_oracle(rows, symbols, p, reduction)
    close(losses.kl_divergence(p, q, reduction=reduction), value)
    close(losses.kl_divergence_backward(p, q, reduction=reduction, wrt="p"), grad)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_kl_divergence_central_differences_along_axis_0(reduction):
    p, q = kl_case(seed=2)
    p, q = p.T.copy(), q.T.copy()  # distributions in the columns
    # With 'none', g holds one weight per distribution (column), which broadcasts down axis 0.
    check_backward(lambda z: losses.kl_divergence(p, z, 0, reduction),
                   lambda g, z: g * losses.kl_divergence_backward(p, z, 0, reduction), [q], 3)


def test_kl_divergence_special_values():
    p = np.array([0.5, 0.5, 0.0])
    assert losses.kl_divergence(p, p) == 0.0
    assert losses.kl_divergence(p, np.array([0.5, 0.0, 0.5])) == np.inf
    assert losses.kl_divergence(np.array([0.0, 1.0]), np.array([0.0, 1.0])) == 0.0
    np.testing.assert_array_equal(losses.kl_divergence_backward(p, np.array([0.25, 0.75, 0.0])),
                                  [-2.0, -0.5 / 0.75, 0.0])
    both_zero = np.array([0.5, 0.5, 0.0]), np.array([0.5, 0.5, 0.0])
    np.testing.assert_array_equal(losses.kl_divergence_backward(*both_zero), [-1.0, -1.0, 0.0])
    np.testing.assert_array_equal(losses.kl_divergence_backward(*both_zero, wrt="p"),
                                  [1.0, 1.0, -np.inf])
    with_zero_q = np.array([0.5, 0.5]), np.array([1.0, 0.0])
    np.testing.assert_array_equal(losses.kl_divergence_backward(*with_zero_q), [-0.5, -np.inf])
    np.testing.assert_array_equal(losses.kl_divergence_backward(*with_zero_q, wrt="p"),
                                  [1 + np.log(0.5), np.inf])
    # Asymmetry: D(p || q) != D(q || p).
    a, b = np.array([0.9, 0.1]), np.array([0.5, 0.5])
    assert losses.kl_divergence(a, b) == pytest.approx(0.9 * math.log(1.8) + 0.1 * math.log(0.2))
    assert losses.kl_divergence(a, b) != pytest.approx(losses.kl_divergence(b, a))


# --- dtypes and top-level names -------------------------------------------------------

@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_float32_is_preserved(name):
    _, x, target = elementwise_case(name)
    loss, loss_backward = loss_pair(name)
    x32, t32 = x.astype(np.float32), target.astype(np.float32)
    assert loss(x32, t32).dtype == np.float32
    assert loss_backward(x32, t32).dtype == np.float32
    x64, t64 = x32.astype(np.float64), t32.astype(np.float64)
    np.testing.assert_allclose(loss(x32, t32), loss(x64, t64), rtol=1e-5)


def test_top_level_exports():
    for name in list(ELEMENTWISE) + ["cross_entropy", "kl_divergence"]:
        assert getattr(cnnmath, name) is getattr(losses, name)
        assert getattr(cnnmath, name + "_backward") is getattr(losses, name + "_backward")


# --- Argument names -------------------------------------------------------------------

def keyword_cases():
    """(name, input, target) for every loss with the contract's (input, target) signature."""
    for name in ELEMENTWISE:
        _, x, target = elementwise_case(name)
        yield name, x, target
    for kind in ("indices", "probabilities"):
        logits, target = cross_entropy_case(kind)
        yield "cross_entropy", logits, target


@pytest.mark.parametrize("name, x, target", list(keyword_cases()))
def test_losses_take_input_and_target_by_keyword(name, x, target):
    # The naming rule of losses.py: the prediction is `input`, the truth `target`, as in
    # torch.nn.functional, for the loss and its backward alike.
    loss, loss_backward = loss_pair(name)
    for reduction in REDUCTIONS:
        by_keyword = loss(input=x, target=target, reduction=reduction)
        np.testing.assert_array_equal(by_keyword, loss(x, target, reduction))
        np.testing.assert_array_equal(loss_backward(target=target, input=x, reduction=reduction),
                                      loss_backward(x, target, reduction))


def test_kl_divergence_keeps_the_formula_names():
    # The one exception to the rule: D(p || q), with p the reference distribution.
    p, q = kl_case()
    assert losses.kl_divergence(q=q, p=p) == losses.kl_divergence(p, q)
    assert losses.kl_divergence(p, q) != losses.kl_divergence(q, p)
    with pytest.raises(TypeError, match="input"):
        losses.kl_divergence(input=q, target=p)


# --- Bad input ------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_shape_mismatch_and_reduction_errors(name):
    loss, loss_backward = loss_pair(name)
    with pytest.raises(ValueError, match=r"must have the same shape, got \(2, 3\) and \(3,\)"):
        loss(np.full((2, 3), 0.5), np.full(3, 0.5))
    with pytest.raises(ValueError, match=r"must have the same shape, got \(3,\) and \(3, 1\)"):
        loss_backward(np.full(3, 0.5), np.full((3, 1), 0.5))
    reduction_message = "reduction must be one of 'mean', 'sum', 'none', got 'avg'"
    with pytest.raises(ValueError, match=reduction_message):
        loss(np.full(3, 0.5), np.full(3, 0.5), reduction="avg")
    with pytest.raises(ValueError, match="must not be empty"):
        loss(np.zeros(0), np.zeros(0))
    with pytest.raises(TypeError, match="must be an array"):
        loss("abc", np.full(3, 0.5))


def test_domain_errors():
    with pytest.raises(ValueError, match=r"input must lie in \[0, 1\] \(a probability\)"):
        losses.binary_cross_entropy(np.array([0.5, 1.2]), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"target must lie in \[0, 1\]"):
        losses.binary_cross_entropy_with_logits(np.array([0.5, 1.2]), np.array([0.0, 2.0]))
    with pytest.raises(ValueError, match=r"input must lie in .* and NaN"):
        losses.binary_cross_entropy_backward(np.array([np.nan, 0.5]), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"target must be nonzero for mape .* at index \(1,\)"):
        losses.mape(np.array([1.0, 2.0]), np.array([1.0, 0.0]))
    with pytest.raises(ValueError, match=r"input must be > -1 for msle"):
        losses.msle_backward(np.array([-1.0]), np.array([0.0]))
    with pytest.raises(ValueError, match=r"q must lie in \[0, inf\]"):
        losses.kl_divergence(np.array([0.5, 0.5]), np.array([1.5, -0.5]))
    with pytest.raises(ValueError, match="wrt must be one of 'q', 'p'"):
        losses.kl_divergence_backward(np.array([0.5, 0.5]), np.array([0.5, 0.5]), wrt="x")
    with pytest.raises(ValueError, match=r"axis must be in \[-1, 0\]"):
        losses.kl_divergence(np.array([0.5, 0.5]), np.array([0.5, 0.5]), axis=1)


def test_cross_entropy_target_errors():
    logits = np.zeros((2, 3))
    range_message = r"class indices must be in \[0, 2\] for 3 classes, got values from 0 to 3"
    with pytest.raises(ValueError, match=range_message):
        losses.cross_entropy(logits, np.array([0, 3]))
    with pytest.raises(ValueError, match=r"class indices must be in \[0, 2\].*from -1"):
        losses.cross_entropy_backward(logits, np.array([-1, 0]))
    with pytest.raises(ValueError, match=r"must have shape \(N,\) = \(2,\) .* got shape \(3,\)"):
        losses.cross_entropy(logits, np.array([0, 1, 2]))
    with pytest.raises(ValueError, match=r"class indices must have an integer dtype"):
        losses.cross_entropy(logits, np.array([0.0, 1.0]))
    with pytest.raises(TypeError, match="got dtype bool"):
        losses.cross_entropy(logits, np.array([True, False]))
    with pytest.raises(ValueError, match=r"target must lie in \[0, 1\] \(probabilities\)"):
        losses.cross_entropy(logits, np.full((2, 3), 2.0))
    with pytest.raises(ValueError, match="input must have 2 dimensions"):
        losses.cross_entropy(np.zeros(3), np.array([0]))
