"""Loss functions and their gradients with respect to the prediction.

Every loss has the signature ``loss(input, target, reduction='mean')``, where
``input`` is the prediction, and a partner ``loss_backward`` with the same
arguments that returns d loss / d input, an array shaped like ``input``.

``reduction`` works as in ``torch.nn.functional``:

``'none'``  the loss of each element (for ``cross_entropy``, of each row; for
            ``kl_divergence``, of each distribution); the backward then gives
            each of those losses differentiated with respect to its own input.
``'sum'``   the sum of those losses; the backward is the same array.
``'mean'``  their mean; the backward is that array divided by their count.

Inputs and targets must have the same shape: nothing is broadcast silently.
Logarithms are taken in the stable ways: log-softmax for cross-entropy, and
softplus for binary cross-entropy on logits.
"""

import numpy as np

from ._validation import as_array, as_int, check_choice, check_same_shape
from .activations import log_softmax, sigmoid, softmax, softplus

REDUCTIONS = ("mean", "sum", "none")

# PyTorch's binary_cross_entropy clamps each log at -100, so a probability of
# exactly 0 or 1 costs at most 100 instead of infinity, and divides its
# gradient by max(p (1 - p), 1e-12). We do the same.
BCE_LOG_FLOOR = -100.0
BCE_GRAD_EPS = 1e-12


# --- Shared plumbing ----------------------------------------------------------

def _pair(input, target, input_name="input", target_name="target"):
    """Convert a prediction and its target to arrays of one shape (no broadcasting)."""
    input = as_array(input, input_name)
    target = as_array(target, target_name)
    check_same_shape(input, input_name, target, target_name)
    if input.size == 0:
        raise ValueError(f"{input_name} must not be empty, got shape {input.shape}")
    return input, target


def _reduce(losses, reduction):
    """Apply a reduction to the array of individual losses."""
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    return losses


def _scale(grad, reduction, count):
    """Turn the gradient of each individual loss into the gradient of the reduced loss.

    'sum' and 'none' leave it as it is; 'mean' divides by the number ``count``
    of individual losses.
    """
    return grad / count if reduction == "mean" else grad


def _reduction(reduction):
    return check_choice(reduction, "reduction", REDUCTIONS)


def _require_in_range(x, name, low, high, why):
    """Require low <= x <= high (high may be None) and no NaN, naming the offender."""
    nan = np.isnan(x)
    numbers = x[~nan]
    if nan.any() or np.any(numbers < low) or (high is not None and np.any(numbers > high)):
        upper = "inf" if high is None else high
        seen = f"values from {numbers.min()} to {numbers.max()}" if numbers.size else "no numbers"
        if nan.any():
            seen += " and NaN"
        raise ValueError(f"{name} must lie in [{low}, {upper}] ({why}), got {seen}")


# --- Regression losses ------------------------------------------------------------

def mse(input, target, reduction="mean"):
    """Mean squared error: (input - target)**2, reduced. Any shape, same for both."""
    reduction = _reduction(reduction)
    input, target = _pair(input, target)
    return _reduce((input - target) ** 2, reduction)


def mse_backward(input, target, reduction="mean"):
    """d/d input of ``mse``: 2 (input - target), divided by the count for 'mean'."""
    reduction = _reduction(reduction)
    input, target = _pair(input, target)
    return _scale(2 * (input - target), reduction, input.size)


def l2(input, target, reduction="sum"):
    """L2 loss: the *sum* of squared errors (so the default reduction is 'sum').

    With reduction='mean' it is ``mse``; the two names exist because the
    literature uses both.
    """
    return mse(input, target, reduction)


def l2_backward(input, target, reduction="sum"):
    """d/d input of ``l2``: 2 (input - target) (divided by the count for 'mean')."""
    return mse_backward(input, target, reduction)


def mae(input, target, reduction="mean"):
    """Mean absolute error (the L1 loss): |input - target|, reduced."""
    reduction = _reduction(reduction)
    input, target = _pair(input, target)
    return _reduce(np.abs(input - target), reduction)


def mae_backward(input, target, reduction="mean"):
    """d/d input of ``mae``: sign(input - target), which is 0 where they are equal (as PyTorch)."""
    reduction = _reduction(reduction)
    input, target = _pair(input, target)
    return _scale(np.sign(input - target), reduction, input.size)


l1 = mae
l1_backward = mae_backward


def msle(input, target, reduction="mean"):
    """Mean squared logarithmic error: (log(1 + input) - log(1 + target))**2, reduced.

    It compares ratios, not differences: predicting 110 for 100 costs about as
    much as predicting 1.1 for 1. Both arrays must be > -1.
    """
    reduction = _reduction(reduction)
    input, target = _pair(input, target)
    _check_log1p_domain(input, target)
    return _reduce((np.log1p(input) - np.log1p(target)) ** 2, reduction)


def msle_backward(input, target, reduction="mean"):
    """d/d input of ``msle``: 2 (log1p(input) - log1p(target)) / (1 + input)."""
    reduction = _reduction(reduction)
    input, target = _pair(input, target)
    _check_log1p_domain(input, target)
    grad = 2 * (np.log1p(input) - np.log1p(target)) / (1 + input)
    return _scale(grad, reduction, input.size)


def _check_log1p_domain(input, target):
    for x, name in ((input, "input"), (target, "target")):
        if not np.all(x > -1):  # also catches NaN
            raise ValueError(
                f"{name} must be > -1 for msle (it takes log(1 + {name})), got values "
                f"from {np.min(x)} to {np.max(x)}"
            )


def mape(input, target, reduction="mean"):
    """Mean absolute percentage error: 100 |(target - input) / target|, reduced.

    In percent. Undefined where a target is 0, so zero targets are an error.
    """
    reduction = _reduction(reduction)
    input, target = _pair(input, target)
    _check_nonzero(target)
    return _reduce(100 * np.abs((target - input) / target), reduction)


def mape_backward(input, target, reduction="mean"):
    """d/d input of ``mape``: 100 sign(input - target) / |target|."""
    reduction = _reduction(reduction)
    input, target = _pair(input, target)
    _check_nonzero(target)
    return _scale(100 * np.sign(input - target) / np.abs(target), reduction, input.size)


def _check_nonzero(target):
    zeros = np.argwhere(target == 0)
    if len(zeros):
        raise ValueError(
            f"target must be nonzero for mape (it divides by the target), got 0 at index "
            f"{tuple(int(i) for i in zeros[0])}"
        )


# --- Binary classification -----------------------------------------------------------

def binary_cross_entropy(p, y, reduction="mean"):
    """Binary cross-entropy -(y log p + (1 - y) log(1 - p)), reduced.

    p : predicted probabilities, any shape, values in [0, 1].
    y : targets of the same shape, values in [0, 1] (usually 0 or 1).
    Each log is clamped at -100 as PyTorch does, so p = 0 or 1 gives a finite
    loss (at most 100 per element) rather than infinity.
    """
    reduction = _reduction(reduction)
    p, y = _bce_arguments(p, y, "p")
    with np.errstate(divide="ignore"):  # log(0) = -inf, clamped on the next line
        log_p = np.maximum(np.log(p), BCE_LOG_FLOOR)
        log_1mp = np.maximum(np.log1p(-p), BCE_LOG_FLOOR)  # log1p: exact for tiny p
    return _reduce(-y * log_p - (1 - y) * log_1mp, reduction)


def binary_cross_entropy_backward(p, y, reduction="mean"):
    """d/dp of ``binary_cross_entropy``: (p - y) / (p (1 - p)).

    As in PyTorch the denominator is at least 1e-12, so the gradient stays
    finite at p = 0 and p = 1.
    """
    reduction = _reduction(reduction)
    p, y = _bce_arguments(p, y, "p")
    grad = (p - y) / np.maximum(p * (1 - p), BCE_GRAD_EPS)
    return _scale(grad, reduction, p.size)


def binary_cross_entropy_with_logits(z, y, reduction="mean"):
    """Binary cross-entropy of sigmoid(z) against y, computed from the logits z.

    With log sigmoid(z) = -softplus(-z) and log(1 - sigmoid(z)) = -softplus(z)
    the loss is y softplus(-z) + (1 - y) softplus(z): two non-negative terms,
    each finite and accurate for any finite z. No sigmoid is rounded to 0 or 1
    and then logged.
    """
    reduction = _reduction(reduction)
    z, y = _bce_arguments(z, y, "z")
    return _reduce(y * softplus(-z) + (1 - y) * softplus(z), reduction)


def binary_cross_entropy_with_logits_backward(z, y, reduction="mean"):
    """d/dz of ``binary_cross_entropy_with_logits``: sigmoid(z) - y."""
    reduction = _reduction(reduction)
    z, y = _bce_arguments(z, y, "z")
    # sigmoid(z) - y, written so that neither y = 1 nor y = 0 subtracts nearly equal
    # numbers: 1 - sigmoid(z) is sigmoid(-z), exact where sigmoid(z) rounds to 1.
    return _scale((1 - y) * sigmoid(z) - y * sigmoid(-z), reduction, z.size)


def _bce_arguments(input, y, input_name):
    input, y = _pair(input, y, input_name, "y")
    if input_name == "p":
        _require_in_range(input, "p", 0, 1, "a probability")
    _require_in_range(y, "y", 0, 1, "a target probability")
    return input, y


# --- Multi-class classification ---------------------------------------------------------

def cross_entropy(logits, target, reduction="mean"):
    """Cross-entropy of softmax(logits) against the target, one value per row, reduced.

    logits : (N, C) unnormalised scores.
    target : (N,) integer class indices in [0, C - 1], or (N, C) probabilities.
    Row n's loss is -log softmax(logits[n])[target[n]] for indices and
    -sum_c target[n, c] log softmax(logits[n])[c] for probabilities. The
    log-softmax is computed by log-sum-exp, so any finite logits are safe.
    """
    reduction = _reduction(reduction)
    logits, target = _cross_entropy_arguments(logits, target)
    log_s = log_softmax(logits, axis=1)
    if target.dtype.kind in "iu":
        losses = -np.take_along_axis(log_s, target[:, None], axis=1)[:, 0]
    else:
        losses = -(target * log_s).sum(axis=1)
    return _reduce(losses, reduction)


def cross_entropy_backward(logits, target, reduction="mean"):
    """d/d logits of ``cross_entropy``: softmax(logits) - target for each row.

    With class indices the target is their one-hot encoding. For probability
    rows that do not sum to 1 the exact gradient is softmax * sum(target) - target,
    which is what is returned. 'mean' divides by N.
    """
    reduction = _reduction(reduction)
    logits, target = _cross_entropy_arguments(logits, target)
    s = softmax(logits, axis=1)
    if target.dtype.kind in "iu":
        grad = s.copy()
        grad[np.arange(len(target)), target] -= 1
    else:
        grad = s * target.sum(axis=1, keepdims=True) - target
    return _scale(grad, reduction, logits.shape[0])


def _cross_entropy_arguments(logits, target):
    logits = as_array(logits, "logits", ndim=2)
    n, c = logits.shape
    if n == 0 or c == 0:
        raise ValueError(
            f"logits must have at least one row and one class, got shape {logits.shape}"
        )
    target = np.asarray(target)
    if target.dtype.kind in "iu":
        if target.shape != (n,):
            raise ValueError(
                f"target of class indices must have shape (N,) = ({n},) for logits of shape "
                f"{logits.shape}, got shape {target.shape}"
            )
        if target.min() < 0 or target.max() >= c:
            raise ValueError(
                f"target class indices must be in [0, {c - 1}] for {c} classes, got values "
                f"from {target.min()} to {target.max()}"
            )
        return logits, target.astype(np.intp)
    if target.dtype.kind != "f":
        raise TypeError(
            f"target must be integer class indices of shape (N,) or float probabilities of "
            f"shape (N, C), got dtype {target.dtype}"
        )
    if target.shape != logits.shape:
        hint = " (class indices must have an integer dtype)" if target.shape == (n,) else ""
        raise ValueError(
            f"target of probabilities must have the shape of logits {logits.shape}, got shape "
            f"{target.shape}{hint}"
        )
    _require_in_range(target, "target", 0, 1, "probabilities")
    return logits, target


# --- Divergence between distributions -----------------------------------------------

def kl_divergence(p, q, axis=-1, reduction="mean"):
    """Kullback-Leibler divergence D(p || q) = sum p log(p / q) along ``axis``, reduced.

    p : the reference distribution (the target), entries >= 0.
    q : the model's distribution (the prediction), entries >= 0, same shape.
    Terms with p = 0 count as 0 (the limit of p log p). A q of 0 where p > 0
    gives +inf, which is the true value. Unlike ``torch.nn.functional.kl_div``
    both arguments are probabilities (not log q), in the order of the formula.
    'mean' averages over the distributions, not over every entry.
    """
    reduction = _reduction(reduction)
    p, q, axis = _kl_arguments(p, q, axis)
    with np.errstate(divide="ignore"):  # log(0) where q = 0 < p: the divergence is +inf
        positive = p > 0  # only these terms are computed; the others are 0 log 0 = 0
        log_ratio = np.log(np.where(positive, p, 1)) - np.log(np.where(positive, q, 1))
        terms = np.where(positive, p * log_ratio, 0)
    return _reduce(terms.sum(axis=axis), reduction)


def kl_divergence_backward(p, q, axis=-1, reduction="mean", wrt="q"):
    """Gradient of ``kl_divergence`` with respect to q (default) or p.

    wrt='q' : -p / q, which is 0 where p = 0 (the prediction's gradient).
    wrt='p' : log(p / q) + 1, which is -inf where p = 0 (the slope of p log p at 0).
    'mean' divides by the number of distributions.
    """
    reduction = _reduction(reduction)
    check_choice(wrt, "wrt", ("q", "p"))
    p, q, axis = _kl_arguments(p, q, axis)
    positive = p > 0  # entries with p = 0 contribute 0 log 0 = 0 and are handled apart
    p_safe, q_safe = np.where(positive, p, 1), np.where(positive, q, 1)
    with np.errstate(divide="ignore"):  # q = 0 < p: the true gradient is infinite
        if wrt == "q":
            grad = np.where(positive, -p_safe / q_safe, 0)
        else:
            grad = np.where(positive, np.log(p_safe) - np.log(q_safe) + 1, -np.inf)
    return _scale(grad, reduction, p.size // p.shape[axis])


def _kl_arguments(p, q, axis):
    p, q = _pair(p, q, "p", "q")
    if p.ndim == 0:
        raise ValueError("p must have at least one dimension (the distribution axis), got shape ()")
    axis = as_int(axis, "axis")
    if not -p.ndim <= axis < p.ndim:
        raise ValueError(
            f"axis must be in [{-p.ndim}, {p.ndim - 1}] for p of shape {p.shape}, got {axis}"
        )
    _require_in_range(p, "p", 0, None, "a probability distribution")
    _require_in_range(q, "q", 0, None, "a probability distribution")
    if np.any(np.isinf(p)) or np.any(np.isinf(q)):
        raise ValueError("p and q must contain only finite numbers, got infinity")
    return p, q, axis
