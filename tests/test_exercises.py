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
from cnnmath.exercises._compare import (compare_arrays, compare_expression,
                                        compare_function, compare_number)

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


def test_importing_one_chapter_first_still_loads_every_chapter(monkeypatch):
    import sys

    import cnnmath.exercises as exercises
    for name in [name for name in sys.modules if name.startswith("cnnmath.exercises._ch")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(exercises, "_LOADED", [])
    monkeypatch.setattr(exercises, "_CHECKS", {})
    exercises._register("only-this")(lambda answer: None)
    assert "norm-ex-decay" in exercises.labels()
