"""Checking gradients against central differences.

A backward pass is a claim about derivatives; ``numerical_gradient`` tests
the claim with nothing but the forward pass::

    df/dx_i  ~  (f(x + eps e_i) - f(x - eps e_i)) / (2 eps),

whose error is ``O(eps^2)`` from truncation plus ``O(u |f| / eps)`` from rounding
(``u ~ 1e-16`` in float64); ``eps = 1e-6`` balances the two for functions of size ~1.
All arithmetic here is float64, whatever the input's dtype.

``check_backward`` is the check the book runs on every layer: a layer's
backward pass, given an upstream gradient G, must return the gradient of the
scalar ``sum(G * forward(x))``. ``cnnmath.symbolic.check_backward_exact`` is its
exact twin on SymPy symbols.
"""

import numbers
from dataclasses import dataclass

import numpy as np

from ._validation import as_array, as_int, as_real, check_finite, check_same_shape

__all__ = [
    "numerical_gradient", "relative_error", "check_gradient", "check_backward",
    "GradientCheck", "BackwardCheck",
]


def numerical_gradient(f, x, eps=1e-6):
    """Central-difference gradient of a scalar function ``f`` at ``x``.

    Parameters
    ----------
    f : callable
        Takes an array shaped like ``x`` and returns a real number.
    x : ndarray
        The point, any shape; it is copied to float64 and never modified.
    eps : float
        The step, a finite number > 0.

    Returns
    -------
    ndarray
        float64, the shape of ``x``: entry i is
        ``(f(x + eps e_i) - f(x - eps e_i)) / (2 eps)``.

    Raises
    ------
    TypeError
        If ``f`` is not callable, ``x`` is not an array of real numbers, or
        ``eps`` is not a real number (a string, a bool).
    ValueError
        If ``eps`` is not a finite number > 0.

    Notes
    -----
    The book derives this in :ref:`bpconv-gradcheck`.
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    x = np.array(as_array(x, "x"), dtype=np.float64)     # a private float64 copy
    eps = as_real(eps, "eps", low=0, low_open=True)
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

    ``max|a - b| / max(max|a|, max|b|)``. Measuring against the array's scale
    rather than entry by entry keeps entries that are (nearly) zero from turning
    rounding noise into huge "relative" errors. Two all-zero arrays have error 0.

    Parameters
    ----------
    a, b : ndarray
        Two arrays of the same shape, finite real numbers.

    Returns
    -------
    float
        The relative error, >= 0.

    Raises
    ------
    TypeError
        If ``a`` or ``b`` is not an array of real numbers.
    ValueError
        If the shapes differ or an entry is NaN or infinite.

    Notes
    -----
    The book derives this in :ref:`bpconv-gradcheck`.
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
    """One gradient compared with central differences: the error and its worst entry.

    ``check_gradient`` and ``check_backward`` make these; printing one gives a
    one-line report.

    Parameters
    ----------
    error : float
        The ``relative_error`` of the analytic gradient, >= 0.
    worst_index : tuple
        The index (a tuple of ints) of the entry with the largest difference.
    analytic, numerical : float
        The two gradients' values at that entry.

    Raises
    ------
    TypeError
        If ``worst_index`` is not a tuple, or a value is not a real number.
    ValueError
        If ``error`` is negative or a value is NaN or infinite.

    Notes
    -----
    The book uses it in :ref:`bpconv-gradcheck`.
    """

    error: float
    worst_index: tuple
    analytic: float
    numerical: float

    def __post_init__(self):
        as_real(self.error, "error", low=0)
        as_real(self.analytic, "analytic"), as_real(self.numerical, "numerical")
        if not isinstance(self.worst_index, tuple):
            raise TypeError(f"worst_index must be a tuple of ints, got {self.worst_index!r}")

    def __str__(self):
        return (f"relative error {self.error:.1e}; worst entry {self.worst_index}: "
                f"analytic {self.analytic:.8g}, numerical {self.numerical:.8g}")


def _compare(analytic, numerical, name, x_name):
    """The ``GradientCheck`` of an analytic gradient against a numerical one."""
    analytic = np.asarray(as_array(analytic, name), dtype=np.float64)
    check_same_shape(analytic, name, numerical, x_name)
    if analytic.size == 0:
        return GradientCheck(error=0.0, worst_index=(), analytic=0.0, numerical=0.0)
    worst = np.unravel_index(np.argmax(np.abs(analytic - numerical)), analytic.shape)
    worst = tuple(int(i) for i in worst)
    return GradientCheck(error=relative_error(analytic, numerical), worst_index=worst,
                         analytic=float(analytic[worst]), numerical=float(numerical[worst]))


def check_gradient(f, x, analytic, eps=1e-6, tol=1e-7):
    """Compare an analytic gradient of a scalar ``f`` at ``x`` with central differences.

    Parameters
    ----------
    f : callable
        Takes an array shaped like ``x`` and returns a real number.
    x : ndarray
        The point, any shape.
    analytic : ndarray
        The claimed gradient of ``f`` at ``x``, the shape of ``x``.
    eps : float
        The step of ``numerical_gradient``.
    tol : float
        The largest relative error accepted, >= 0.

    Returns
    -------
    GradientCheck
        The relative error and the worst entry, when the error is at most ``tol``.

    Raises
    ------
    AssertionError
        If the relative error exceeds ``tol``; the message names the worst entry,
        its index and both values.
    TypeError
        If ``f`` is not callable, an array is not real numbers, or ``eps`` or
        ``tol`` is not a real number.
    ValueError
        If ``analytic`` does not have the shape of ``x``, ``eps`` is not > 0, or
        ``tol`` is negative.

    Notes
    -----
    The book derives this in :ref:`bpconv-gradcheck`.
    """
    tol = as_real(tol, "tol", low=0)
    result = _compare(analytic, numerical_gradient(f, x, eps), "analytic", "x")
    if not result.error <= tol:
        raise AssertionError(f"gradient check failed (tolerance {tol:.0e}): {result}")
    return result


@dataclass(frozen=True)
class BackwardCheck:
    """Outcome of ``check_backward``: one ``GradientCheck`` per input, in order.

    Printing one gives one line per input.

    Parameters
    ----------
    checks : tuple
        The ``GradientCheck`` of each input's gradient.

    Raises
    ------
    TypeError
        If ``checks`` is not a tuple of ``GradientCheck``.

    Notes
    -----
    The book uses it in :ref:`bpconv-gradcheck`.
    """

    checks: tuple

    def __post_init__(self):
        if not isinstance(self.checks, tuple) or not all(
                isinstance(check, GradientCheck) for check in self.checks):
            raise TypeError(f"checks must be a tuple of GradientCheck, got {self.checks!r}")

    @property
    def error(self):
        """The largest relative error over the inputs (0 for no inputs)."""
        return max((check.error for check in self.checks), default=0.0)

    def __str__(self):
        return "\n".join(f"inputs[{i}]: {check}" for i, check in enumerate(self.checks))


def check_backward(forward, backward, inputs, rng=0, eps=1e-6, tol=1e-7):
    """Check a backward pass against central differences of its forward pass.

    With a random upstream gradient G shaped like ``forward(*inputs)``, the
    gradient of the scalar ``sum(G * forward(*inputs))`` with respect to each
    input is computed by central differences and compared with
    ``backward(G, *inputs)``. Everything is float64.

    Parameters
    ----------
    forward : callable
        ``forward(*inputs)`` returns an array (or a number) y.
    backward : callable
        ``backward(G, *inputs)`` returns the gradient for each input: a tuple of
        ``len(inputs)`` arrays, or one array when there is one input. Close over
        the arguments that are not checked: ``lambda G, x: conv2d_backward(G, x, w)[0]``.
    inputs : list or tuple of ndarray
        The point at which to check, one array per argument of ``forward``.
    rng : int or numpy.random.Generator
        Seed (or generator) for G.
    eps : float
        The step of ``numerical_gradient``.
    tol : float
        The largest relative error accepted for every input, >= 0.

    Returns
    -------
    BackwardCheck
        The relative error and the worst entry of each input's gradient.

    Raises
    ------
    AssertionError
        If some input's relative error exceeds ``tol``; the message lists every
        input's error, worst entry and both values there.
    TypeError
        If ``forward`` or ``backward`` is not callable, ``inputs`` is not a list
        or tuple of arrays of real numbers, ``rng`` is neither an int nor a
        Generator, or ``eps`` or ``tol`` is not a real number.
    ValueError
        If ``backward`` returns another number of gradients than there are
        inputs, a gradient's shape differs from its input's, or ``eps``, ``tol``
        or ``rng`` is out of range.

    Notes
    -----
    The book derives this in :ref:`bpconv-gradcheck` and uses it in :ref:`bppool-table`.
    """
    inputs = _as_inputs(forward, backward, inputs)
    tol = as_real(tol, "tol", low=0)
    upstream = _generator(rng).standard_normal(np.shape(forward(*inputs)))
    gradients = _as_gradients(backward(upstream, *inputs), len(inputs))
    checks = []
    for i, x in enumerate(inputs):
        def loss(v, i=i):                    # sum(G * forward), input i replaced by v
            return np.sum(upstream * forward(*inputs[:i], v, *inputs[i + 1:]))
        numerical = numerical_gradient(loss, x, eps)
        checks.append(_compare(gradients[i], numerical, f"backward's gradient {i}", f"inputs[{i}]"))
    result = BackwardCheck(tuple(checks))
    if not result.error <= tol:
        raise AssertionError(f"backward check failed (tolerance {tol:.0e}):\n{result}")
    return result


def _as_inputs(forward, backward, inputs):
    for f, name in ((forward, "forward"), (backward, "backward")):
        if not callable(f):
            raise TypeError(f"{name} must be callable, got {type(f).__name__}")
    if not isinstance(inputs, (list, tuple)):
        raise TypeError(
            f"inputs must be a list or tuple of arrays (one per argument of forward), "
            f"got {type(inputs).__name__}"
        )
    return [np.array(as_array(x, f"inputs[{i}]"), dtype=np.float64) for i, x in enumerate(inputs)]


def _as_gradients(gradients, count):
    """The backward's result as a list of ``count`` gradients."""
    if count == 1 and not isinstance(gradients, (list, tuple)):
        gradients = [gradients]
    if not isinstance(gradients, (list, tuple)) or len(gradients) != count:
        got = len(gradients) if isinstance(gradients, (list, tuple)) else "one array"
        raise ValueError(f"backward must return one gradient per input ({count}), got {got}")
    return list(gradients)


def _generator(rng):
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, bool) or not isinstance(rng, numbers.Integral):
        raise TypeError(
            f"rng must be an int seed or a numpy.random.Generator, got {rng!r} of type "
            f"{type(rng).__name__}"
        )
    return np.random.default_rng(as_int(rng, "rng", minimum=0))
