"""The dense (fully connected) layer, forward and backward.

Weights are stored as in ``torch.nn.functional.linear``: ``w`` has shape
(out_features, in_features), one row per output neuron, and

    y = x w^T + b,   that is   y[..., o] = sum_i x[..., i] w[o, i] + b[o].

Any leading axes of ``x`` (usually just the batch) are carried along.
Object arrays (SymPy symbols) are accepted, so the book can differentiate
the layer exactly.
"""

from ._validation import as_array, check_upstream

__all__ = ["linear", "linear_backward"]


def linear(x, w, b=None):
    """Dense layer: ``y = x w^T + b``.

    Parameters
    ----------
    x : ndarray, shape (..., in_features)
    w : ndarray, shape (out_features, in_features)
    b : ndarray, shape (out_features,), optional

    Returns
    -------
    y : ndarray, shape (..., out_features)

    Raises
    ------
    TypeError
        If an array holds something other than real numbers (or SymPy expressions).
    ValueError
        If x has no axis, w is not 2-D, x's last axis is not w's second, or b does not
        have one entry per row of w.

    Notes
    -----
    The book derives this in :ref:`bpdense-layer`.
    """
    x, w = _check_x_w(x, w)
    y = x @ w.T
    if b is not None:
        b = as_array(b, "b", ndim=1, allow_object=True)
        if b.shape != (w.shape[0],):
            raise ValueError(
                f"b must have shape ({w.shape[0]},) to match w {w.shape}, got {b.shape}")
        y = y + b
    return y


def linear_backward(dy, x, w):
    """Gradients of ``linear``.

    ``dx = dy w``; ``dw = dy^T x`` and ``db = sum of dy``, both summed over every
    leading axis. ``db`` is returned even when the forward had no bias; ignore it then.

    Parameters
    ----------
    dy : ndarray, shape (..., out_features)
        The gradient of the loss with respect to ``linear``'s output.
    x, w
        Exactly as passed to ``linear``.

    Returns
    -------
    dx : ndarray, shape (..., in_features)
    dw : ndarray, shape (out_features, in_features)
    db : ndarray, shape (out_features,)

    Raises
    ------
    TypeError
        As ``linear``, and if dy is not an array of real numbers (or SymPy expressions).
    ValueError
        As ``linear``, and if dy does not have the shape of ``linear``'s output.

    Notes
    -----
    The book derives this in :ref:`bpdense-layer`.
    """
    x, w = _check_x_w(x, w)
    dy = check_upstream(dy, x.shape[:-1] + (w.shape[0],), "linear", allow_object=True)
    dy_rows = dy.reshape(-1, w.shape[0])
    x_rows = x.reshape(-1, w.shape[1])
    return dy @ w, dy_rows.T @ x_rows, dy_rows.sum(axis=0)


def _check_x_w(x, w):
    """x and w as arrays whose feature axes agree."""
    x = as_array(x, "x", allow_object=True)
    w = as_array(w, "w", ndim=2, allow_object=True)
    if x.ndim < 1:
        raise ValueError(
            f"x must have at least 1 dimension (..., in_features), got shape {x.shape}")
    if x.shape[-1] != w.shape[1]:
        raise ValueError(
            f"x has {x.shape[-1]} features in its last axis but w (out_features, in_features) "
            f"has shape {w.shape}; expected x.shape[-1] == w.shape[1]"
        )
    return x, w
