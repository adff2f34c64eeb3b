"""Checks for the exercises of chapter 5, loss functions.

Every expected answer is computed here from cnnmath or SymPy, never typed in.
"""

import numpy as np
import sympy as sp

from .. import activations, losses
from . import _register
from ._compare import compare_function, compare_number, right, wrong


def _random_cases(make, sizes, seed):
    rng = np.random.default_rng(seed)
    return [make(rng, size) for size in sizes]


def _single_precision(function, args):
    """Whether ``function`` answers ``args`` with a float32 array (False if it fails)."""
    try:
        result = function(*[np.copy(a) for a in args])
        return np.asarray(result).dtype == np.float32
    except Exception:  # the reader's code: compare_function reports its failures
        return False


def _compare_function(function, reference, cases, *, name):
    """compare_function, with float32 tolerances for a reader who computes in float32.

    A function that returns float32 arrays cannot agree to 1e-9; it is compared to
    single precision instead, so that it passes, or gets the hint a sign or a factor
    deserves rather than "wrong values".
    """
    verdict = compare_function(function, reference, cases, name=name)
    if verdict or not callable(function) or not _single_precision(function, cases[0]):
        return verdict
    single = compare_function(function, reference, cases, name=name, rtol=1e-5,
                              atol=1e-7)
    if single:
        return right(f"{name} agrees with the reference on {len(cases)} random cases, "
                     "to single precision (it returns float32).")
    return single


def _number(answer, name):
    """``(value, None)`` for an answer that is one finite number, else ``(None, hint)``.

    Accepts ints, floats, NumPy scalars, arrays or lists holding one number and SymPy
    numbers; a string, None, a container of several numbers or nan get a hint.
    """
    if answer is None or isinstance(answer, (str, bytes)):
        got = f"the string {answer!r}" if isinstance(answer, str) else "None"
        return None, wrong(f"{name} should be a number, got {got}: write the number "
                           "itself (or the variable that holds it), without quotes.")
    try:
        value = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return None, wrong(f"{name} should be a number, got {type(answer).__name__}.")
    if value.size != 1:
        return None, wrong(f"{name} should be one number, got {type(answer).__name__} "
                           f"of shape {value.shape}.")
    value = float(value.item())
    if not np.isfinite(value):
        return None, wrong(f"{name} is {value}: somewhere a log of 0 or a division by "
                           "0 slipped in.")
    return value, None


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
    given, hint = _number(answer, "the smallest loss")
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
    given, hint = _number(answer, "the best constant")
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
