"""Checks for the exercises of chapter 4, activation functions.

Every expected answer is derived here with SymPy or computed with ``cnnmath``; none is
typed in.
"""

import numpy as np
import sympy as sp
from sympy.functions.elementary.hyperbolic import HyperbolicFunction

from .. import activations
from . import _register
from ._compare import (compare_expression, compare_function, compare_number, read_number,
                       right, wrong)

_x = sp.Symbol("x", real=True)


def _sigmoid(argument):
    return 1 / (1 + sp.exp(-argument))


def _as_expression_in_x(answer, what):
    """The reader's answer as a SymPy expression whose symbol x is ours (by name)."""
    try:
        given = sp.sympify(answer)
    except (sp.SympifyError, TypeError):
        return None, wrong(f"{what} should be a SymPy expression in x, got "
                           f"{type(answer).__name__}.")
    if isinstance(given, sp.MatrixBase) or not isinstance(given, sp.Expr):
        return None, wrong(f"{what} should be one SymPy expression in x.")
    given = given.subs({symbol: _x for symbol in given.free_symbols if str(symbol) == "x"})
    return given, None


@_register("act-ex-tanh-sigmoid")
def _check_tanh_sigmoid(answer):
    """answer: tanh'(x) written with the sigmoid of 2x, a SymPy expression in x."""
    given, problem = _as_expression_in_x(answer, "your tanh'(x)")
    if problem is not None:
        return problem
    expected = sp.diff(sp.tanh(_x), _x)
    hyperbolic = sorted({type(f).__name__ for f in given.atoms(sp.Function)
                         if isinstance(f, HyperbolicFunction)})
    # Compare as rational functions of t = e^x, where cancelling is exact.
    t = sp.Symbol("t", positive=True)

    def in_t(expression):
        return sp.cancel(sp.together(expression.rewrite(sp.exp).subs(sp.exp(_x), t)))

    verdict = compare_expression(in_t(given), in_t(expected), name="your tanh'(x)")
    if verdict and hyperbolic:
        return wrong(f"your tanh'(x) is right, but it is written with {hyperbolic[0]}; "
                     "the exercise asks for it in terms of sigma(2x) alone, written out "
                     "as 1 / (1 + sp.exp(-2 * x)).")
    return verdict


def _silu_backward(dy, x):
    slope = sp.lambdify(_x, sp.diff(_x * _sigmoid(_x), _x), "numpy")
    return np.asarray(dy) * slope(np.asarray(x, dtype=float))


@_register("act-ex-silu")
def _check_silu(answer):
    """answer(dy, x): dy times the SiLU's derivative at x."""
    rng = np.random.default_rng(4)
    shapes = [(7,), (3, 4), (2, 3, 5)]
    cases = [(rng.normal(size=shape), rng.normal(scale=3, size=shape)) for shape in shapes]
    if callable(answer):
        x, dy = cases[1][1], cases[1][0]
        # Copies, so that a function that updates its arguments in place cannot change
        # the cases or the reference.
        try:
            with np.errstate(all="ignore"):
                slope_only = np.allclose(answer(np.ones_like(x), x.copy()),
                                         _silu_backward(1, x), rtol=1e-6)
                with_dy = np.allclose(answer(dy.copy(), x.copy()),
                                      _silu_backward(dy, x), rtol=1e-6)
        except Exception:  # the reader's code: compare_function reports the error below
            slope_only = with_dy = False
        if slope_only and not with_dy:
            return wrong("your silu_backward is right when dy is all ones, but not for "
                         "other dy: the chain rule multiplies the slope by dy.")
    # rtol 1e-6 lets a float32 computation pass; every mistake of form is far larger.
    return compare_function(answer, _silu_backward, cases, name="your silu_backward",
                            rtol=1e-6, atol=1e-9)


@_register("act-ex-softmax-sum")
def _check_softmax_sum(answer):
    """answer: the row vector 1^T J of the softmax Jacobian for C = 4, simplified."""
    z = sp.Matrix(sp.symbols("z0:4", real=True))
    s = z.applyfunc(sp.exp) / sum(z.applyfunc(sp.exp))
    expected = sp.simplify(sp.ones(1, 4) * s.jacobian(z))
    if isinstance(answer, (list, tuple, np.ndarray)):
        try:          # a flat list of entries is read as a row
            answer = sp.Matrix([list(answer)] if np.ndim(answer) == 1 else answer)
        except (TypeError, ValueError, sp.SympifyError):
            return wrong("your 1^T J should be a SymPy Matrix of shape (1, 4).")
    if isinstance(answer, sp.MatrixBase) and answer.shape == (4, 4):
        return wrong("your answer has shape (4, 4), the Jacobian itself; multiply it by "
                     "the row of ones, sp.ones(1, 4), from the left.")
    if isinstance(answer, sp.MatrixBase) and answer.shape == (4, 1):
        return wrong("your answer has shape (4, 1): 1^T J is a row, sp.ones(1, 4) * J.")
    return compare_expression(answer, expected, name="your 1^T J")


@_register("act-ex-float32")
def _check_float32(answer):
    """answer: the x below which 1 / (1 + exp(-x)) overflows in float32."""
    largest = float(np.finfo(np.float32).max)
    expected = -float(np.log(largest))
    given, hint = _number(answer, "the threshold")
    if hint is not None:
        return hint
    if np.isclose(given, -float(np.log(np.finfo(np.float64).max)), rtol=1e-6):
        return wrong("that is the float64 threshold; the exercise asks about float32 "
                     "(np.finfo(np.float32)).")
    for base, log in [("10", np.log10), ("2", np.log2)]:
        if np.isclose(abs(given), float(log(largest)), rtol=1e-6):
            return wrong(f"that uses the base-{base} logarithm; e^(-x) needs the natural "
                         "one, np.log.")
    verdict = compare_number(given, expected, name="the threshold", rtol=1e-6)
    if not verdict and abs(given - expected) < 0.05:
        return wrong("the threshold is close but not right to 6 digits: compute it from "
                     "np.finfo(np.float32).max instead of rounding.")
    return verdict


def _number(answer, name):
    """read_number (one finite number, or the hint that says why not), refusing booleans:
    True is not the answer 1."""
    if isinstance(answer, (bool, np.bool_)):
        return None, wrong(f"{name} should be a number, got {type(answer).__name__}.")
    return read_number(answer, name)


@_register("act-ex-elu-smooth")
def _check_elu_smooth(answer):
    """answer: the alpha > 0 for which the ELU is differentiable at 0."""
    h = sp.Symbol("h", real=True)
    alpha = sp.Symbol("alpha", positive=True)
    left = sp.limit(alpha * (sp.exp(h) - 1) / h, h, 0, "-")
    right_slope = sp.limit(h / h, h, 0, "+")
    solutions = sp.solve(sp.Eq(left, right_slope), alpha)
    if len(solutions) != 1:
        raise AssertionError("the one-sided slopes should meet at exactly one alpha")
    if isinstance(answer, (list, tuple)) and len(answer) == 1:
        return wrong("your alpha is a list of one element; sp.solve returns a list, so "
                     "take its element [0].")
    given, hint = _number(answer, "your alpha")
    if hint is not None:
        return hint
    verdict = compare_number(given, float(solutions[0]), name="your alpha")
    if not verdict and "off by one" in verdict.message:
        return wrong("your alpha is not right: set the two one-sided slopes at 0 equal.")
    return verdict


def _log_sigmoid(x):
    return -activations.softplus(-np.asarray(x, dtype=float))


@_register("act-ex-log-sigmoid")
def _check_log_sigmoid(answer):
    """answer(x): log(sigmoid(x)) computed without overflow or -inf for finite x."""
    rng = np.random.default_rng(5)
    cases = [(rng.normal(scale=4, size=9),),
             (np.array([-1000.0, -745.0, -40.0, -1e-12, 0.0, 1e-12, 40.0, 745.0, 1000.0]),),
             (rng.normal(scale=300, size=(3, 4)),)]
    with np.errstate(all="ignore"):
        verdict = compare_function(answer, _log_sigmoid, cases, name="your log_sigmoid",
                                   rtol=1e-12, atol=1e-300, low_precision=False)
        if not verdict and "raised" not in verdict.message \
                and "inf or nan" not in verdict.message:
            probe = np.array([-3.0, 20.0, 40.0])
            try:
                result = answer(probe.copy())
                dtype = np.asarray(result).dtype
                values = np.asarray(result, dtype=float).reshape(3)
                lost = (np.isclose(values[0], _log_sigmoid(probe[0]))
                        and values[2] == 0)
            except Exception:  # the reader's code: the verdict above already says why
                dtype, lost = None, False
            if dtype is not None and dtype.kind == "f" and dtype.itemsize < 8:
                return wrong(f"your log_sigmoid returns {dtype}; compute in the float64 "
                             "of its input so that the last digits survive.")
            if lost:
                return wrong("for x = 40 your log_sigmoid returns 0, where "
                             "log sigma(x) is about -e^(-x): 1 + e^(-x) rounds to 1, "
                             "which np.log1p avoids.")
    if not verdict and "inf or nan" in verdict.message:
        return wrong(verdict.message.removeprefix("not yet: ")
                     + " Exponentiate only numbers that are not positive.")
    return verdict if not verdict else right(
        "log_sigmoid agrees with -softplus(-x) for |x| up to 1000.")
