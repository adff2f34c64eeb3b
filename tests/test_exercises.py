"""The exercise checks of cnnmath.exercises: their hints, and that they cover the book.

Each chapter's own cases (its official answers pass, plausible wrong answers fail with a
helpful hint) are in tests/exercises/test_chNN.py. Here: the comparisons themselves, and
that every check belongs to an exercise of the book.
"""

import json
import pathlib
import re

import numpy as np
import pytest
import sympy as sp

from cnnmath.exercises import check, labels
from cnnmath.exercises._compare import (agrees, as_number, as_numbers, check_function,
                                        compare_arrays, compare_expression,
                                        compare_function, compare_number, fewer_axes,
                                        not_numbers, read_number, rounded)

BOOK = pathlib.Path(__file__).resolve().parents[1] / "book"


def exercise_labels():
    found = set()
    for path in BOOK.glob("*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            text = "".join(cell["source"])
            for block in re.findall(r"\{exercise\}\n:label: (\S+)", text):
                found.add(block)
    return found


def test_every_check_belongs_to_an_exercise_of_the_book():
    orphans = set(labels()) - exercise_labels()
    assert not orphans, f"checks for labels that no exercise has: {sorted(orphans)}"


def test_an_unknown_label_names_the_near_matches():
    with pytest.raises(ValueError, match="norm-ex-decay"):
        check("norm-ex-decays", 1.0)
    with pytest.raises(TypeError):
        check(3, 1.0)


expected = np.arange(1.0, 26.0).reshape(5, 5)


@pytest.mark.parametrize("answer, hint", [
    (expected[:4], "shape (5, 5)"),
    (expected.T.copy()[:, :5].reshape(5, 5) * 0 + expected.T, "first at [0, 1]"),
    (-expected, "sign"),
    (3 * expected, "factor"),
    (np.pad(expected[1:-1, 1:-1], 1), "border"),
    ("five", "NumPy array"),
    (np.full((5, 5), np.nan), "nan"),
])
def test_array_hints(answer, hint):
    verdict = compare_arrays(answer, expected)
    assert not verdict and hint in verdict.message
    assert repr(verdict).startswith("✗")


def test_a_right_array_passes_and_shows_a_tick():
    verdict = compare_arrays(expected.copy(), expected)
    assert verdict and repr(verdict).startswith("✓")


@pytest.mark.parametrize("answer, hint", [(-7, "sign"), (8, "off by one"), (14, "factor of 2"),
                                          ("x", "number"), (100, "too large")])
def test_number_hints(answer, hint):
    verdict = compare_number(answer, 7)
    assert not verdict and hint in verdict.message


def test_expression_hints():
    x, y = sp.symbols("x y")
    assert compare_expression(sp.sin(x) ** 2 + sp.cos(x) ** 2, 1)
    assert "sign" in compare_expression(-x * y, x * y).message
    assert "factor" in compare_expression(2 * x * y, x * y).message
    assert "depend on ['y']" in compare_expression(x, x * y).message
    assert "[0, 1]" in compare_expression(sp.Matrix([[x, x]]), sp.Matrix([[x, y]])).message


def test_function_hints():
    cases = [(np.ones((2, 3)),), (np.arange(4.0),)]
    assert compare_function(lambda a: 2 * a, lambda a: a + a, cases)
    verdict = compare_function(lambda a: a.sum(), lambda a: 2 * a, cases)
    assert not verdict and "shape (2, 3)" in verdict.message
    verdict = compare_function(lambda a: 1 / 0, lambda a: a, cases)
    assert "ZeroDivisionError" in verdict.message
    assert "function" in compare_function(3, lambda a: a, cases).message


# The three faults that _compare once had: each must give a hint, never a wrong one or
# a traceback.

def test_a_function_returning_none_is_told_its_return_may_be_missing():
    cases = [(np.ones((2, 3)),)]
    verdict = compare_function(lambda a: None, lambda a: a, cases)
    assert not verdict and "return statement" in verdict.message
    assert "shape ()" not in verdict.message


def test_an_all_zero_answer_is_said_to_be_zero_everywhere():
    verdict = compare_arrays(np.zeros((5, 5)), expected)
    assert not verdict and "zero everywhere" in verdict.message
    assert "0 times" not in verdict.message
    verdict = compare_function(lambda a: 0 * a, lambda a: a, [(np.ones(3),)])
    assert not verdict and "zero everywhere" in verdict.message


@pytest.mark.parametrize("compare, answer", [
    (compare_number, 10**400), (compare_number, -(10**400)),
    (compare_arrays, [10**400, 1]), (compare_arrays, 10**400),
], ids=["number", "negative number", "list", "array of one"])
def test_an_int_too_large_for_a_float_gets_a_hint(compare, answer):
    verdict = compare(answer, np.array([1.0, 2.0]) if compare is compare_arrays else 7)
    assert not verdict and repr(verdict).startswith("✗ not yet:")
    assert "too large" in verdict.message


def test_a_function_returning_a_huge_int_gets_a_hint():
    verdict = compare_function(lambda a: [10**400] * 3, lambda a: a, [(np.ones(3),)])
    assert not verdict and "too large" in verdict.message


# compare_function is lenient on the form of a right result, and strict on its values.

def test_compare_function_accepts_other_forms_of_a_right_result():
    cases = [(np.linspace(-3, 3, 12).reshape(3, 4),), (np.arange(5.0),)]
    assert compare_function(lambda a: (2 * a).tolist(), lambda a: 2 * a, cases)
    single = lambda a: (2 * a).astype(np.float32)  # noqa: E731
    assert compare_function(single, lambda a: 2 * a, cases)
    assert compare_function(lambda a: 2 * a + 1e-15j, lambda a: 2 * a, cases)
    ints = [(np.arange(6).reshape(2, 3),)]
    assert compare_function(lambda a: 3 * a, lambda a: 3.0 * a, ints)


def test_note_precision_tells_a_passing_float32_function_so():
    cases = [(np.linspace(-3, 3, 12).reshape(3, 4),), (np.arange(5.0),)]
    single = lambda a: (2 * a).astype(np.float32)  # noqa: E731
    half = lambda a: (2 * a).astype(np.float16)  # noqa: E731
    noted = compare_function(single, lambda a: 2 * a, cases, low_precision=True,
                             note_precision=True)
    assert noted and "to single precision (it returns float32)" in noted.message
    noted = compare_function(half, lambda a: 2 * a, cases, low_precision=True,
                             note_precision=True)
    assert noted and "to half precision (it returns float16)" in noted.message
    # not noted: by default, or for a float64 result, or when it fails
    quiet = compare_function(single, lambda a: 2 * a, cases, low_precision=True)
    assert quiet and "precision" not in quiet.message
    double = compare_function(lambda a: 2 * a, lambda a: 2 * a, cases,
                              low_precision=True, note_precision=True)
    assert double and "precision" not in double.message
    flipped = compare_function(lambda a: (-2 * a).astype(np.float32), lambda a: 2 * a,
                               cases, low_precision=True, note_precision=True)
    assert not flipped and "sign" in flipped.message


def test_compare_function_hints_for_results_of_the_wrong_kind():
    cases = [(np.arange(5.0),)]
    verdict = compare_function(lambda a: (2 * a * (1 + 1e-3)).astype(np.float32),
                               lambda a: 2 * a, cases, low_precision=True)
    assert not verdict and "factor" in verdict.message
    verdict = compare_function(lambda a: a + 0.5j, lambda a: a, cases)
    assert not verdict and "complex" in verdict.message
    for result in [{"a": 1}, "abc", [[1], [2, 3]]]:
        verdict = compare_function(lambda a, r=result: r, lambda a: a, cases)
        assert not verdict and "array of numbers" in verdict.message, result


def test_compare_function_gives_copies_of_the_arguments():
    x = np.arange(4.0)

    def in_place(a):
        a *= 2
        return a

    assert compare_function(in_place, lambda a: 2 * a, [(x,)])
    assert np.array_equal(x, np.arange(4.0))


# The helpers that the chapters' checks share.

def test_as_numbers_and_as_number():
    assert np.array_equal(as_numbers([1, 2]), [1.0, 2.0])
    for odd in ["abc", {"a": 1}, [[1], [2, 3]], 10**400]:
        assert as_numbers(odd) is None, odd
    assert as_number(np.float32(0.5)) == 0.5
    for odd in [[1.0, 2.0], float("nan"), float("inf"), "abc", None]:
        assert as_number(odd) is None, odd


def test_not_numbers():
    assert not_numbers([1, 2], "the pair") is None
    assert "array of numbers" in not_numbers({"a": 1}, "the pair").message
    assert not_numbers(3.0, "the gap", number=True) is None
    for odd in [[1, 2], float("nan"), "x", 10**400]:
        verdict = not_numbers(odd, "the gap", number=True)
        assert not verdict and "one finite number" in verdict.message, odd


def test_read_number():
    for form in (0.5, np.float32(0.5), np.array([0.5]), [[0.5]], sp.Rational(1, 2)):
        assert read_number(form, "the loss") == (0.5, None), form
    for odd, hint in [(None, "got None"), ("0.5", "without quotes"),
                      ({"a": 1}, "got dict"), ([0.5, 1.0], "shape (2,)"),
                      (10**400, "too large")]:
        value, verdict = read_number(odd, "the loss")
        assert value is None and not verdict and hint in verdict.message, odd
    value, verdict = read_number(float("nan"), "the loss")
    assert value is None and verdict.message.endswith("the loss is nan, not a finite "
                                                      "number.")
    value, verdict = read_number(float("inf"), "the count", not_finite=", not a count.")
    assert value is None and verdict.message.endswith("the count is inf, not a count.")


def test_fewer_axes():
    verdict = fewer_axes((1, 1, 4, 5), (4, 5), "the image")
    assert not verdict and "leading axes of size 1" in verdict.message
    assert fewer_axes((2, 4, 5), (4, 5), "the image") is None
    assert fewer_axes((4, 5), (4, 5), "the image") is None


def test_rounded():
    verdict = rounded(0.333, 1 / 3, "the ratio")
    assert not verdict and "rounded decimal" in verdict.message
    assert rounded(0.5, 1 / 3, "the ratio") is None
    assert rounded(None, 1 / 3, "the ratio") is None


def test_check_function_hints_for_extra_axes_and_a_missing_return():
    cases = [(np.ones((2, 3)),)]
    assert check_function(lambda a: 2 * a, lambda a: 2 * a, cases, name="your f")
    verdict = check_function(lambda a: (2 * a)[None], lambda a: 2 * a, cases, name="your f")
    assert not verdict and "leading axes of size 1" in verdict.message
    verdict = check_function(lambda a: None, lambda a: a, cases, name="your f")
    assert not verdict and "return statement" in verdict.message


def test_agrees_never_raises():
    cases = [(np.ones(3),)]
    assert agrees(lambda a: a + a, lambda a: 2 * a, cases)
    assert not agrees(lambda a: a, lambda a: 2 * a, cases)
    assert not agrees(lambda a: 1 / 0, lambda a: a, cases)
    assert not agrees(lambda a: a, lambda a: 1 / 0, cases)


def test_no_chapter_module_imports_another():
    import ast

    folder = pathlib.Path(__file__).resolve().parents[1] / "cnnmath" / "exercises"
    for path in sorted(folder.glob("_ch*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [alias.name for alias in node.names]
                assert not any(n.startswith("_ch") for n in names), (path.name, names)


def test_importing_one_chapter_first_still_loads_every_chapter(monkeypatch):
    import sys

    import cnnmath.exercises as exercises
    for name in [name for name in sys.modules if name.startswith("cnnmath.exercises._ch")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(exercises, "_LOADED", [])
    monkeypatch.setattr(exercises, "_CHECKS", {})
    exercises._register("only-this")(lambda answer: None)
    assert "norm-ex-decay" in exercises.labels()


# One rule for a float32 result: right to single precision passes, or (where the
# exercise asks for float64) is told exactly that; never "wrong values".

def test_a_float32_result_right_to_single_precision_passes_or_is_told_so():
    rng = np.random.default_rng(0)
    cases = [(rng.normal(size=(4, 5)),), (rng.normal(size=7),)]
    single = lambda a: (np.exp(a) / 3).astype(np.float32)  # noqa: E731
    assert compare_function(single, lambda a: np.exp(a) / 3, cases)
    strict = compare_function(single, lambda a: np.exp(a) / 3, cases, low_precision=False)
    assert not strict and "right to single precision" in strict.message
    assert "compute in float64" in strict.message and "wrong values" not in strict.message
    # a float32 result that is wrong still gets the hint its mistake deserves
    flipped = compare_function(lambda a: -single(a), lambda a: np.exp(a) / 3, cases,
                               low_precision=False)
    assert not flipped and "sign" in flipped.message


def _avg_pool_as_conv(x, k):
    import cnnmath
    n, c, h, w = x.shape
    y = cnnmath.conv2d(x.reshape(n * c, 1, h, w), np.full((1, 1, k, k), 1 / k**2),
                       stride=k)
    return y.reshape(n, c, *y.shape[2:])


def _adjoint(g, w):
    out = np.zeros((g.shape[0] + w.shape[0] - 1, g.shape[1] + w.shape[1] - 1))
    for i, j in np.ndindex(g.shape):
        out[i:i + w.shape[0], j:j + w.shape[1]] += g[i, j] * w
    return out


def _right_answers():
    """A right answer to each function exercise that once refused float32 results."""
    import cnnmath
    from cnnmath.exercises._ch10 import _adam_run
    column, row = np.array([[1.0], [2.0], [1.0]]), np.array([[-1.0, 0.0, 1.0]])
    return {
        "conv-ex-separable": lambda im: cnnmath.correlate2d(cnnmath.correlate2d(im, column),
                                                            row),
        "conv-ex-stacking": lambda u, v: cnnmath.convolve2d(u, v, mode="full"),
        "conv-ex-transpose": _adjoint,
        "bppool-ex-avg-is-conv": _avg_pool_as_conv,
        "bppool-ex-dense-conv": lambda w, shape: w.reshape(len(w), *shape),
        "bppool-ex-lp-to-max": lambda x, p: ((x / x.max()) ** (p - 1)
                                             / np.sum((x / x.max()) ** p) ** ((p - 1) / p)),
        "norm-ex-decay": lambda w0, lr, wd, t: w0 * (1 - lr * wd) ** t,
        "norm-ex-adamw": lambda *args: _adam_run(*args, decoupled=True),
    }


@pytest.mark.parametrize("label", sorted(_right_answers()))
def test_function_checks_accept_a_right_answer_in_float32(label):
    answer = _right_answers()[label]
    assert check(label, answer), label
    verdict = check(label, lambda *args: np.asarray(answer(*args)).astype(np.float32))
    assert verdict, (label, verdict)


def test_fold_treats_a_float32_bias_like_float32_weights():
    from cnnmath.exercises._ch10 import _check_fold

    def fold(w, b, gamma, beta, mean, var, eps=1e-5):
        s = gamma / np.sqrt(var + eps)
        return s[:, None, None, None] * w, s * (b - mean) + beta

    assert _check_fold(fold)
    for which in (0, 1):
        def single(*args, which=which):
            folded = list(fold(*args))
            folded[which] = folded[which].astype(np.float32)
            return tuple(folded)
        verdict = check("norm-ex-fold", single)
        assert not verdict and "float32" in verdict.message
        assert ("bias" if which else "weights") in verdict.message


# A sign or a factor is hinted at only if it holds on every case, and a negative factor
# other than -1 is no factor hint.

def test_a_factor_must_hold_on_every_case():
    import cnnmath
    bce = cnnmath.binary_cross_entropy_with_logits_backward

    def flipped_labels(z, y):
        g = bce(z[:, 1] - z[:, 0], 1.0 - y)
        return np.stack([-g, g], 1)

    for label, answer in [("loss-ex-two-classes", flipped_labels),
                          ("loss-ex-kl-logits", lambda p, z: cnnmath.softmax(z) - p[::-1])]:
        verdict = check(label, answer)
        assert not verdict and "factor" not in verdict.message and "times" not in \
            verdict.message, (label, verdict)
    # a true factor over every case is still hinted at
    verdict = check("loss-ex-kl-logits", lambda p, z: 3 * (cnnmath.softmax(z) - p))
    assert not verdict and "about 3 times" in verdict.message
    # one small case alone does not make a factor
    cases = [(np.array([1.0, -1.0]),), (np.arange(1.0, 6.0),)]
    verdict = compare_function(lambda a: -0.5 * a if a.size == 2 else a ** 2,
                               lambda a: a, cases)
    assert not verdict and "factor" not in verdict.message


def test_a_negative_factor_is_no_factor_hint():
    verdict = compare_arrays(-3 * expected, expected)
    assert not verdict and "factor" not in verdict.message and "sign" not in verdict.message
    assert "factor" in compare_arrays(3 * expected, expected).message


# One rule for a number written as a string: it is not read as the number.

@pytest.mark.parametrize("label, text", [("conv-ex-stride-gaps", "28"),
                                         ("size-ex-same-cifar", "83126"),
                                         ("net-ex-params", "34346"),
                                         ("fast-ex-memory", "1"), ("act-ex-elu-smooth", "1"),
                                         ("images-ex-16bit", "0.5"),
                                         ("images-ex-memory", ["1", "2"])])
def test_a_number_in_quotes_is_told_to_drop_them(label, text):
    verdict = check(label, text)
    assert not verdict and "without quotes" in verdict.message, (label, verdict)
    assert as_numbers("28") is None and as_number(["2"]) is None
    assert "without quotes" in compare_number("7", 7).message
    assert "without quotes" in compare_arrays(["1", "2"], [1.0, 2.0]).message


def _raises(*args):
    raise RuntimeError("the reader's bug")


ODD_ANSWERS = [10**400, -(10**400), float("nan"), "abc", None, {}, [[1], [1, 2]],
               _raises, lambda *args: None]


def test_every_check_returns_a_verdict_for_odd_answers():
    """No check raises on an odd answer: each gets a Verdict (and a cross)."""
    from cnnmath.exercises import Verdict
    for label in labels():
        for odd in ODD_ANSWERS:
            try:
                verdict = check(label, odd)
            except Exception as error:  # noqa: BLE001 - the test reports any failure
                pytest.fail(f"check({label!r}, {odd!r:.30}) raised {error!r}")
            assert isinstance(verdict, Verdict), (label, odd)
            assert not verdict, (label, odd, verdict)
