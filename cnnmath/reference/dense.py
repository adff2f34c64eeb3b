"""The dense layer by loops, one line per index formula; also runs on SymPy arrays.

Rows of ``x`` are examples: x (N, in), w (out, in), b (out,).
"""

import numpy as np

from .._validation import as_array

__all__ = ["linear", "linear_backward"]


def linear(x, w, b=None):
    """``y[n, o] = sum_i x[n, i] w[o, i] + b[o]``.

    Parameters
    ----------
    x : ndarray, shape (N, in_features)
    w : ndarray, shape (out_features, in_features)
    b : ndarray, shape (out_features,), optional

    Returns
    -------
    y : ndarray, shape (N, out_features)

    Raises
    ------
    TypeError
        If x or w holds something other than numbers or SymPy expressions.
    ValueError
        If x or w is not 2-D.

    Notes
    -----
    The book derives this in :ref:`bpdense-layer`.
    """
    x = as_array(x, "x", ndim=2, allow_object=True)
    w = as_array(w, "w", ndim=2, allow_object=True)
    y = np.zeros((x.shape[0], w.shape[0]), dtype=np.result_type(x, w))
    for n, o in np.ndindex(y.shape):
        y[n, o] = sum(x[n, i] * w[o, i] for i in range(x.shape[1]))
        if b is not None:
            y[n, o] += b[o]
    return y


def linear_backward(dy, x, w):
    """The gradients of ``linear``, one formula each.

    ``dx[n, i] = sum_o dy[n, o] w[o, i]``; ``dw[o, i] = sum_n dy[n, o] x[n, i]``;
    ``db[o] = sum_n dy[n, o]``.

    Parameters
    ----------
    dy : ndarray, shape (N, out_features)
    x : ndarray, shape (N, in_features)
    w : ndarray, shape (out_features, in_features)

    Returns
    -------
    dx : ndarray, shape (N, in_features)
    dw : ndarray, shape (out_features, in_features)
    db : ndarray, shape (out_features,)

    Raises
    ------
    TypeError
        If an array holds something other than numbers or SymPy expressions.
    ValueError
        If an array is not 2-D.

    Notes
    -----
    The book derives this in :ref:`bpdense-layer`.
    """
    dy = as_array(dy, "dy", ndim=2, allow_object=True)
    x = as_array(x, "x", ndim=2, allow_object=True)
    w = as_array(w, "w", ndim=2, allow_object=True)
    (batch, out), n_in = dy.shape, x.shape[1]
    dtype = np.result_type(dy, x, w)
    dx = np.zeros((batch, n_in), dtype=dtype)
    dw = np.zeros((out, n_in), dtype=dtype)
    db = np.zeros(out, dtype=dtype)
    for n, i in np.ndindex(dx.shape):
        dx[n, i] = sum(dy[n, o] * w[o, i] for o in range(out))
    for o, i in np.ndindex(dw.shape):
        dw[o, i] = sum(dy[n, o] * x[n, i] for n in range(batch))
    for o in range(out):
        db[o] = sum(dy[n, o] for n in range(batch))
    return dx, dw, db
