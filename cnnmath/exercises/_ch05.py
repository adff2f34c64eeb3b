"""Checks for the exercises of chapter 5, loss functions.

Every expected answer is computed here from cnnmath or SymPy, never typed in.
"""

import numpy as np
import sympy as sp

from .. import activations, losses
from . import _register
from ._compare import compare_function, compare_number, read_number, right, wrong


def _random_cases(make, sizes, seed):
    rng = np.random.default_rng(seed)
    return [make(rng, size) for size in sizes]


def _compare_function(function, reference, cases, *, name):
    """compare_function, at float32's precision for a reader who computes in float32.

    A function that returns float32 arrays cannot agree to 1e-9; it is compared to
    single precision instead, so that it passes (and is told so), or gets the hint a
    sign or a factor deserves rather than "wrong values".
    """
    return compare_function(function, reference, cases, name=name, low_precision=True,
                            note_precision=True)


# the hint for a nan or inf answer
_NOT_FINITE = ": somewhere a log of 0 or a division by 0 slipped in."


@_register("loss-ex-two-classes")
def _check_two_classes(answer):
    """answer(z, y): the gradient of the mean two-class cross-entropy."""
    def case(rng, n):
        return (rng.normal(scale=3, size=(n, 2)), rng.integers(0, 2, size=n))
    cases = _random_cases(case, [1, 3, 6, 11], seed=50)
    return _compare_function(answer, lambda z, y: losses.cross_entropy_backward(z, y),
                             cases, name="your gradient function")


def _huber_reference():
    """The derivative of the Huber loss, derived by SymPy, as a NumPy function."""
    e = sp.Symbol("e", real=True)
    huber = sp.Piecewise((e**2 / 2, sp.Abs(e) <= 1), (sp.Abs(e) - sp.Rational(1, 2), True))
    derivative = sp.lambdify(e, sp.diff(huber, e), "numpy")

    def huber_backward(prediction, target):
        err = np.asarray(prediction, dtype=float) - target
        return np.broadcast_to(derivative(err), err.shape) / err.size
    return huber_backward


@_register("loss-ex-huber")
def _check_huber(answer):
    """answer(prediction, target): the gradient of the mean Huber loss."""
    def case(rng, shape):
        return (rng.normal(scale=2, size=shape), rng.normal(scale=2, size=shape))
    cases = _random_cases(case, [(7,), (3, 4), (2, 3, 2), (1,)], seed=51)
    return _compare_function(answer, _huber_reference(), cases,
                             name="your huber_backward")


def _smoothed_target(classes=4, eps=0.1, true_class=2):
    return (1 - eps) * np.eye(classes)[true_class] + eps / classes


@_register("loss-ex-label-smoothing")
def _check_label_smoothing(answer):
    """answer: the smallest cross-entropy reachable against the smoothed target."""
    t = _smoothed_target()
    uniform = np.full(t.size, 1 / t.size)
    # H(t) = log C - D(t || uniform), from the library's KL divergence
    expected = float(np.log(t.size) - losses.kl_divergence(t, uniform))
    given, hint = read_number(answer, "the smallest loss", not_finite=_NOT_FINITE)
    if hint is not None:
        return hint
    # a value printed to six decimals (0.348780) is right: allow 1e-5 relative
    if np.isclose(given, expected, rtol=1e-5, atol=0):
        return right("the smallest loss is right.")
    if np.isclose(given, 0.0, atol=1e-9):
        return wrong("0 is the smallest loss for a one-hot target; a smoothed target "
                     "cannot be matched by a certain prediction. Where does the "
                     "gradient s - t vanish, and what is the loss there?")
    only_true = float(-np.log(t.max()))
    if np.isclose(given, only_true, rtol=1e-5):
        return wrong("that is the loss of the true class's term alone: the smoothed "
                     "target puts weight on every class, and every term counts.")
    for base in (2, 10):
        if np.isclose(given * np.log(base), expected, rtol=1e-5):
            return wrong(f"that is the right entropy measured with log base {base}; "
                         "cross-entropy losses use the natural log.")
    if np.isclose(given, expected, rtol=1e-2):
        return wrong("close, but not within 1e-5: if you typed a rounded value, give "
                     "at least six significant digits, or pass the computed number.")
    return compare_number(given, expected, name="the smallest loss")


@_register("loss-ex-kl-logits")
def _check_kl_logits(answer):
    """answer(p, z): the gradient of D(p || softmax(z)) with respect to z."""
    def reference(p, z):
        q = activations.softmax(z)
        return activations.softmax_backward(losses.kl_divergence_backward(p, q), z)

    def case(rng, c):
        return (rng.dirichlet(np.ones(c)), rng.normal(scale=2, size=c))
    cases = _random_cases(case, [2, 3, 5, 8], seed=52)
    return _compare_function(answer, reference, cases, name="your kl_logits_backward")


@_register("loss-ex-mape-bias")
def _check_mape_bias(answer):
    """answer: the constant prediction that minimises the MAPE of 50, 100, 200."""
    targets = np.array([50.0, 100.0, 200.0])
    # MAPE is piecewise linear in c with kinks at the targets: its minimum is at one.
    values = [losses.mape(np.full(targets.size, c), targets) for c in targets]
    best = int(np.argmin(values))
    expected = float(targets[best])
    given, hint = read_number(answer, "the best constant", not_finite=_NOT_FINITE)
    if hint is not None:
        return hint
    if np.isclose(given, expected, rtol=1e-6):
        return right("the best constant is right.")
    if np.isclose(given, targets.mean(), rtol=1e-3):
        return wrong("that is the mean of the targets, the best constant for the MSE. "
                     "MAPE divides each error by its target: weigh the targets.")
    if np.isclose(given, np.median(targets), rtol=1e-3):
        return wrong("that is the plain median, the best constant for the MAE. MAPE "
                     "divides each error by its target: weigh the targets.")
    if np.isclose(given, losses.mape(np.full(targets.size, expected), targets),
                  rtol=1e-3):
        return wrong("that is the smallest MAPE itself; the exercise asks for the "
                     "constant c at which it is reached.")
    others = [float(y) for k, y in enumerate(targets) if k != best]
    if any(np.isclose(given, y, rtol=1e-6) for y in others):
        return wrong("that target is not the one MAPE prefers: each target pulls c "
                     "with the weight 1/|y_i|, so check which way the small and the "
                     "large targets pull.")
    side = "above" if given > expected else "below"
    return wrong(f"the MAPE is not smallest there: it still decreases if you move c "
                 f"from your value {'down' if side == 'above' else 'up'} "
                 "(compare its slopes on either side).")
