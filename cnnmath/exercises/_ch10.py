"""Checks for the exercises of chapter 10, normalisation and regularisation."""

import numpy as np

from . import _register
from ._compare import compare_function


def _decayed(w0, lr, weight_decay, t):
    """Where plain SGD with weight decay takes w0 in t steps of a zero loss gradient."""
    return (1 - lr * weight_decay) ** t * np.asarray(w0, dtype=float)


@_register("norm-ex-decay")
def _check_decay(answer):
    """answer(w0, lr, weight_decay, t): the weights after t steps."""
    rng = np.random.default_rng(10)
    cases = [(rng.normal(size=n), lr, wd, t)
             for n, lr, wd, t in [(2, 0.1, 0.5, 20), (3, 0.01, 1e-3, 7), (1, 0.5, 0.2, 1),
                                  (4, 0.2, 0.0, 5)]]
    return compare_function(answer, _decayed, cases, name="your decay function")
