"""Tests of the convolution figure helpers in cnnmath.plotting."""

import numpy as np
import pytest

from cnnmath import plotting
from figure_checks import patches_with_gid as _patches


def test_kernel_taps_hand_worked():
    # output (1, 2) of a 3x3 kernel with stride 2 and dilation 2 starts at (2, 4)
    taps = plotting.kernel_taps((1, 2), 3, stride=2, dilation=2)
    assert taps[0] == (2, 4)
    assert taps[-1] == (6, 8)
    assert taps == [(2 + 2 * a, 4 + 2 * b) for a in range(3) for b in range(3)]
    assert plotting.kernel_taps((0, 0), (1, 2)) == [(0, 0), (0, 1)]
    with pytest.raises(TypeError, match="out_index must be a pair"):
        plotting.kernel_taps(0, 3)
    with pytest.raises(ValueError, match=r"out_index must be a pair \(i, j\), got \(0, 0, 0\)"):
        plotting.kernel_taps((0, 0, 0), 3)


def test_kernel_positions_output_shape_and_taps():
    ax = plotting.draw_kernel_positions(7, 3, stride=2, positions=[(0, 0), (2, 2)])
    assert ax.conv_output_shape == (3, 3)
    taps = _patches(ax, "tap")
    assert len(taps) == 2 * 9
    assert len(_patches(ax, "window")) == 2
    assert _patches(ax, "padding") == []
    # the last window of a stride-2 pass over 7 cells reads cells 4..6
    corners = {(round(p.get_x() + 0.5 - 0.08), round(p.get_y() + 0.5 - 0.08)) for p in taps}
    assert (6, 6) in corners and (4, 4) in corners and (3, 3) not in corners


def test_kernel_positions_padding_cells_counted():
    ax = plotting.draw_kernel_positions((4, 5), 3, padding=(1, 2), positions=[])
    rows, cols = 4 + 2, 5 + 4
    assert len(_patches(ax, "padding")) == rows * cols - 4 * 5
    assert ax.conv_output_shape == (4, 7)


def test_kernel_positions_asymmetric_padding_and_dilation():
    ax = plotting.draw_kernel_positions(4, 2, padding=((0, 1), (0, 1)), dilation=2)
    # padded 5x5, effective kernel 3 -> 3x3 outputs
    assert ax.conv_output_shape == (3, 3)
    assert len(_patches(ax, "padding")) == 25 - 16
    assert len(_patches(ax, "tap")) == 3 * 4


def test_kernel_positions_errors():
    with pytest.raises(ValueError, match="does not fit"):
        plotting.draw_kernel_positions(4, 3, dilation=2)
    with pytest.raises(ValueError, match="positions"):
        plotting.draw_kernel_positions(5, 3, positions=[(3, 0)])
    with pytest.raises(ValueError, match="stride"):
        plotting.draw_kernel_positions(5, 3, stride=0)
    with pytest.raises(ValueError, match="padding"):
        plotting.draw_kernel_positions(5, 3, padding=-1)
    with pytest.raises(TypeError, match="kernel_size"):
        plotting.draw_kernel_positions(5, 2.5)


def test_draw_connections_edges_follow_pattern():
    pattern = np.array([[1, 2, 0], [0, 1, 2]])
    ax = plotting.draw_connections(pattern, weight_labels=["a", "b"])
    edges = [line for line in ax.lines if line.get_gid() == "edge"]
    assert len(edges) == np.count_nonzero(pattern)
    # edges through the same weight share a colour, different weights differ
    colours = {}
    for line, k in zip(edges, [1, 2, 1, 2]):
        colours.setdefault(k, set()).add(line.get_color())
    assert all(len(c) == 1 for c in colours.values())
    assert colours[1] != colours[2]
    texts = {t.get_text() for t in ax.texts}
    assert {"1", "2", "3", "A", "B"} <= texts


def test_draw_connections_errors():
    with pytest.raises(ValueError, match="2-D"):
        plotting.draw_connections(np.array([1, 0]))
    with pytest.raises(TypeError, match="non-negative integers.*got dtype float64"):
        plotting.draw_connections(np.array([[0.5, 1.0]]))
    with pytest.raises(ValueError, match="non-negative integers.*got the value -1"):
        plotting.draw_connections(np.array([[1, -1]]))
    with pytest.raises(ValueError, match="weight_labels"):
        plotting.draw_connections(np.array([[1, 2]]), weight_labels=["only one"])


def test_draw_volumes_faces_and_labels():
    ax = plotting.draw_volumes([(3, 6, 6), (3, 3, 3), (2, 4, 4)],
                               labels=["x", "w", "y"], symbols=["*", "="], counts=[1, 2, 1])
    faces = [p for p in ax.patches if p.get_gid() == "face"]
    assert len(faces) == 3 * (1 + 2 + 1)
    texts = [t.get_text() for t in ax.texts]
    assert "*" in texts and "=" in texts
    assert any("x 2" in t for t in texts)


def test_draw_volumes_errors():
    with pytest.raises(ValueError, match="triples"):
        plotting.draw_volumes([(3, 6)])
    with pytest.raises(ValueError, match="symbols"):
        plotting.draw_volumes([(1, 2, 2), (1, 2, 2)], symbols=[])
