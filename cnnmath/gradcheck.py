"""Checking gradients against central differences.

A backward pass is a claim about derivatives; ``numerical_gradient`` tests
the claim with nothing but the forward pass:

    df/dx_i  ~  (f(x + eps e_i) - f(x - eps e_i)) / (2 eps),

whose error is O(eps^2) from truncation plus O(u |f| / eps) from rounding
(u ~ 1e-16 in float64); eps = 1e-6 balances the two for functions of size ~1.
All arithmetic here is float64, whatever the input's dtype.
"""

import numbers
from dataclasses import dataclass

import numpy as np

from ._validation import as_array, check_finite, check_same_shape

__all__ = ["numerical_gradient", "relative_error", "check_gradient", "GradientCheck"]


def numerical_gradient(f, x, eps=1e-6):
    """Central-difference gradient of a scalar function ``f`` at ``x``.

    Parameters
    ----------
    f : callable
        Takes an array shaped like ``x`` and returns a real number.
    x : array of any shape
        The point; it is copied to float64 and never modified.
    eps : float > 0
        The step.

    Returns
    -------
    array of x's shape, float64: entry i is ``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)``.
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    x = np.array(as_array(x, "x"), dtype=np.float64)     # a private float64 copy
    if isinstance(eps, bool) or not isinstance(eps, numbers.Real) or not eps > 0:
        raise ValueError(f"eps must be a positive number, got {eps!r}")
    grad = np.empty_like(x)
    for index in np.ndindex(x.shape):
        saved = x[index]
        x[index] = saved + eps
        f_plus = float(f(x))
        x[index] = saved - eps
        f_minus = float(f(x))
        x[index] = saved
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a, b):
    """The largest entrywise difference over the largest entry.

    ``max|a - b| / max(max|a|, max|b|)``.

    Measuring against the array's scale rather than entry by entry keeps
    entries that are (nearly) zero from turning rounding noise into huge
    "relative" errors. Two all-zero arrays have error 0.
    """
    a = np.asarray(as_array(a, "a"), dtype=np.float64)
    b = np.asarray(as_array(b, "b"), dtype=np.float64)
    check_same_shape(a, "a", b, "b")
    check_finite(a, "a"), check_finite(b, "b")   # a NaN would compare as "small enough"
    if a.size == 0:
        return 0.0
    scale = max(np.abs(a).max(), np.abs(b).max())
    return float(np.abs(a - b).max() / scale) if scale > 0 else 0.0


@dataclass(frozen=True)
class GradientCheck:
    """Outcome of :func:`check_gradient`: the error and the entry where it is worst."""

    error: float
    worst_index: tuple
    analytic: float
    numerical: float

    def __str__(self):
        return (f"relative error {self.error:.1e}; worst entry {self.worst_index}: "
                f"analytic {self.analytic:.8g}, numerical {self.numerical:.8g}")


def check_gradient(f, x, analytic, eps=1e-6, tol=1e-7):
    """Compare an analytic gradient of scalar ``f`` at ``x`` with central differences.

    Returns a :class:`GradientCheck` when ``relative_error <= tol`` and raises
    ``AssertionError`` naming the worst entry, its index and both values otherwise.
    """
    numerical = numerical_gradient(f, x, eps)
    analytic = np.asarray(as_array(analytic, "analytic"), dtype=np.float64)
    check_same_shape(analytic, "analytic", numerical, "x")
    if analytic.size == 0:
        return GradientCheck(error=0.0, worst_index=(), analytic=0.0, numerical=0.0)
    flat_worst = np.argmax(np.abs(analytic - numerical))
    worst = tuple(int(i) for i in np.unravel_index(flat_worst, analytic.shape))
    result = GradientCheck(
        error=relative_error(analytic, numerical),
        worst_index=worst,
        analytic=float(analytic[worst]),
        numerical=float(numerical[worst]),
    )
    if not result.error <= tol:
        raise AssertionError(f"gradient check failed (tolerance {tol:.0e}): {result}")
    return result
