"""Chapter 2's checks: the official answers pass, plausible wrong answers get a hint."""

import numpy as np
from numpy.polynomial import polynomial

from cnnmath import conv_transpose2d, convolve2d, correlate2d
from cnnmath.exercises import check

SOBEL_X = np.array([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]])


def test_polynomial_official_answer_passes():
    product = polynomial.polymul([2, 3, -1], [1, -4, 1, 5])
    assert check("conv-ex-polynomial", product)
    assert check("conv-ex-polynomial", product[None])     # convolve2d's 1 x n
    assert check("conv-ex-polynomial", product[:, None])  # its n x 1, for columns
    column = convolve2d(np.array([[2.0], [3], [-1]]), np.array([[1.0], [-4], [1], [5]]),
                        "full")
    assert column.shape == (6, 1) and check("conv-ex-polynomial", column)
    verdict = check("conv-ex-polynomial", product[::-1, None])
    assert not verdict and "highest power first" in verdict.message
    verdict = check("conv-ex-polynomial", np.stack([product, product]))
    assert not verdict and "shape" in verdict.message


def test_polynomial_wrong_answers_get_hints():
    product = polynomial.polymul([2, 3, -1], [1, -4, 1, 5])
    verdict = check("conv-ex-polynomial", product[::-1])
    assert not verdict and "lowest power" in verdict.message
    verdict = check("conv-ex-polynomial", np.correlate([2, 3, -1], [1, -4, 1, 5], "full"))
    assert not verdict and "wrong values" in verdict.message
    verdict = check("conv-ex-polynomial", product[:-1])
    assert not verdict and "shape" in verdict.message


def test_separable_official_answer_passes():
    def by_passes(image):
        rows = 2 * image[1:-1] + image[:-2] + image[2:]        # smooth down the column
        return rows[:, 2:] - rows[:, :-2]                       # difference along the row

    assert check("conv-ex-separable", by_passes)


def test_separable_wrong_answers_get_hints():
    column, row = np.array([[1.0], [2.0], [1.0]]), np.array([[-1.0, 0.0, 1.0]])
    verdict = check("conv-ex-separable",
                    lambda x: correlate2d(correlate2d(x, row.T), column.T))
    assert not verdict and "Sobel y" in verdict.message
    verdict = check("conv-ex-separable",
                    lambda x: correlate2d(correlate2d(x, column, "same"), row, "same"))
    assert not verdict and "shape" in verdict.message
    verdict = check("conv-ex-separable", lambda x: convolve2d(x, SOBEL_X))
    assert not verdict and "sign" in verdict.message


def test_stacking_official_answer_passes():
    def combine(u, v):
        out = np.zeros((u.shape[0] + v.shape[0] - 1, u.shape[1] + v.shape[1] - 1))
        for a, b in np.ndindex(u.shape):
            out[a:a + v.shape[0], b:b + v.shape[1]] += u[a, b] * v
        return out

    assert check("conv-ex-stacking", combine)


def test_stacking_wrong_answers_get_hints():
    verdict = check("conv-ex-stacking", lambda u, v: correlate2d(u, v, "full"))
    assert not verdict and "correlated" in verdict.message
    verdict = check("conv-ex-stacking", lambda u, v: convolve2d(u, v, "same"))
    assert not verdict and "shape" in verdict.message


def test_stride_gaps_official_answer_passes():
    read_rows = {3 * i + u for i in range(3) for u in range(2)}
    assert check("conv-ex-stride-gaps", 64 - len(read_rows) ** 2)


def test_stride_gaps_wrong_answers_get_hints():
    verdict = check("conv-ex-stride-gaps", 32)
    assert not verdict and "counted twice" in verdict.message
    verdict = check("conv-ex-stride-gaps", 27)
    assert not verdict and "off by one" in verdict.message


def test_transpose_official_answer_passes():
    def adjoint(g, w):
        out = np.zeros((g.shape[0] + w.shape[0] - 1, g.shape[1] + w.shape[1] - 1))
        for i, j in np.ndindex(g.shape):
            out[i:i + w.shape[0], j:j + w.shape[1]] += g[i, j] * w
        return out

    assert check("conv-ex-transpose", adjoint)
    assert check("conv-ex-transpose", lambda g, w: adjoint(g, w).astype(np.float32))


def test_transpose_may_not_call_conv_transpose2d():
    """The statement forbids conv_transpose2d: counted however the answer reaches it."""
    import cnnmath

    def inner(g, w):
        return conv_transpose2d(g[None, None], w[None, None])[0, 0]

    def enclosing():
        from cnnmath.conv import conv_transpose2d as hidden

        return lambda g, w: hidden(g[None, None], w[None, None])[0, 0]

    for forbidden in [inner, enclosing(),
                      lambda g, w: cnnmath.conv_transpose2d(g[None, None],
                                                            w[None, None])[0, 0],
                      lambda g, w: cnnmath.conv.conv_transpose2d(g[None, None],
                                                                 w[None, None])[0, 0]]:
        verdict = check("conv-ex-transpose", forbidden)
        assert not verdict and "conv_transpose2d" in verdict.message
    assert cnnmath.conv_transpose2d is cnnmath.conv.conv_transpose2d is conv_transpose2d


def test_transpose_wrong_answers_get_hints():
    verdict = check("conv-ex-transpose", lambda g, w: correlate2d(g, w, "full"))
    assert not verdict and "flipped" in verdict.message
    verdict = check("conv-ex-transpose", lambda g, w: convolve2d(g, w, "valid"))
    assert not verdict and "shape" in verdict.message


# Odd answers, answers in other forms, and hints that must not give the answer away.

ODD_ANSWERS = [None, "abc", {}, {"a": 1}, [], [[1, 2], [3]], ["1", "2"], 1 + 2j,
               float("nan"), object(), lambda: 0, lambda *args: None,
               lambda *args: "s", lambda *args: [[1], [2, 3]], lambda *args: 1 / 0]


def test_odd_answers_get_a_hint_not_a_traceback():
    from cnnmath.exercises import labels
    for label in [name for name in labels() if name.startswith("conv-")]:
        for answer in ODD_ANSWERS:
            verdict = check(label, answer)
            assert not verdict and repr(verdict).startswith("✗ not yet:"), (label, answer)


def test_other_forms_pass():
    product = polynomial.polymul([2, 3, -1], [1, -4, 1, 5])
    assert check("conv-ex-polynomial", [int(c) for c in product])
    assert check("conv-ex-polynomial", product.astype(np.float32))
    assert check("conv-ex-stride-gaps", np.int64(28))
    assert check("conv-ex-stride-gaps", 28.0)


def test_functions_that_return_nothing_are_told_so():
    for label in ["conv-ex-separable", "conv-ex-stacking", "conv-ex-transpose"]:
        verdict = check(label, lambda *args: None)
        assert not verdict and "return" in verdict.message


def test_wrong_operation_hints_do_not_spell_out_the_formula():
    verdict = check("conv-ex-transpose", lambda g, w: correlate2d(g, w, "full"))
    assert "w[r - i" not in verdict.message
    verdict = check("conv-ex-stacking", lambda u, v: correlate2d(u, v, "full"))
    assert not verdict and "other operation" not in verdict.message


def test_numbers_too_large_for_a_float_get_a_hint():
    from cnnmath.exercises import labels
    huge = 10 ** 400                                  # float(huge) raises OverflowError
    for label in [name for name in labels() if name.startswith("conv-")]:
        for answer in [huge, [huge, 1], float("inf"), lambda *args: huge,
                       lambda *args: [huge], lambda *args: (huge, huge)]:
            verdict = check(label, answer)
            assert not verdict and repr(verdict).startswith("✗ not yet:"), (label, answer)
