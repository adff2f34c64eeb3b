"""Batch normalisation by loops, one line per index formula; also runs on SymPy arrays.

A channel ``c`` of a batch x of shape (N, C) or (N, C, H, W) holds the M values
``x[n, c, ...]`` for every n and every pixel. With sums over those M values,

    mu_c      = (1/M) sum x[n, c, ...]
    var_c     = (1/M) sum (x[n, c, ...] - mu_c)^2
    x_hat     = (x[n, c, ...] - mu_c) / sqrt(var_c + eps)
    y         = gamma_c x_hat + beta_c

and the backward pass, written from the same indices,

    dx[n, c, ...] = gamma_c / sqrt(var_c + eps)
                    * (dy[n, c, ...] - (1/M) sum dy - x_hat[n, c, ...] (1/M) sum dy x_hat).
"""

import numpy as np
import sympy as sp

from .._validation import as_array

__all__ = ["batch_norm", "batch_norm_backward"]


def _sqrt(value):
    return sp.sqrt(value) if isinstance(value, sp.Basic) else np.sqrt(value)


def _channel_indices(x, c):
    """Every index of x that belongs to channel c, in row-major order."""
    return [index for index in np.ndindex(x.shape) if index[1] == c]


def _statistics(x, c):
    where = _channel_indices(x, c)
    m = len(where)
    mu = sum(x[i] for i in where) / m
    var = sum((x[i] - mu) ** 2 for i in where) / m
    return where, m, mu, var


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """y = gamma_c (x - mu_c) / sqrt(var_c + eps) + beta_c, channel by channel.

    In training the running arrays (when given) are updated in place with the
    unbiased variance var_c M / (M - 1).

    Notes
    -----
    The book derives this in :ref:`norm-forward`.
    """
    x = as_array(x, "x", allow_object=True)
    y = np.empty(x.shape, dtype=object if x.dtype == object else x.dtype)
    for c in range(x.shape[1]):
        where, m, mu, var = _statistics(x, c)
        if training:
            if running_mean is not None:
                running_mean[c] = (1 - momentum) * running_mean[c] + momentum * mu
            if running_var is not None:
                running_var[c] = (1 - momentum) * running_var[c] + momentum * var * m / (m - 1)
        else:
            mu, var = running_mean[c], running_var[c]
        gamma = 1 if weight is None else weight[c]
        beta = 0 if bias is None else bias[c]
        for i in where:
            y[i] = gamma * (x[i] - mu) / _sqrt(var + eps) + beta
    return y


def batch_norm_backward(dy, x, running_mean, running_var, weight=None, training=False,
                        eps=1e-5):
    """(dx, dgamma, dbeta) from the index formulas in the module's docstring.

    Notes
    -----
    The book derives this in :ref:`norm-backward`.
    """
    x = as_array(x, "x", allow_object=True)
    dy = as_array(dy, "dy", allow_object=True)
    dtype = object if object in (x.dtype, dy.dtype) else np.result_type(x, dy)
    dx = np.empty(x.shape, dtype=dtype)
    dgamma = np.empty(x.shape[1], dtype=dtype)
    dbeta = np.empty(x.shape[1], dtype=dtype)
    for c in range(x.shape[1]):
        where, m, mu, var = _statistics(x, c)
        if not training:
            mu, var = running_mean[c], running_var[c]
        sigma = _sqrt(var + eps)
        gamma = 1 if weight is None else weight[c]
        x_hat = {i: (x[i] - mu) / sigma for i in where}
        sum_dy = sum(dy[i] for i in where)
        sum_dy_x_hat = sum(dy[i] * x_hat[i] for i in where)
        dbeta[c] = sum_dy
        dgamma[c] = sum_dy_x_hat
        for i in where:
            if training:
                dx[i] = gamma / sigma * (dy[i] - sum_dy / m - x_hat[i] * sum_dy_x_hat / m)
            else:
                dx[i] = gamma / sigma * dy[i]
    return dx, dgamma, dbeta
