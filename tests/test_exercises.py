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
    assert compare_function(single, lambda a: 2 * a, cases, low_precision=True)
    # by default float32 must meet rtol (chapters 4 and 5 hint at float32 themselves)
    assert not compare_function(single, lambda a: 2 * a, cases)
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
