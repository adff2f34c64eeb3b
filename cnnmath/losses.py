"""Loss functions and their gradients with respect to the prediction.

Naming rule. Every loss is called as ``loss(input, target, reduction='mean')``,
with the names and order of ``torch.nn.functional``: ``input`` is the
prediction (values, probabilities or logits, whatever the loss takes) and
``target`` is the truth. Its partner ``loss_backward`` takes the same arguments
and returns d loss / d input, an array shaped like ``input``. Error messages use
the same two names.

One exception, ``kl_divergence(p, q)``: it is the divergence D(p || q) between
two distributions, and its arguments keep the formula's names and order. Naming
them ``input`` and ``target`` would mislead twice: the first argument is the
reference distribution (PyTorch's ``target``), and PyTorch's ``kl_div`` takes
its prediction *first* and as a log-probability. A reader porting
``kl_div(log_q, p)`` by renaming would silently compute D(q || p); with ``p``
and ``q`` the call reads as the formula it computes.

``reduction`` works as in ``torch.nn.functional``:

* ``'none'``: the loss of each element (for ``cross_entropy``, of each row; for
  ``kl_divergence``, of each distribution); the backward then gives each of
  those losses differentiated with respect to its own input.
* ``'sum'``: the sum of those losses; the backward is the same array.
* ``'mean'``: their mean; the backward is that array divided by their count.

Inputs and targets must have the same shape: nothing is broadcast silently.
Logarithms are taken in the stable ways: log-softmax for cross-entropy, and
softplus for binary cross-entropy on logits.
"""

import numpy as np

from ._validation import as_array, as_axis, check_choice, check_same_shape
from .activations import log_softmax, sigmoid, softmax, softplus

__all__ = [
    "mse", "mse_backward", "l2", "l2_backward", "mae", "mae_backward", "l1", "l1_backward",
    "msle", "msle_backward", "mape", "mape_backward",
    "binary_cross_entropy", "binary_cross_entropy_backward",
    "binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_backward",
    "cross_entropy", "cross_entropy_backward", "kl_divergence", "kl_divergence_backward",
]

REDUCTIONS = ("mean", "sum", "none")

# PyTorch's binary_cross_entropy clamps each log at -100, so a probability of
# exactly 0 or 1 costs at most 100 instead of infinity, and divides its
# gradient by max(p (1 - p), 1e-12). We do the same.
BCE_LOG_FLOOR = -100.0
BCE_GRAD_EPS = 1e-12


# --- Shared plumbing ------------------------------------------------------------------

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


# --- Regression losses ----------------------------------------------------------------

def mse(input, target, reduction="mean"):
    """Mean squared error: ``(input - target)**2``, reduced.

    Parameters
    ----------
    input : ndarray
        The prediction, any non-empty shape.
    target : ndarray
        The truth, the shape of ``input``.
    reduction : str
        ``'mean'``, ``'sum'`` or ``'none'``.

    Returns
    -------
    float or ndarray
        A scalar, or for ``'none'`` an array shaped like ``input``.

    Raises
    ------
    TypeError
        If ``input`` or ``target`` is not an array of real numbers.
    ValueError
        If the shapes differ, ``input`` is empty, or ``reduction`` is not one of the three.

    Notes
    -----
    The book derives this in :ref:`loss-regression`.
    """
    reduction = _reduction(reduction)
    input, target = _pair(input, target)
    return _reduce((input - target) ** 2, reduction)


def mse_backward(input, target, reduction="mean"):
    """Gradient of ``mse`` with respect to ``input``: ``2 (input - target)``.

    Divided by ``input.size`` for ``'mean'``.

    Parameters
    ----------
    input, target, reduction
        As in ``mse``.

    Returns
    -------
    ndarray
        The shape of ``input``.

    Raises
    ------
    TypeError
        If ``input`` or ``target`` is not an array of real numbers.
    ValueError
        If the shapes differ, ``input`` is empty, or ``reduction`` is not one of the three.

    Notes
    -----
    The book derives this in :ref:`loss-regression` and :ref:`loss-reductions`.
    """
    reduction = _reduction(reduction)
    input, target = _pair(input, target)
    return _scale(2 * (input - target), reduction, input.size)


def l2(input, target, reduction="sum"):
    """L2 loss: the *sum* of squared errors, so the default reduction is ``'sum'``.

    With ``reduction='mean'`` it is ``mse``; both names exist because the
    literature uses both.

    Parameters
    ----------
    input, target
        As in ``mse``.
    reduction : str
        ``'sum'`` (default), ``'mean'`` or ``'none'``.

    Returns
    -------
    float or ndarray
        A scalar, or for ``'none'`` an array shaped like ``input``.

    Raises
    ------
    TypeError
        If ``input`` or ``target`` is not an array of real numbers.
    ValueError
        If the shapes differ, ``input`` is empty, or ``reduction`` is not one of the three.

    Notes
    -----
    The book derives this in :ref:`loss-regression`.
    """
    return mse(input, target, reduction)


def l2_backward(input, target, reduction="sum"):
    """Gradient of ``l2`` with respect to ``input``: ``2 (input - target)``.

    Divided by ``input.size`` for ``'mean'``.

    Parameters
    ----------
    input, target, reduction
        As in ``l2``.

    Returns
    -------
    ndarray
        The shape of ``input``.

    Raises
    ------
    TypeError
        If ``input`` or ``target`` is not an array of real numbers.
    ValueError
        If the shapes differ, ``input`` is empty, or ``reduction`` is not one of the three.

    Notes
    -----
    The book derives this in :ref:`loss-regression`.
    """
    return mse_backward(input, target, reduction)


def mae(input, target, reduction="mean"):
    """Mean absolute error (the L1 loss): ``|input - target|``, reduced.

    ``l1`` is the same function.

    Parameters
    ----------
    input, target, reduction
        As in ``mse``.

    Returns
    -------
    float or ndarray
        A scalar, or for ``'none'`` an array shaped like ``input``.

    Raises
    ------
    TypeError
        If ``input`` or ``target`` is not an array of real numbers.
    ValueError
        If the shapes differ, ``input`` is empty, or ``reduction`` is not one of the three.

    Notes
    -----
    The book derives this in :ref:`loss-regression`.
    """
    reduction = _reduction(reduction)
    input, target = _pair(input, target)
    return _reduce(np.abs(input - target), reduction)


def mae_backward(input, target, reduction="mean"):
    """Gradient of ``mae`` with respect to ``input``: ``sign(input - target)``.

    0 where the two are equal, as in PyTorch; divided by ``input.size`` for
    ``'mean'``. ``l1_backward`` is the same function.

    Parameters
    ----------
    input, target, reduction
        As in ``mse``.

    Returns
    -------
    ndarray
        The shape of ``input``.

    Raises
    ------
    TypeError
        If ``input`` or ``target`` is not an array of real numbers.
    ValueError
        If the shapes differ, ``input`` is empty, or ``reduction`` is not one of the three.

    Notes
    -----
    The book derives this in :ref:`loss-regression`.
    """
    reduction = _reduction(reduction)
    input, target = _pair(input, target)
    return _scale(np.sign(input - target), reduction, input.size)


l1 = mae
l1_backward = mae_backward


def msle(input, target, reduction="mean"):
    """Mean squared logarithmic error: ``(log(1 + input) - log(1 + target))**2``, reduced.

    It compares ratios, not differences: predicting 110 for 100 costs about as
    much as predicting 1.1 for 1.

    Parameters
    ----------
    input : ndarray
        The prediction, any non-empty shape, entries > -1.
    target : ndarray
        The truth, the shape of ``input``, entries > -1.
    reduction : str
        ``'mean'``, ``'sum'`` or ``'none'``.

    Returns
    -------
    float or ndarray
        A scalar, or for ``'none'`` an array shaped like ``input``.

    Raises
    ------
    TypeError
        If ``input`` or ``target`` is not an array of real numbers.
    ValueError
        If the shapes differ, an entry is <= -1 or NaN, ``input`` is empty, or
        ``reduction`` is not one of the three.

    Notes
    -----
    The book derives this in :ref:`loss-regression`.
    """
    reduction = _reduction(reduction)
    input, target = _pair(input, target)
    _check_log1p_domain(input, target)
    return _reduce((np.log1p(input) - np.log1p(target)) ** 2, reduction)


def msle_backward(input, target, reduction="mean"):
    """Gradient of ``msle``: ``2 (log1p(input) - log1p(target)) / (1 + input)``.

    Divided by ``input.size`` for ``'mean'``.

    Parameters
    ----------
    input, target, reduction
        As in ``msle``.

    Returns
    -------
    ndarray
        The shape of ``input``.

    Raises
    ------
    TypeError
        If ``input`` or ``target`` is not an array of real numbers.
    ValueError
        If the shapes differ, an entry is <= -1 or NaN, ``input`` is empty, or
        ``reduction`` is not one of the three.

    Notes
    -----
    The book derives this in :ref:`loss-regression`.
    """
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
    """Mean absolute percentage error: ``100 |(target - input) / target|``, reduced.

    In percent. Undefined where a target is 0, so a zero target is an error.

    Parameters
    ----------
    input : ndarray
        The prediction, any non-empty shape.
    target : ndarray
        The truth, the shape of ``input``, no entry 0.
    reduction : str
        ``'mean'``, ``'sum'`` or ``'none'``.

    Returns
    -------
    float or ndarray
        A scalar, or for ``'none'`` an array shaped like ``input``.

    Raises
    ------
    TypeError
        If ``input`` or ``target`` is not an array of real numbers.
    ValueError
        If the shapes differ, a target is 0, ``input`` is empty, or ``reduction``
        is not one of the three.

    Notes
    -----
    The book derives this in :ref:`loss-regression`.
    """
    reduction = _reduction(reduction)
    input, target = _pair(input, target)
    _check_nonzero(target)
    return _reduce(100 * np.abs((target - input) / target), reduction)


def mape_backward(input, target, reduction="mean"):
    """Gradient of ``mape`` with respect to ``input``: ``100 sign(input - target) / |target|``.

    Divided by ``input.size`` for ``'mean'``.

    Parameters
    ----------
    input, target, reduction
        As in ``mape``.

    Returns
    -------
    ndarray
        The shape of ``input``.

    Raises
    ------
    TypeError
        If ``input`` or ``target`` is not an array of real numbers.
    ValueError
        If the shapes differ, a target is 0, ``input`` is empty, or ``reduction``
        is not one of the three.

    Notes
    -----
    The book derives this in :ref:`loss-regression`.
    """
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


# --- Binary classification ------------------------------------------------------------

def binary_cross_entropy(input, target, reduction="mean"):
    """Binary cross-entropy ``-(target log(input) + (1 - target) log(1 - input))``, reduced.

    Each log is clamped at -100 as PyTorch does, so an ``input`` of exactly 0
    or 1 gives a finite loss (at most 100 per element) rather than infinity.

    Parameters
    ----------
    input : ndarray
        Predicted probabilities, any non-empty shape, entries in [0, 1].
    target : ndarray
        The shape of ``input``, entries in [0, 1] (usually 0 or 1).
    reduction : str
        ``'mean'``, ``'sum'`` or ``'none'``.

    Returns
    -------
    float or ndarray
        A scalar, or for ``'none'`` an array shaped like ``input``.

    Raises
    ------
    TypeError
        If ``input`` or ``target`` is not an array of real numbers.
    ValueError
        If the shapes differ, an entry lies outside [0, 1] or is NaN, ``input``
        is empty, or ``reduction`` is not one of the three.

    Notes
    -----
    The book derives this in :ref:`loss-likelihood`.
    """
    reduction = _reduction(reduction)
    input, target = _bce_arguments(input, target, probabilities=True)
    with np.errstate(divide="ignore"):  # log(0) = -inf, clamped on the next line
        log_p = np.maximum(np.log(input), BCE_LOG_FLOOR)
        log_1mp = np.maximum(np.log1p(-input), BCE_LOG_FLOOR)  # log1p: exact for tiny input
    return _reduce(-target * log_p - (1 - target) * log_1mp, reduction)


def binary_cross_entropy_backward(input, target, reduction="mean"):
    """Gradient of ``binary_cross_entropy``: ``(input - target) / (input (1 - input))``.

    As in PyTorch the denominator is at least 1e-12, so the gradient stays
    finite at 0 and 1. Divided by ``input.size`` for ``'mean'``.

    Parameters
    ----------
    input, target, reduction
        As in ``binary_cross_entropy``.

    Returns
    -------
    ndarray
        The shape of ``input``.

    Raises
    ------
    TypeError
        If ``input`` or ``target`` is not an array of real numbers.
    ValueError
        If the shapes differ, an entry lies outside [0, 1] or is NaN, ``input``
        is empty, or ``reduction`` is not one of the three.

    Notes
    -----
    The book derives this in :ref:`loss-likelihood`.
    """
    reduction = _reduction(reduction)
    input, target = _bce_arguments(input, target, probabilities=True)
    grad = (input - target) / np.maximum(input * (1 - input), BCE_GRAD_EPS)
    return _scale(grad, reduction, input.size)


def binary_cross_entropy_with_logits(input, target, reduction="mean"):
    """Binary cross-entropy of ``sigmoid(input)`` against ``target``, from the logits.

    With log sigmoid(z) = -softplus(-z) and log(1 - sigmoid(z)) = -softplus(z)
    the loss is ``target softplus(-z) + (1 - target) softplus(z)``: two
    non-negative terms, each finite and accurate for any finite z. No sigmoid
    is rounded to 0 or 1 and then logged.

    Parameters
    ----------
    input : ndarray
        Logits z, any non-empty shape, any finite values.
    target : ndarray
        The shape of ``input``, entries in [0, 1].
    reduction : str
        ``'mean'``, ``'sum'`` or ``'none'``.

    Returns
    -------
    float or ndarray
        A scalar, or for ``'none'`` an array shaped like ``input``.

    Raises
    ------
    TypeError
        If ``input`` or ``target`` is not an array of real numbers.
    ValueError
        If the shapes differ, a target lies outside [0, 1] or is NaN, ``input``
        is empty, or ``reduction`` is not one of the three.

    Notes
    -----
    The book derives this in :ref:`loss-stability`.
    """
    reduction = _reduction(reduction)
    z, target = _bce_arguments(input, target, probabilities=False)
    return _reduce(target * softplus(-z) + (1 - target) * softplus(z), reduction)


def binary_cross_entropy_with_logits_backward(input, target, reduction="mean"):
    """Gradient of ``binary_cross_entropy_with_logits``: ``sigmoid(input) - target``.

    Divided by ``input.size`` for ``'mean'``.

    Parameters
    ----------
    input, target, reduction
        As in ``binary_cross_entropy_with_logits``.

    Returns
    -------
    ndarray
        The shape of ``input``.

    Raises
    ------
    TypeError
        If ``input`` or ``target`` is not an array of real numbers.
    ValueError
        If the shapes differ, a target lies outside [0, 1] or is NaN, ``input``
        is empty, or ``reduction`` is not one of the three.

    Notes
    -----
    The book derives this in :ref:`loss-stability`.
    """
    reduction = _reduction(reduction)
    z, target = _bce_arguments(input, target, probabilities=False)
    # sigmoid(z) - target, written so that neither target = 1 nor 0 subtracts nearly equal
    # numbers: 1 - sigmoid(z) is sigmoid(-z), exact where sigmoid(z) rounds to 1.
    return _scale((1 - target) * sigmoid(z) - target * sigmoid(-z), reduction, z.size)


def _bce_arguments(input, target, probabilities):
    input, target = _pair(input, target)
    if probabilities:
        _require_in_range(input, "input", 0, 1, "a probability")
    _require_in_range(target, "target", 0, 1, "a target probability")
    return input, target


# --- Multi-class classification -------------------------------------------------------

def cross_entropy(input, target, reduction="mean"):
    """Cross-entropy of ``softmax(input)`` against ``target``, one value per row, reduced.

    Row n's loss is ``-log softmax(input[n])[target[n]]`` for class indices and
    ``-sum_c target[n, c] log softmax(input[n])[c]`` for probabilities. The
    log-softmax is computed by log-sum-exp, so any finite logits are safe.

    Parameters
    ----------
    input : ndarray
        (N, C) logits (unnormalised scores), N >= 1 rows, C >= 1 classes.
    target : ndarray
        (N,) integer class indices in [0, C - 1], or (N, C) float probabilities.
    reduction : str
        ``'mean'`` (over the N rows), ``'sum'`` or ``'none'``.

    Returns
    -------
    float or ndarray
        A scalar, or for ``'none'`` the (N,) losses of the rows.

    Raises
    ------
    TypeError
        If ``input`` is not an array of real numbers, or ``target`` is neither
        integer nor float (booleans, strings).
    ValueError
        If ``input`` is not 2-D or is empty, ``target`` has the wrong shape, a
        class index is out of range, a probability lies outside [0, 1] or is NaN,
        or ``reduction`` is not one of the three.

    Notes
    -----
    The book derives this in :ref:`loss-likelihood` and :ref:`loss-softmax-ce`.
    """
    reduction = _reduction(reduction)
    logits, target = _cross_entropy_arguments(input, target)
    log_s = log_softmax(logits, axis=1)
    if target.dtype.kind in "iu":
        losses = -np.take_along_axis(log_s, target[:, None], axis=1)[:, 0]
    else:
        losses = -(target * log_s).sum(axis=1)
    return _reduce(losses, reduction)


def cross_entropy_backward(input, target, reduction="mean"):
    """Gradient of ``cross_entropy`` with respect to the logits: ``softmax(input) - target``.

    With class indices the target is their one-hot encoding. For probability
    rows that do not sum to 1 the exact gradient is
    ``softmax * sum(target) - target``, which is what is returned. ``'mean'``
    divides by N.

    Parameters
    ----------
    input, target, reduction
        As in ``cross_entropy``.

    Returns
    -------
    ndarray
        (N, C), the shape of ``input``.

    Raises
    ------
    TypeError
        If ``input`` is not an array of real numbers, or ``target`` is neither
        integer nor float.
    ValueError
        As in ``cross_entropy``.

    Notes
    -----
    The book derives this in :ref:`loss-softmax-ce`.
    """
    reduction = _reduction(reduction)
    logits, target = _cross_entropy_arguments(input, target)
    s = softmax(logits, axis=1)
    if target.dtype.kind in "iu":
        grad = s.copy()
        grad[np.arange(len(target)), target] -= 1
    else:
        grad = s * target.sum(axis=1, keepdims=True) - target
    return _scale(grad, reduction, logits.shape[0])


def _cross_entropy_arguments(input, target):
    logits = as_array(input, "input", ndim=2)
    n, c = logits.shape
    if n == 0 or c == 0:
        raise ValueError(
            f"input must have at least one row and one class, got shape {logits.shape}"
        )
    target = np.asarray(target)
    if target.dtype.kind in "iu":
        if target.shape != (n,):
            raise ValueError(
                f"target of class indices must have shape (N,) = ({n},) for input of shape "
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
            f"target of probabilities must have the shape of input {logits.shape}, got shape "
            f"{target.shape}{hint}"
        )
    _require_in_range(target, "target", 0, 1, "probabilities")
    return logits, target


# --- Divergence between distributions -------------------------------------------------

def kl_divergence(p, q, axis=-1, reduction="mean"):
    """Kullback-Leibler divergence ``D(p || q) = sum p log(p / q)`` along ``axis``, reduced.

    Terms with p = 0 count as 0 (the limit of p log p). A q of 0 where p > 0
    gives +inf, which is the true value. Unlike ``torch.nn.functional.kl_div``
    both arguments are probabilities (not log q), in the order of the formula;
    the module docstring says why they are not called ``input`` and ``target``.

    Parameters
    ----------
    p : ndarray
        The reference distribution (the target), at least 1-D, entries >= 0.
    q : ndarray
        The model's distribution (the prediction), the shape of ``p``, entries >= 0.
    axis : int
        The axis along which each distribution lies.
    reduction : str
        ``'mean'`` (over the distributions, not over every entry), ``'sum'`` or ``'none'``.

    Returns
    -------
    float or ndarray
        A scalar, or for ``'none'`` one divergence per distribution: the shape
        of ``p`` without ``axis``.

    Raises
    ------
    TypeError
        If ``p`` or ``q`` is not an array of real numbers, or ``axis`` is not an int.
    ValueError
        If the shapes differ, ``p`` is 0-D or empty, ``axis`` is out of range, an
        entry is negative, NaN or infinite, or ``reduction`` is not one of the three.

    Notes
    -----
    The book derives this in :ref:`loss-entropy`.
    """
    reduction = _reduction(reduction)
    p, q, axis = _kl_arguments(p, q, axis)
    with np.errstate(divide="ignore"):  # log(0) where q = 0 < p: the divergence is +inf
        positive = p > 0  # only these terms are computed; the others are 0 log 0 = 0
        log_ratio = np.log(np.where(positive, p, 1)) - np.log(np.where(positive, q, 1))
        terms = np.where(positive, p * log_ratio, 0)
    return _reduce(terms.sum(axis=axis), reduction)


def kl_divergence_backward(p, q, axis=-1, reduction="mean", wrt="q"):
    """Gradient of ``kl_divergence`` with respect to ``q`` (default) or ``p``.

    ``wrt='q'`` gives ``-p / q``, which is 0 where p = 0 (the prediction's
    gradient); ``wrt='p'`` gives ``log(p / q) + 1``, which is -inf where p = 0
    (the slope of p log p at 0). ``'mean'`` divides by the number of distributions.

    Parameters
    ----------
    p, q, axis, reduction
        As in ``kl_divergence``.
    wrt : str
        ``'q'`` or ``'p'``: the argument to differentiate with respect to.

    Returns
    -------
    ndarray
        The shape of ``p``.

    Raises
    ------
    TypeError
        If ``p`` or ``q`` is not an array of real numbers, or ``axis`` is not an int.
    ValueError
        As in ``kl_divergence``, or if ``wrt`` is neither ``'q'`` nor ``'p'``.

    Notes
    -----
    The book derives this in :ref:`loss-entropy`.
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
    axis = as_axis(axis, p, "p")
    _require_in_range(p, "p", 0, None, "a probability distribution")
    _require_in_range(q, "q", 0, None, "a probability distribution")
    if np.any(np.isinf(p)) or np.any(np.isinf(q)):
        raise ValueError("p and q must contain only finite numbers, got infinity")
    return p, q, axis
