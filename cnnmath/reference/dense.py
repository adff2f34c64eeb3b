"""The dense layer by loops, one line per index formula; also runs on SymPy arrays.

Rows of ``x`` are examples: x (N, in), w (out, in), b (out,).
"""

import numpy as np

from .._validation import as_array


def linear(x, w, b=None):
    """y[n, o] = sum_i x[n, i] w[o, i] + b[o]."""
    x = as_array(x, "x", ndim=2, allow_object=True)
    w = as_array(w, "w", ndim=2, allow_object=True)
    y = np.zeros((x.shape[0], w.shape[0]), dtype=np.result_type(x, w))
    for n, o in np.ndindex(y.shape):
        y[n, o] = sum(x[n, i] * w[o, i] for i in range(x.shape[1]))
        if b is not None:
            y[n, o] += b[o]
    return y


def linear_backward(dy, x, w):
    """dx[n, i] = sum_o dy[n, o] w[o, i];  dw[o, i] = sum_n dy[n, o] x[n, i];  db[o] = sum_n dy[n, o]."""
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
