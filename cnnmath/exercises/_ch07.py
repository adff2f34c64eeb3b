"""Checks for the exercises of chapter 7, backward propagation through pooling and dense
layers.

Every reference answer is computed here from cnnmath's own forward and backward passes,
never typed in.
"""

import numpy as np

import cnnmath

from . import _register
from ._compare import (agrees, as_number, as_numbers, calls_to, check_function,
                       compare_arrays, compare_function, compare_number, fewer_axes,
                       not_numbers, rounded, wrong)

# The input of the top row of the chapter's routing figure, which the unpooling
# exercise prints in its statement.
UNPOOL_X = np.array([[1, 5, 2, 0],
                     [3, 2, 8, 1],
                     [0, 4, 1, 6],
                     [7, 2, 3, 2]], dtype=float)


@_register("bppool-ex-conserve")
def _check_conserve(answer):
    """answer: the sum of dx for a 6 x 6 input, 3 x 3 windows, stride 2, padding 1,
    count_include_pad=True and dy = 1."""
    x = np.zeros((1, 1, 6, 6))
    dy = np.ones_like(cnnmath.avg_pool2d(x, 3, 2, 1))
    total = float(cnnmath.avg_pool2d_backward(dy, x, 3, 2, 1).sum())
    given = as_number(answer)
    if given is None:
        return not_numbers(answer, "the sum of dx", number=True)
    if np.isclose(given, dy.sum()):
        return wrong("that is the total that arrives (one unit per window); part of it "
                     "goes to the padding and never reaches the input.")
    # rtol 1e-6 accepts a sum computed in float32.
    verdict = compare_number(answer, total, name="the sum of dx", rtol=1e-6)
    if not verdict and rounded(given, total, "the sum of dx") is not None:
        return rounded(given, total, "the sum of dx")
    return verdict


@_register("bppool-ex-unpool")
def _check_unpool(answer):
    """answer: the max unpooling of UNPOOL_X with 2 x 2 windows, shape (4, 4)."""
    x = UNPOOL_X[None, None]
    y = cnnmath.max_pool2d(x, 2)
    expected = cnnmath.max_pool2d_backward(y, x, 2)[0, 0]
    mask = cnnmath.max_pool2d_backward(np.ones_like(y), x, 2)[0, 0]
    given = as_numbers(answer)
    if given is None:
        return not_numbers(answer, "the unpooled image")
    if given.shape == mask.shape and np.array_equal(given, mask):
        return wrong("that is the mask of winners (ones); unpooling puts each window's "
                     "maximum itself where the one is.")
    hint = fewer_axes(given.shape, expected.shape, "the unpooled image")
    if hint is not None:
        return hint
    return compare_arrays(answer, expected, name="the unpooled image")


def _random_cases(rng, shapes, *extra):
    return [(rng.normal(size=shape), *args) for shape, args in zip(shapes, extra)]


@_register("bppool-ex-avg-is-conv")
def _check_avg_is_conv(answer):
    """answer(x, k): average pooling with k x k windows and stride k, via conv2d."""
    rng = np.random.default_rng(7)
    cases = _random_cases(rng, [(2, 3, 6, 6), (1, 1, 4, 4), (3, 2, 7, 5), (1, 4, 9, 9)],
                          (2,), (2,), (2,), (3,))
    verdict = check_function(answer, lambda x, k: cnnmath.avg_pool2d(x, k), cases,
                             name="your avg_pool_as_conv")
    if not verdict:
        return verdict
    calls = calls_to(cnnmath.conv.conv2d, answer, cases[0])
    if calls == 0:
        return wrong("the values are right, but your function never calls "
                     "cnnmath.conv2d: the exercise is to write the pooling as a "
                     "convolution.")
    if calls > 1:
        return wrong(f"the values are right, but your function calls conv2d {calls} "
                     f"times for one input of {cases[0][0].shape[1]} channels; one "
                     "call can pool every channel (see the hint).")
    return verdict


@_register("bppool-ex-dense-conv")
def _check_dense_conv(answer):
    """answer(weights, shape): the (n_out, C*H*W) dense weights as a conv2d kernel.

    Checked by what the kernel does: conv2d with it must give the dense layer's output,
    for inputs of several shapes.
    """
    if not callable(answer):
        return compare_function(answer, None, [], name="your to_kernel")
    rng = np.random.default_rng(8)
    cases = []
    for n, n_out, shape in [(2, 5, (3, 4, 4)), (1, 2, (1, 3, 2)), (3, 4, (2, 2, 5))]:
        cases.append((rng.normal(size=(n, *shape)), rng.normal(size=(n_out, int(np.prod(shape)))),
                      rng.normal(size=n_out)))

    def through_conv(x, weights, b):
        kernel = answer(weights, x.shape[1:])
        if kernel is None:
            raise TypeError("your to_kernel returned None: is its return statement "
                            "missing?")
        result = cnnmath.conv2d(x, kernel, b).reshape(len(x), -1)
        dtype = getattr(kernel, "dtype", None)
        if dtype in (np.float32, np.float16):    # compared at the kernel's precision
            result = result.astype(dtype)
        return result

    def dense(x, weights, b):
        return cnnmath.linear(x.reshape(len(x), -1), weights, b)

    return compare_function(through_conv, dense, cases,
                            name="conv2d with your kernel")


@_register("bppool-ex-lp-to-max")
def _check_lp_gradient(answer):
    """answer(x, p): the gradient of (sum x**p)**(1/p) for a 1-D positive x, finite for
    p up to 1000 and entries up to 1000."""
    rng = np.random.default_rng(9)
    cases = [(rng.uniform(0.5, 2.0, size=4), 2.0), (rng.uniform(0.1, 1.0, size=6), 3.0),
             (rng.uniform(1.0, 3.0, size=5), 1.5), (rng.uniform(1.0, 1000.0, size=4), 10.0),
             (rng.uniform(1.0, 1000.0, size=5), 100.0),
             (rng.uniform(1.0, 1000.0, size=6), 1000.0)]

    def reference(x, p):
        window = x.reshape(1, 1, 1, -1)
        return cnnmath.lp_pool2d_backward(np.ones((1, 1, 1, 1)), window, p,
                                          (1, x.size))[0, 0, 0]

    verdict = check_function(answer, reference, cases, name="your lp_gradient")
    if verdict or not agrees(answer, reference, cases[:3]):
        return verdict
    # Right for small p, wrong for large p: did a power overflow (inf, nan, or 0 after
    # dividing by inf)?
    for x, p in cases[3:]:
        try:
            got = as_numbers(answer(x.copy(), p))
        except Exception:  # compare_function has reported it
            return verdict
        if got is not None and got.shape == x.shape and (
                not np.all(np.isfinite(got)) or not np.any(got)):
            return wrong(f"your lp_gradient is right for small p, but for p = {p:g} and "
                         f"entries up to {x.max():.0f} it gives "
                         f"{'inf or nan' if not np.all(np.isfinite(got)) else 'only zeros'}"
                         ": a power overflowed on the way.")
    return verdict
