"""Chapter 7's checks: the official answers pass, plausible wrong answers get a hint.

The right answers are computed here another way than the checks compute them: by
counting, with loops over the windows, or with the closed form of the exercise.
"""

import numpy as np

from cnnmath.exercises import check

# The input that the unpooling exercise prints in its statement. (Not imported from
# cnnmath.exercises._ch07: importing one chapter's module registers its checks, and then
# cnnmath.exercises no longer loads the other chapters'.)
UNPOOL_X = np.array([[1, 5, 2, 0],
                     [3, 2, 8, 1],
                     [0, 4, 1, 6],
                     [7, 2, 3, 2]], dtype=float)


def test_conserve_official_answer_passes():
    # rows of the three windows hold 2, 3 and 3 real pixels, and so do the columns
    assert check("bppool-ex-conserve", (2 + 3 + 3) ** 2 / 9)


def test_conserve_wrong_answers_get_hints():
    verdict = check("bppool-ex-conserve", 9.0)        # what arrives, not what reaches x
    assert not verdict and "padding" in verdict.message
    verdict = check("bppool-ex-conserve", 7 ** 2 / 9)  # a window too few
    assert not verdict and "too small" in verdict.message


def unpool_by_loops(x, k):
    out = np.zeros_like(x)
    for i in range(0, x.shape[0], k):
        for j in range(0, x.shape[1], k):
            window = x[i:i + k, j:j + k]
            r, q = np.unravel_index(np.argmax(window), window.shape)
            out[i + r, j + q] = window[r, q]
    return out


def test_unpool_official_answer_passes():
    assert check("bppool-ex-unpool", unpool_by_loops(UNPOOL_X, 2))


def test_unpool_wrong_answers_get_hints():
    mask = (unpool_by_loops(UNPOOL_X, 2) > 0).astype(float)
    verdict = check("bppool-ex-unpool", mask)
    assert not verdict and "mask" in verdict.message
    corner = np.zeros((4, 4))                          # each maximum in its window's corner
    corner[::2, ::2] = UNPOOL_X.reshape(2, 2, 2, 2).max(axis=(1, 3))
    verdict = check("bppool-ex-unpool", corner)
    assert not verdict and "first at [0, 0]" in verdict.message
    verdict = check("bppool-ex-unpool", UNPOOL_X.reshape(2, 2, 2, 2).max(axis=(1, 3)))
    assert not verdict and "shape (4, 4)" in verdict.message


def avg_by_reshape(x, k):
    n, c, h, w = x.shape
    h, w = h // k * k, w // k * k
    return x[:, :, :h, :w].reshape(n, c, h // k, k, w // k, k).mean(axis=(3, 5))


def test_avg_is_conv_official_answer_passes():
    import cnnmath

    def avg_pool_as_conv(x, k):
        n, c, h, w = x.shape
        kernel = np.full((1, 1, k, k), 1 / k ** 2)
        y = cnnmath.conv2d(x.reshape(n * c, 1, h, w), kernel, stride=k)
        return y.reshape(n, c, *y.shape[2:])

    assert check("bppool-ex-avg-is-conv", avg_pool_as_conv)


def test_avg_is_conv_counts_calls_however_conv2d_is_reached():
    import cnnmath
    from cnnmath import conv2d

    def one_call_by_imported_name(x, k):               # a diagonal C x C kernel
        c = x.shape[1]
        w = np.zeros((c, c, k, k))
        w[np.arange(c), np.arange(c)] = 1 / k ** 2
        return conv2d(x, w, stride=k)

    def one_call_per_channel(x, k):
        kernel = np.full((1, 1, k, k), 1 / k ** 2)
        return np.concatenate([cnnmath.conv.conv2d(x[:, [c]], kernel, stride=k)
                               for c in range(x.shape[1])], axis=1)

    assert check("bppool-ex-avg-is-conv", one_call_by_imported_name)
    verdict = check("bppool-ex-avg-is-conv", one_call_per_channel)
    assert not verdict and "calls conv2d 3 times" in verdict.message
    verdict = check("bppool-ex-avg-is-conv", avg_by_reshape)      # right, but no conv2d
    assert not verdict and "never calls" in verdict.message
    verdict = check("bppool-ex-avg-is-conv", lambda x, k: cnnmath.avg_pool2d(x, k))
    assert not verdict and "never calls" in verdict.message
    # the counting wrapper is gone again, from the package and from this namespace
    assert cnnmath.conv2d is conv2d and cnnmath.conv.conv2d is conv2d
    assert one_call_by_imported_name.__globals__.get("conv2d", conv2d) is conv2d


def test_avg_is_conv_wrong_answers_get_hints():
    verdict = check("bppool-ex-avg-is-conv", lambda x, k: k ** 2 * avg_by_reshape(x, k))
    assert not verdict and "factor" in verdict.message          # a kernel of ones
    verdict = check("bppool-ex-avg-is-conv",
                    lambda x, k: avg_by_reshape(x, k).mean(axis=1, keepdims=True)
                    .repeat(x.shape[1], axis=1))                # channels mixed
    assert not verdict and "wrong values" in verdict.message
    verdict = check("bppool-ex-avg-is-conv", "avg_pool_as_conv")
    assert not verdict and "function" in verdict.message


def test_dense_conv_official_answer_passes():
    assert check("bppool-ex-dense-conv", lambda w, shape: w.reshape(len(w), *shape))


def test_dense_conv_wrong_answers_get_hints():
    def channels_last(w, shape):                        # reads the row as (H, W, C)
        c, h, w_ = shape
        return w.reshape(len(w), h, w_, c).transpose(0, 3, 1, 2)

    verdict = check("bppool-ex-dense-conv", channels_last)
    assert not verdict and "wrong values" in verdict.message
    verdict = check("bppool-ex-dense-conv", lambda w, shape: w.T.reshape(-1, *shape))  # transposed
    assert not verdict and "wrong values" in verdict.message


def lp_gradient_stable(x, p):
    ratio = x / x.max()
    return ratio ** (p - 1) / np.sum(ratio ** p) ** ((p - 1) / p)


def test_lp_gradient_official_answer_passes():
    assert check("bppool-ex-lp-to-max", lp_gradient_stable)


def test_lp_gradient_wrong_answers_get_hints():
    with np.errstate(over="ignore", invalid="ignore"):
        verdict = check("bppool-ex-lp-to-max",
                        lambda x, p: x ** (p - 1) / np.sum(x ** p) ** ((p - 1) / p))
    assert not verdict and "inf or nan" in verdict.message     # overflows for p = 1000
    verdict = check("bppool-ex-lp-to-max",
                    lambda x, p: (x / x.max()) ** p / np.sum((x / x.max()) ** p))
    assert not verdict and "wrong values" in verdict.message


# Odd answers, answers in other forms, and hints that must not give the answer away.

ODD_ANSWERS = [None, "abc", {}, {"a": 1}, [], [[1, 2], [3]], [["a"] * 4] * 4, 1 + 2j,
               float("nan"), object(), lambda: 0, lambda *args: None,
               lambda *args: "s", lambda *args: [[1], [2, 3]], lambda *args: 1 / 0]


def test_odd_answers_get_a_hint_not_a_traceback():
    from cnnmath.exercises import labels
    for label in [name for name in labels() if name.startswith("bppool-")]:
        for answer in ODD_ANSWERS:
            verdict = check(label, answer)
            assert not verdict and repr(verdict).startswith("✗ not yet:"), (label, answer)


def test_conserve_float32_passes_and_a_rounded_value_is_told_so():
    from fractions import Fraction
    assert check("bppool-ex-conserve", np.float32(64) / np.float32(9))
    assert check("bppool-ex-conserve", Fraction(64, 9))
    verdict = check("bppool-ex-conserve", 7.11)
    assert not verdict and "rounded" in verdict.message


def test_unpool_with_batch_and_channel_axes_is_told_so():
    verdict = check("bppool-ex-unpool", unpool_by_loops(UNPOOL_X, 2)[None, None])
    assert not verdict and "leading axes" in verdict.message
    assert check("bppool-ex-unpool", unpool_by_loops(UNPOOL_X, 2).astype(int).tolist())


def test_lp_gradient_overflow_is_named():
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        verdict = check("bppool-ex-lp-to-max",
                        lambda x, p: (x / np.sum(x ** p) ** (1 / p)) ** (p - 1))
    assert not verdict and "overflow" in verdict.message and "factor" not in verdict.message


def test_lp_gradient_by_logarithms_passes():
    def by_logs(x, p):
        log_y = np.log(x.max()) + np.log(np.sum(np.exp(p * (np.log(x) - np.log(x.max()))))) / p
        return np.exp((p - 1) * (np.log(x) - log_y))

    assert check("bppool-ex-lp-to-max", by_logs)


def test_to_kernel_that_returns_nothing_is_told_so():
    verdict = check("bppool-ex-dense-conv", lambda w, shape: None)
    assert not verdict and "return" in verdict.message


def test_zeros_are_called_zeros_not_a_factor_of_zero():
    verdict = check("bppool-ex-unpool", np.zeros((4, 4)))
    assert not verdict and "zero everywhere" in verdict.message


def test_numbers_too_large_for_a_float_get_a_hint():
    from cnnmath.exercises import labels
    huge = 10 ** 400                                  # float(huge) raises OverflowError
    for label in [name for name in labels() if name.startswith("bppool-")]:
        for answer in [huge, [huge, 1], float("inf"), lambda *args: huge,
                       lambda *args: [huge], lambda *args: (huge, huge)]:
            verdict = check(label, answer)
            assert not verdict and repr(verdict).startswith("✗ not yet:"), (label, answer)


def test_functions_that_change_their_inputs_still_pass():
    def lp_in_place(x, p):
        x /= x.max()
        return x ** (p - 1) / np.sum(x ** p) ** ((p - 1) / p)

    assert check("bppool-ex-lp-to-max", lp_in_place)

    def to_kernel_in_place(w, shape):
        kernel = w.reshape(len(w), *shape).copy()
        w[...] = 0.0
        return kernel

    assert check("bppool-ex-dense-conv", to_kernel_in_place)
