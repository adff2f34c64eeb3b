"""The dense (fully connected) layer, forward and backward.

Weights are stored as in ``torch.nn.functional.linear``: ``w`` has shape
(out_features, in_features), one row per output neuron, and

    y = x w^T + b,   that is   y[..., o] = sum_i x[..., i] w[o, i] + b[o].

Any leading axes of ``x`` (usually just the batch) are carried along.
Object arrays (SymPy symbols) are accepted, so the book can differentiate
the layer exactly.
"""

import numpy as np

from ._validation import as_array


def _check_x_w(x, w):
    x = as_array(x, "x", allow_object=True)
    w = as_array(w, "w", ndim=2, allow_object=True)
    if x.ndim < 1:
        raise ValueError(f"x must have at least 1 dimension (..., in_features), got shape {x.shape}")
    if x.shape[-1] != w.shape[1]:
        raise ValueError(
            f"x has {x.shape[-1]} features in its last axis but w (out_features, in_features) "
            f"has shape {w.shape}; expected x.shape[-1] == w.shape[1]"
        )
    return x, w


def linear(x, w, b=None):
    """Dense layer: x (..., in), w (out, in), b (out,) or None -> y (..., out)."""
    x, w = _check_x_w(x, w)
    y = x @ w.T
    if b is not None:
        b = as_array(b, "b", ndim=1, allow_object=True)
        if b.shape != (w.shape[0],):
            raise ValueError(f"b must have shape ({w.shape[0]},) to match w {w.shape}, got {b.shape}")
        y = y + b
    return y


def linear_backward(dy, x, w):
    """Gradients of :func:`linear`: dy (..., out), x (..., in), w (out, in) -> (dx, dw, db).

    dx = dy w            (..., in)
    dw = dy^T x          (out, in), summed over every leading axis
    db = sum of dy       (out,),    summed over every leading axis

    ``db`` is returned even when the forward had no bias; ignore it then.
    """
    x, w = _check_x_w(x, w)
    dy = as_array(dy, "dy", allow_object=True)
    expected = x.shape[:-1] + (w.shape[0],)
    if dy.shape != expected:
        raise ValueError(f"dy must have the shape of linear's output {expected}, got {dy.shape}")
    dy_rows = dy.reshape(-1, w.shape[0])
    x_rows = x.reshape(-1, w.shape[1])
    return dy @ w, dy_rows.T @ x_rows, dy_rows.sum(axis=0)
