"""Checks for the exercises of chapter 3, output size.

Every expected answer is computed here from ``cnnmath`` (the size formulas, or the
operations themselves) or derived with SymPy; none is typed in.
"""

import numpy as np
import sympy as sp

from .. import conv2d_backward, conv2d_parameter_count, conv_output_size
from .. import conv_transpose_output_size, linear_parameter_count, pool_output_size
from .. import receptive_field
from . import _register
from ._compare import (compare_arrays, compare_expression, compare_number, read_number,
                       right, wrong)


def _unread_rows(n, k, s):
    """Rows of an n-row input that a k-row kernel at stride s (no padding) never reads.

    Measured, not derived: the rows where the input gradient of an all-ones convolution
    is zero.
    """
    out = conv_output_size(n, k, s)
    dx = conv2d_backward(np.ones((1, 1, out, 1)), np.ones((1, 1, n, 1)),
                         np.ones((1, 1, k, 1)), stride=(s, 1))[0]
    return int(np.sum(dx[0, 0, :, 0] == 0))


def _whole_number(value):
    """``value`` as an int if it is a whole number (int, NumPy integer, integral float or
    size-1 array), else None. Booleans are not numbers of rows or layers."""
    if isinstance(value, (bool, np.bool_, str, bytes)):
        return None
    try:
        array = np.asarray(value)
        if array.size != 1 or array.dtype.kind not in "iuf":
            return None
        number = float(array.reshape(()))
    except (TypeError, ValueError):
        return None
    return int(number) if np.isfinite(number) and number.is_integer() else None


@_register("size-ex-unread")
def _check_unread(answer):
    """answer(n, k, s): the number of input rows no window reads."""
    if not callable(answer):
        return wrong("the answer should be a Python function unread_rows(n, k, s), got "
                     f"{type(answer).__name__}.")
    rng = np.random.default_rng(3)
    cases = [(28, 3, s) for s in range(1, 6)]
    for _ in range(20):
        k = int(rng.integers(1, 6))
        cases.append((int(rng.integers(k, 40)), k, int(rng.integers(1, 8))))
    for n, k, s in cases:
        try:
            got = answer(n, k, s)
        except Exception as error:  # the reader's code: report any failure as a hint
            return wrong(f"unread_rows({n}, {k}, {s}) raised {type(error).__name__}: "
                         f"{error}.")
        expected = _unread_rows(n, k, s)
        count = _whole_number(got)
        if count is None:
            return wrong(f"unread_rows({n}, {k}, {s}) returned {got!r}; it should return "
                         "a whole number of rows.")
        got = count
        if got != expected:
            hint = (f"unread_rows({n}, {k}, {s}) returns {got}, "
                    f"{'too many' if got > expected else 'too few'} rows")
            if s > k:
                hint += (": here the stride exceeds the kernel, so the windows leave gaps; "
                         "are the rows in the gaps counted?")
            else:
                hint += ": count the rows the windows read, the first window included."
            return wrong(hint)
    return right(f"your unread_rows agrees with the measured rows on {len(cases)} cases.")


_M, _K, _S, _P, _D, _n = sp.symbols("M k s p d n", integer=True)


def _smallest_input():
    """The smallest n whose output size is M, solved from the count's inequality.

    n gives at least M outputs exactly when its window can make M - 1 whole steps:
    n + 2p - d(k - 1) - 1 >= (M - 1) s. The smallest such n makes it an equality.
    """
    return sp.solve(sp.Eq(_n + 2 * _P - _D * (_K - 1) - 1, (_M - 1) * _S), _n)[0]


@_register("size-ex-preimage")
def _check_preimage(answer):
    """answer: a SymPy expression in M, k, s, p, d, the smallest input size."""
    mine = {str(symbol): symbol for symbol in (_M, _K, _S, _P, _D)}
    if isinstance(answer, (list, tuple)) and len(answer) == 1:
        return wrong("the answer is a list of one element; sp.solve returns a list, "
                     "so take its element [0].")
    try:
        # In a string, S would be SymPy's singletons: read the letters as symbols.
        given = sp.sympify(answer, locals=dict(mine)) if isinstance(answer, str) \
            else sp.sympify(answer)
    except (sp.SympifyError, TypeError, SyntaxError):
        return wrong("the answer should be a SymPy expression in M, k, s, p and d, got "
                     f"{type(answer).__name__}.")
    if isinstance(given, sp.MatrixBase) or not isinstance(given, sp.Expr):
        return wrong("the answer should be one SymPy expression in M, k, s, p and d.")
    # The reader's symbols may carry other assumptions: match them by name.
    given = given.subs({symbol: mine[str(symbol)] for symbol in given.free_symbols
                        if str(symbol) in mine}, simultaneous=True)
    if "N" in {str(symbol) for symbol in given.free_symbols}:
        return wrong("the exercise calls the number of outputs M (N is the batch size "
                     "in this book): write your expression with the symbol M.")
    expected = _smallest_input()
    verdict = compare_expression(given, expected, name="your smallest n")
    if verdict:
        return verdict
    difference = sp.simplify(given - expected)
    if sp.simplify(difference - (_S - 1)) == 0:
        return wrong("yours is the largest input size that gives M outputs; the "
                     "exercise asks for the smallest.")
    if difference.is_number and difference != 0:
        return wrong(f"your smallest n is off by the constant {difference}: check that "
                     "your n gives M outputs and that n - 1 gives M - 1.")
    strides = sp.simplify(difference / _S)
    if strides.is_number:
        return wrong(f"your smallest n is off by {strides} stride(s): the first window "
                     "counts as one output before any step is taken.")
    return verdict


@_register("size-ex-upsample")
def _check_upsample(answer):
    """answer: the output_padding that takes 7 x 7 to 14 x 14 (k 3, s 2, p 1)."""
    expected = 14 - conv_transpose_output_size(7, 3, stride=2, padding=1)
    given = _whole_number(answer)
    if given is None:
        return wrong(f"the output_padding should be a whole number, got {answer!r}.")
    if not 0 <= given < 2:
        return wrong(f"output_padding {given} is not allowed: it must be at least 0 and "
                     "smaller than the stride.")
    if given != expected:
        size = conv_transpose_output_size(7, 3, stride=2, padding=1,
                                          output_padding=given)
        return wrong(f"with output_padding {given} the transposed convolution gives "
                     f"{size} x {size}, not 14 x 14.")
    return compare_number(given, expected, name="the output_padding")


def _sizes_changed_by_ceil(k, s, p):
    return [n for n in range(1, 17) if n + 2 * p >= k
            and pool_output_size(n, k, s, p, ceil_mode=True) != pool_output_size(n, k, s, p)]


def _compare_sizes(given, expected, name, smallest):
    try:
        numbers = [_whole_number(n) for n in given]
    except TypeError:
        numbers = [None]
    if None in numbers:
        return wrong(f"{name} should be a list of whole numbers n.")
    given = sorted(numbers)
    missing = sorted(set(expected) - set(given))
    extra = sorted(set(given) - set(expected))
    if not missing and not extra:
        return right(f"{name} is right.")
    too_small = [n for n in extra if n < smallest]
    if too_small:
        return wrong(f"{name} contains n = {too_small[0]}, smaller than the padded "
                     "window: pooling has no output at all there.")
    parts = []
    if missing:
        parts.append(f"misses {len(missing)} size(s), the smallest n = {missing[0]}")
    if extra:
        parts.append(f"has {len(extra)} size(s) where ceil_mode changes nothing, the "
                     f"smallest n = {extra[0]}")
    return wrong(f"{name} " + " and ".join(parts) + ": look at the leftover "
                 "(n + 2p - k) mod s and where the extra window would start.")


@_register("size-ex-ceil")
def _check_ceil(answer):
    """answer: (sizes for 2x2 stride 2, sizes for 3x3 stride 2 padding 1), n <= 16."""
    try:
        first, second = answer
    except (TypeError, ValueError):
        return wrong("the answer should be a pair of lists: the sizes n for 2 x 2 pooling, "
                     "then those for 3 x 3 pooling with padding 1.")
    for given, (k, s, p), name in [(first, (2, 2, 0), "your first list (2 x 2, stride 2)"),
                                   (second, (3, 2, 1),
                                    "your second list (3 x 3, stride 2, padding 1)")]:
        verdict = _compare_sizes(given, _sizes_changed_by_ceil(k, s, p), name,
                                 smallest=k - 2 * p)
        if not verdict:
            return verdict
    return right("both lists are right.")


def _layers_needed(dilation_of, target=33):
    depth = 1
    while receptive_field([dict(kernel_size=3, dilation=dilation_of(layer))
                           for layer in range(depth)]) < target:
        depth += 1
    return depth


@_register("size-ex-receptive")
def _check_receptive(answer):
    """answer: (layers with dilation 1, layers with dilations 1, 2, 4, ...)."""
    expected = [_layers_needed(lambda layer: 1), _layers_needed(lambda layer: 2 ** layer)]
    return compare_arrays(answer, expected, name="the pair (plain, doubling)")


def _same_cifar_parameters():
    side = pool_output_size(conv_output_size(32, 5, padding=2), 2)     # 'same' keeps 32
    side = pool_output_size(conv_output_size(side, 5), 2)
    flat = 16 * side * side
    return (conv2d_parameter_count(3, 6, 5) + conv2d_parameter_count(6, 16, 5)
            + linear_parameter_count(flat, 120) + linear_parameter_count(120, 84)
            + linear_parameter_count(84, 10)), flat


@_register("size-ex-same-cifar")
def _check_same_cifar(answer):
    """answer: the parameter count of the network whose first convolution pads 'same'."""
    expected, flat = _same_cifar_parameters()
    original = expected - linear_parameter_count(flat, 120) + linear_parameter_count(400, 120)
    given, hint = read_number(answer, "the parameter count")
    if hint is not None:
        return hint
    if given == original:
        return wrong("that is the count of the original network: with 'same' padding the "
                     "flattened size changes, and with it the first dense layer.")
    if given == flat:
        return wrong("that is the flattened size; the exercise asks for the parameter "
                     "count of the whole network.")
    return compare_number(given, expected, name="the parameter count")
