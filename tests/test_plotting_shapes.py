"""Tests of the output-size figure helpers in cnnmath.plotting."""

import numpy as np
import pytest

import cnnmath
from cnnmath import plotting
from figure_checks import patches_with_gid as _patches


@pytest.mark.parametrize("n, k, s, p, op, d", [
    (2, 3, 1, 0, 0, 1), (3, 3, 2, 1, 1, 1), (5, 4, 1, 2, 0, 1), (2, 3, 2, 0, 0, 1),
    (3, 3, 3, 2, 2, 1), (3, 2, 1, 0, 0, 2),
])
def test_drawn_output_shape_is_the_transposed_convolution_output(n, k, s, p, op, d):
    ax = plotting.draw_transposed_positions(n, k, s, p, op, d)
    y = cnnmath.conv_transpose2d(np.ones((1, 1, n, n)), np.ones((1, 1, k, k)), stride=s,
                                 padding=p, output_padding=op, dilation=d)
    assert ax.conv_output_shape == y.shape[2:]
    assert len(_patches(ax, "inserted")) == ((n - 1) * s + 1) ** 2 - n ** 2


def test_the_picture_is_the_computation():
    # Convolving the drawn grid (input values at the real cells, zeros elsewhere)
    # with the rotated kernel gives conv_transpose2d.
    rng = np.random.default_rng(0)
    n, k, s, p, op = 3, 3, 2, 1, 1
    x, w = rng.standard_normal((n, n)), rng.standard_normal((k, k))
    border = k - 1 - p
    grid = np.zeros(((n - 1) * s + 1 + 2 * border + op,) * 2)
    grid[border:border + (n - 1) * s + 1:s, border:border + (n - 1) * s + 1:s] = x
    expected = cnnmath.conv_transpose2d(x[None, None], w[None, None], stride=s, padding=p,
                                        output_padding=op)[0, 0]
    np.testing.assert_allclose(cnnmath.correlate2d(grid, w[::-1, ::-1]), expected, atol=1e-12)


def test_padding_beyond_the_kernel_is_refused():
    with pytest.raises(ValueError, match="padding must be at most"):
        plotting.draw_transposed_positions(3, 3, padding=3)
