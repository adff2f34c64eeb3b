"""Hypothesis strategies shared by the convolution tests: random but valid conv2d calls."""

import numpy as np
from hypothesis import strategies as st


def _int_or_pair(draw, pair):
    """Pass a pair as an int when both entries agree, half of the time."""
    if pair[0] == pair[1] and draw(st.booleans()):
        return pair[0]
    return pair


@st.composite
def conv_calls(draw, max_extra=5):
    """A dict with x, w, b, stride, padding, dilation for which the kernel fits."""
    n_batch = draw(st.integers(1, 2))
    c_in, c_out = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kernel = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = draw(st.one_of(
        st.sampled_from(["valid", "same", "full"]),
        st.integers(0, 2),
        st.tuples(st.integers(0, 2), st.integers(0, 2)),
    ))
    stride = (1, 1) if padding == "same" else (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    size = []
    for axis in range(2):
        span = dilation[axis] * (kernel[axis] - 1) + 1
        if padding == "full":
            total_pad = 2 * (span - 1)
        elif isinstance(padding, str):
            total_pad = span - 1 if padding == "same" else 0
        else:
            total_pad = 2 * (padding if isinstance(padding, int) else padding[axis])
        size.append(max(1, span - total_pad) + draw(st.integers(0, max_extra)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return dict(
        x=rng.normal(size=(n_batch, c_in, *size)),
        w=rng.normal(size=(c_out, c_in, *kernel)),
        b=rng.normal(size=c_out) if draw(st.booleans()) else None,
        stride=_int_or_pair(draw, stride),
        padding=padding,
        dilation=_int_or_pair(draw, dilation),
    )


def geometry(call):
    """The keyword arguments of a conv call other than the arrays."""
    return {key: call[key] for key in ("stride", "padding", "dilation")}
