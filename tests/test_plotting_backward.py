"""Tests of the backward-pass and memory-layout figure helpers in cnnmath.plotting."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from cnnmath import conv2d_backward, plotting
from figure_checks import patches_with_gid as _patches


def teardown_function():
    plt.close("all")


def test_gradient_reach_matches_conv2d_backward():
    # each chosen output reaches exactly the input cells where its dX is nonzero
    ax = plotting.draw_gradient_reach((5, 6), (2, 3), [(0, 0), (1, 1)], stride=2)
    w = np.arange(1.0, 7.0).reshape(1, 1, 2, 3)
    for (i, j), cells in ax.reach.items():
        dy = np.zeros((1, 1, 2, 2))
        dy[0, 0, i, j] = 1.0
        dx = conv2d_backward(dy, np.zeros((1, 1, 5, 6)), w, stride=2)[0][0, 0]
        assert {cell for cell, _ in cells} == set(zip(*np.nonzero(dx)))
        for (r, c), (u, v) in cells:
            assert dx[r, c] == w[0, 0, u, v]
    assert len(_patches(ax, "window")) == 2
    assert len(_patches(ax, "output")) == 2 * 2


def test_gradient_reach_shared_cells():
    ax = plotting.draw_gradient_reach((4, 5), 3, [(0, 0), (1, 2)])
    # windows at (0, 0) and (1, 2) overlap in cells (1, 2) and (2, 2)
    assert len(_patches(ax, "shared")) == 2
    with pytest.raises(ValueError, match="output grid"):
        plotting.draw_gradient_reach((4, 5), 3, [(2, 0)])
    with pytest.raises(ValueError, match="does not fit"):
        plotting.draw_gradient_reach((2, 5), 3, [(0, 0)])


def test_chain_graph_edges():
    ax = plotting.draw_chain_graph()
    assert ax.graph_edges == [("X", "Z"), ("W", "Z"), ("b", "Z"), ("Z", "A"), ("A", "L")]
    assert len(_patches(ax, "node")) == 6
    with pytest.raises(TypeError, match="Axes"):
        plotting.draw_chain_graph(ax="not an axes")


def test_im2col_matrix_names_and_row():
    ax = plotting.draw_im2col_matrix((4, 5), (2, 3), window=(1, 2))
    names = ax.im2col_names
    assert names.shape == (3 * 3, 6)
    # row m = i out_w + j reads x[i + u, j + v] in row-major tap order
    assert list(names[1 * 3 + 2]) == ["x12", "x13", "x14", "x22", "x23", "x24"]
    assert len(_patches(ax, "row")) == 6
    # x11 is covered by four windows: it appears four times in the matrix
    assert np.sum(names == "x11") == 4
    with pytest.raises(ValueError, match="at most"):
        plotting.draw_im2col_matrix((7, 4), 2)


def test_memory_layouts_strides_are_numpys():
    axes = plotting.draw_memory_layouts((2, 2, 2, 3), (2, 2), itemsize=8)
    assert axes[0].strides == np.zeros((2, 2, 2, 3)).strides
    assert len(_patches(axes[0], "entry")) == 24
    # one image: 2 windows of C k_h k_w = 8 entries
    assert len(_patches(axes[1], "copy")) == 2 * 8
    with pytest.raises(ValueError, match="at most 48"):
        plotting.draw_memory_layouts((2, 3, 4, 4))


@pytest.mark.parametrize("name", ["reference.conv2d_backward", "conv.col2im", "conv.im2col",
                                  "gradcheck.check_backward", "to_nchw"])
def test_print_source_fits_79_columns_and_stays_python(name, capsys):
    import ast
    import textwrap

    import cnnmath

    obj = cnnmath
    for part in name.split("."):
        obj = getattr(obj, part)
    plotting.print_source(obj)
    printed = capsys.readouterr().out
    assert max(len(line) for line in printed.splitlines()) <= 79
    wrapped = ast.dump(ast.parse(textwrap.dedent(printed)))
    original = ast.dump(ast.parse("\n".join(plotting._source_lines(obj))))
    # the same program, except for the joined string literals and docstrings
    assert wrapped.count("Call(") == original.count("Call(")
    assert wrapped.count("BinOp(") == original.count("BinOp(")


def test_wrap_code_line_breaks_inside_brackets_only():
    line = "    value = some_function(first_argument, second_argument, third_argument_here)"
    wrapped = plotting._wrap_code_line(line, 60)
    assert all(len(part) <= 60 for part in wrapped)
    assert wrapped[1].startswith(" " * len("    value = some_function("))
    assert plotting._wrap_code_line("x = a_very_long_name_without_brackets_at_all", 20) == [
        "x = a_very_long_name_without_brackets_at_all"]
