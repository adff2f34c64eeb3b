"""The shared figure helpers draw what they say they draw."""

import matplotlib
import numpy as np
import pytest

import cnnmath
from cnnmath.plotting import print_source, show_grid, use_book_style


def test_show_grid_writes_every_number_in_its_cell():
    values = np.array([[1, 2, 3], [40, 50, 60]])
    ax = show_grid(values)
    texts = {(round(t.get_position()[1]), round(t.get_position()[0])): t.get_text()
             for t in ax.texts}
    assert texts == {(i, j): str(values[i, j]) for i in range(2) for j in range(3)}


def test_show_grid_text_contrasts_with_its_cell():
    ax = show_grid(np.array([[0, 255]]), vmin=0, vmax=255)
    dark_cell, bright_cell = sorted(ax.texts, key=lambda t: t.get_position()[0])
    assert dark_cell.get_color() == "white" and bright_cell.get_color() == "black"


def test_show_grid_highlight_outlines_the_window():
    ax = show_grid(np.zeros((4, 4)), highlight=(1, 2, 2, 2))
    (rect,) = ax.patches
    assert rect.get_xy() == (1.5, 0.5) and rect.get_width() == 2 and rect.get_height() == 2


def test_show_grid_rejects_non_matrices():
    with pytest.raises(ValueError, match="values"):
        show_grid(np.zeros((2, 2, 2)))


def test_book_style_makes_figures_transparent():
    use_book_style()
    assert matplotlib.rcParams["figure.facecolor"] == "none"
    assert matplotlib.rcParams["savefig.facecolor"] == "none"


def documented_twice(x):
    """Double x.

    Parameters
    ----------
    x : float
        A number.
    """
    return 2 * x


class Halver:
    """Halve a number,
    exactly.

    Raises
    ------
    TypeError
        Never.
    """

    def __call__(self, x):
        return x / 2


def undocumented(x):
    return x


def test_print_source_keeps_the_code_and_the_summary_only(capsys):
    print_source(documented_twice)
    printed = capsys.readouterr().out
    assert printed == 'def documented_twice(x):\n    """Double x."""\n    return 2 * x\n\n'
    print_source(Halver)                                # a class, a two-line summary
    assert capsys.readouterr().out == (
        'class Halver:\n    """Halve a number,\n    exactly."""\n\n'
        '    def __call__(self, x):\n        return x / 2\n\n')
    print_source(cnnmath.softmax)
    printed = capsys.readouterr().out
    assert "Parameters" not in printed and "return e / e.sum(axis=axis" in printed
    print_source(undocumented)
    assert capsys.readouterr().out == "def undocumented(x):\n    return x\n\n"
    with pytest.raises(TypeError, match="obj must be a function or a class, got builtin"):
        print_source(len)
