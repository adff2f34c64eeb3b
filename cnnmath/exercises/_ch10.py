"""Checks for the exercises of chapter 10, normalisation and regularisation.

Every reference answer is computed here from cnnmath (its optimisers and its batch
normalisation) or with SymPy, never typed in.
"""

import numpy as np
import sympy as sp

from cnnmath import conv2d, nn, normalization

from . import _register
from ._compare import (agrees, check_function, compare_arrays, compare_expression,
                       not_numbers, right, wrong)


def _decayed(w0, lr, weight_decay, t):
    """Where nn.SGD with weight decay takes w0 in t steps of a zero loss gradient."""
    param = nn.Parameter(np.array(w0, dtype=float), "w")
    optimizer = nn.SGD([param], lr=lr, weight_decay=weight_decay)
    for _ in range(t):
        param.grad = np.zeros_like(param.data)
        optimizer.step()
    return param.data


@_register("norm-ex-decay")
def _check_decay(answer):
    """answer(w0, lr, weight_decay, t): the weights after t steps."""
    rng = np.random.default_rng(10)
    cases = [(rng.normal(size=n), lr, wd, t)
             for n, lr, wd, t in [(2, 0.1, 0.5, 20), (3, 0.01, 1e-3, 7), (1, 0.5, 0.2, 1),
                                  (4, 0.2, 0.0, 5)]]
    return check_function(answer, _decayed, cases, name="your decay function")


@_register("norm-ex-fold")
def _check_fold(answer):
    """answer(w, b, gamma, beta, mean, var, eps=1e-5) -> (w_folded, b_folded)."""
    if not callable(answer):
        return wrong(f"your fold should be a Python function, got {type(answer).__name__}.")
    rng = np.random.default_rng(11)
    for c_out, c_in, k in [(4, 3, 3), (2, 1, 1), (3, 2, 5)]:
        w, b = rng.normal(size=(c_out, c_in, k, k)), rng.normal(size=c_out)
        gamma, beta = rng.normal(size=c_out), rng.normal(size=c_out)
        mean, var = rng.normal(size=c_out), rng.uniform(0.5, 2.0, size=c_out)
        try:      # copies: a fold that changes its arguments must not change ours
            folded = answer(*[a.copy() for a in (w, b, gamma, beta, mean, var)], 1e-5)
            w_folded, b_folded = folded
        except Exception as error:  # the reader's code: report any failure as a hint
            return wrong(f"your fold raised {type(error).__name__}: {error} (it should "
                         "return a pair (w_folded, b_folded)).")
        for folded_part, what in [(w_folded, "weights are"), (b_folded, "bias is")]:
            dtype = getattr(folded_part, "dtype", None)
            digits = {np.float32: 7, np.float16: 3}.get(getattr(dtype, "type", None))
            if digits:
                return wrong(f"your folded {what} {dtype}, which keeps only about "
                             f"{digits} digits; the inputs are float64, keep them so.")
        # Batch normalisation in evaluation, applied to a batch of one: to ones with no
        # mean and no shift it gives the scale s, to the bias it gives the folded bias.
        ones, zeros = np.ones((1, c_out)), np.zeros(c_out)
        scale = normalization.batch_norm(ones, zeros, var, gamma, zeros, eps=1e-5)[0]
        expected_b = normalization.batch_norm(b[None], mean, var, gamma, beta, eps=1e-5)[0]
        s_without_eps = gamma / np.sqrt(var)        # a common slip, for its hint
        for given, expected, slip, name in [
                (w_folded, scale[:, None, None, None] * w,
                 s_without_eps[:, None, None, None] * w, "the folded weights"),
                (b_folded, expected_b, s_without_eps * (b - mean) + beta,
                 "the folded bias")]:
            if not_numbers(given, name) is not None:
                return not_numbers(given, name)
            verdict = compare_arrays(given, expected, name=name)
            if not verdict:
                if compare_arrays(given, slip):
                    return wrong(f"{name}: right except for eps, which belongs under "
                                 "the square root, added to the variance.")
                return verdict
        x = rng.normal(size=(2, c_in, k + 3, k + 2))
        two_steps = normalization.batch_norm(conv2d(x, w, b), mean, var, gamma, beta)
        one_step = conv2d(x, np.asarray(w_folded, float), np.asarray(b_folded, float))
        verdict = compare_arrays(one_step, two_steps, name="conv2d with your folded "
                                 "weights and bias", rtol=1e-9, atol=1e-9)
        if not verdict:
            return verdict
    return right("your fold is right: one convolution equals conv + batch norm.")


def _two_value_x_hat():
    """x_hat_1 for a channel of M = 2 values, built from the definition with SymPy."""
    x1, x2 = sp.symbols("x_1 x_2", real=True)
    eps = sp.Symbol("varepsilon", positive=True)
    mu = (x1 + x2) / 2
    var = ((x1 - mu) ** 2 + (x2 - mu) ** 2) / 2
    return (x1 - mu) / sp.sqrt(var + eps), {"x_1": x1, "x_2": x2, "varepsilon": eps}


@_register("norm-ex-two")
def _check_two(answer):
    """answer: x_hat_1 for M = 2, a SymPy expression in x_1, x_2 and varepsilon."""
    expected, by_name = _two_value_x_hat()
    try:
        given = sp.sympify(answer)
    except Exception:  # a string goes through SymPy's parser: report any failure
        given = None
    if not isinstance(given, sp.Expr) or isinstance(given, sp.MatrixBase):
        return wrong("your x_hat_1 should be one SymPy expression in x_1, x_2 and "
                     f"varepsilon, got {type(answer).__name__}.")
    # Decimals such as 0.5 become the fractions they stand for, so that SymPy can cancel
    # them exactly.
    if given.has(sp.Float):
        given = sp.nsimplify(given, rational=True)
    # The reader's symbols may carry other assumptions (or none): match them by name.
    given = given.subs({s: by_name[s.name] for s in given.free_symbols
                        if s.name in by_name})
    verdict = compare_expression(given, expected, name="your x_hat_1")
    if verdict:
        return verdict
    others = sorted(s.name for s in given.free_symbols if s.name not in by_name)
    if others:
        return wrong(f"your x_hat_1 depends on {others}; the check knows the symbols by "
                     "their names, x_1, x_2 and varepsilon.")
    x1, x2, eps = by_name["x_1"], by_name["x_2"], by_name["varepsilon"]
    unbiased = (x1 - x2) / 2 / sp.sqrt((x1 - x2) ** 2 / 2 + eps)     # divides by M - 1
    if sp.simplify(given - unbiased) == 0:
        return wrong("your x_hat_1 uses the unbiased variance (dividing by M - 1); "
                     "batch normalisation divides by M.")
    return verdict


class _BowlGradient:
    """The gradient of the bowl 0.5 * sum(a_i theta_i**2), with a readable repr."""

    def __init__(self, curvatures):
        self.curvatures = curvatures

    def __call__(self, theta):
        return self.curvatures * theta

    def __repr__(self):
        return "a quadratic bowl's gradient"


def _adam_run(theta0, grad_of, steps, lr, weight_decay, decoupled):
    """nn.Adam for `steps` steps, its weight decay coupled or decoupled (AdamW)."""
    param = nn.Parameter(np.array(theta0, dtype=float), "theta")
    optimizer = nn.Adam([param], lr=lr, weight_decay=0.0 if decoupled else weight_decay)
    for _ in range(steps):
        gradient = grad_of(param.data)
        if decoupled:
            param.data *= 1 - lr * weight_decay
        param.grad = gradient
        optimizer.step()
    return param.data


@_register("norm-ex-adamw")
def _check_adamw(answer):
    """answer(theta0, grad_of, steps, lr, weight_decay): theta after `steps` AdamW steps."""
    rng = np.random.default_rng(12)
    cases = [(rng.normal(size=n), _BowlGradient(rng.uniform(0.5, 10.0, size=n)), steps, lr,
              wd) for n, steps, lr, wd in [(2, 10, 0.1, 0.5), (3, 1, 0.01, 0.1),
                                            (4, 25, 0.05, 0.0), (2, 40, 0.2, 1.0)]]
    verdict = check_function(answer, lambda *args: _adam_run(*args, decoupled=True),
                             cases, name="your adamw")
    if not verdict and callable(answer):
        coupled = agrees(answer, lambda *args: _adam_run(*args, decoupled=False), cases)
        if coupled:
            return wrong("your adamw adds the decay to the gradient, so Adam's "
                         "normalisation absorbs it (that is nn.Adam's coupled weight "
                         "decay): shrink theta itself, before the Adam step.")
    return verdict
