"""conv2d_backward and conv_transpose2d against loops, central differences and adjointness."""

import numpy as np
import pytest
from conv_strategies import conv_calls, geometry
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import cnnmath
from cnnmath import reference
from cnnmath.gradcheck import check_backward, check_gradient


def _upstream(call, seed=1):
    """A random dL/dy shaped like the layer's output."""
    y = cnnmath.conv2d(call["x"], call["w"], call["b"], **geometry(call))
    return np.random.default_rng(seed).normal(size=y.shape)


# --- backward equals the loop reference -----------------------------------------------

@settings(derandomize=True, deadline=None, max_examples=200)
@given(conv_calls())
def test_conv2d_backward_matches_loop_reference(call):
    dy = _upstream(call)
    fast = cnnmath.conv2d_backward(dy, call["x"], call["w"], **geometry(call))
    slow = reference.conv2d_backward(dy, call["x"], call["w"], **geometry(call))
    for name, a, b in zip(("dx", "dw", "db"), fast, slow):
        assert a.shape == b.shape, name
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12, err_msg=name)


# --- backward equals central differences ----------------------------------------------

@settings(derandomize=True, deadline=None, max_examples=150)
@given(conv_calls(max_extra=3))
def test_conv2d_backward_passes_gradient_check(call):
    # L = sum(G * conv2d(x, w, b)) has dL/dy = G, so conv2d_backward(G, ...) must
    # equal the numerical gradient of L with respect to each of x, w and b.
    x, w, b = call["x"], call["w"], call["b"]
    b = np.random.default_rng(2).normal(size=w.shape[0]) if b is None else b
    check_backward(lambda x, w, b: cnnmath.conv2d(x, w, b, **geometry(call)),
                   lambda g, x, w, b: cnnmath.conv2d_backward(g, x, w, **geometry(call)),
                   [x, w, b], rng=1)


def test_gradient_check_through_a_nonlinearity():
    # L = sum(tanh(conv2d(x, w))): the chain rule gives dL/dy = 1 - tanh(y)^2.
    rng = np.random.default_rng(3)
    x, w = rng.normal(size=(2, 2, 7, 6)), 0.5 * rng.normal(size=(3, 2, 3, 2))
    kwargs = dict(stride=(2, 1), padding=(1, 2), dilation=(1, 2))

    def loss(x=x, w=w):
        return np.sum(np.tanh(cnnmath.conv2d(x, w, **kwargs)))

    dy = 1 - np.tanh(cnnmath.conv2d(x, w, **kwargs)) ** 2
    dx, dw, _ = cnnmath.conv2d_backward(dy, x, w, **kwargs)
    assert check_gradient(lambda v: loss(x=v), x, dx).error < 1e-7
    assert check_gradient(lambda v: loss(w=v), w, dw).error < 1e-7


# --- conv_transpose2d -----------------------------------------------------------------

@st.composite
def transpose_calls(draw):
    """conv_transpose2d arguments with a valid output_padding."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n_batch, c_in, c_out = draw(st.integers(1, 2)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kernel = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    output_padding = tuple(draw(st.integers(0, max(s, d) - 1)) for s, d in zip(stride, dilation))
    size = (draw(st.integers(1, 5)), draw(st.integers(1, 5)))
    padding = []
    for a in range(2):
        full = (size[a] - 1) * stride[a] + dilation[a] * (kernel[a] - 1) + output_padding[a] + 1
        padding.append(draw(st.integers(0, min(2, (full - 1) // 2))))
    return dict(
        x=rng.normal(size=(n_batch, c_in, *size)),
        w=rng.normal(size=(c_in, c_out, *kernel)),
        b=rng.normal(size=c_out) if draw(st.booleans()) else None,
        stride=stride, padding=tuple(padding), output_padding=output_padding, dilation=dilation,
    )


@settings(derandomize=True, deadline=None, max_examples=200)
@given(transpose_calls())
def test_conv_transpose2d_matches_loop_reference_and_pytorch_shape(call):
    fast = cnnmath.conv_transpose2d(**call)
    slow = reference.conv_transpose2d(**call)
    # PyTorch's documented size: (H_in - 1) s - 2 p + d (k - 1) + output_padding + 1.
    expected = [(call["x"].shape[2 + a] - 1) * call["stride"][a] - 2 * call["padding"][a]
                + call["dilation"][a] * (call["w"].shape[2 + a] - 1) + call["output_padding"][a] + 1
                for a in range(2)]
    assert fast.shape == (call["x"].shape[0], call["w"].shape[1], *expected)
    np.testing.assert_allclose(fast, slow, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("size, kernel, stride, padding, output_padding, expected", [
    (3, 3, 2, 1, 1, 6),     # the usual "double the size" layer
    (4, 4, 2, 1, 0, 8),     # DCGAN's upsampling block
    (5, 3, 1, 1, 0, 5),     # stride 1, padding 1 keeps the size
    (2, 2, 3, 0, 2, 7),     # 1 * 3 + 1 + 2 + 1
])
def test_conv_transpose2d_output_sizes(size, kernel, stride, padding, output_padding, expected):
    y = cnnmath.conv_transpose2d(np.ones((1, 1, size, size)), np.ones((1, 1, kernel, kernel)),
                                 stride=stride, padding=padding, output_padding=output_padding)
    assert y.shape == (1, 1, expected, expected)


def test_conv_transpose2d_by_hand():
    # Each input pixel stamps the kernel, scaled by its value, at stride 2:
    # x = [[1, 2]], kernel [[1, 1, 1]] -> [1, 1, 1+2, 2, 2]; bias 0.5 is added everywhere.
    y = cnnmath.conv_transpose2d(np.array([[[[1.0, 2.0]]]]), np.array([[[[1.0, 1.0, 1.0]]]]),
                                 b=np.array([0.5]), stride=2)
    np.testing.assert_array_equal(y, [[[[1.5, 1.5, 3.5, 2.5, 2.5]]]])


def _symmetric_padding(call):
    """The per-axis padding (p_h, p_w) of a conv call whose padding is the same on both sides."""
    padding = call["padding"]
    if padding == "valid":
        return (0, 0)
    if padding == "full":
        d = np.broadcast_to(call["dilation"], 2)
        return tuple(int(d[a] * (call["w"].shape[2 + a] - 1)) for a in range(2))
    return tuple(int(p) for p in np.broadcast_to(padding, 2))


@settings(derandomize=True, deadline=None, max_examples=200)
@given(conv_calls())
def test_adjoint_dot_product_identity(call):
    # <conv2d(x, w), y> = <x, conv_transpose2d(y, w)> whenever the transposed
    # convolution is given the output_padding that restores x's size.
    assume(call["padding"] != "same")     # an odd total is asymmetric; conv_transpose2d pads evenly
    x, w, y = call["x"], call["w"], _upstream(call)
    s, d = np.broadcast_to(call["stride"], 2), np.broadcast_to(call["dilation"], 2)
    p, k = _symmetric_padding(call), w.shape[2:]
    output_padding = tuple(
        int(x.shape[2 + a] - ((y.shape[2 + a] - 1) * s[a] - 2 * p[a] + d[a] * (k[a] - 1) + 1))
        for a in range(2))
    back = cnnmath.conv_transpose2d(y, w, stride=call["stride"], padding=p,
                                    output_padding=output_padding, dilation=call["dilation"])
    assert back.shape == x.shape
    lhs = np.sum(cnnmath.conv2d(x, w, **geometry(call)) * y)
    rhs = np.sum(x * back)
    assert abs(lhs - rhs) <= 1e-12 * max(1.0, np.sum(np.abs(x * back)))
    # ... and it is exactly the input gradient of the layer.
    dx = cnnmath.conv2d_backward(y, x, w, **geometry(call))[0]
    np.testing.assert_allclose(back, dx, atol=1e-12)


def test_stride_one_transpose_is_full_correlation_with_rotated_kernel():
    rng = np.random.default_rng(4)
    x, w = rng.normal(size=(2, 3, 4, 5)), rng.normal(size=(3, 2, 3, 2))
    rotated = w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)    # (C_out, C_in, kH, kW), flipped
    np.testing.assert_allclose(cnnmath.conv_transpose2d(x, w),
                               cnnmath.conv2d(x, rotated, padding="full"), atol=1e-12)


# --- dtypes and bad arguments ---------------------------------------------------------

def test_float32_is_preserved():
    x = np.ones((1, 2, 5, 5), np.float32)
    w = np.ones((3, 2, 3, 3), np.float32)
    dy = np.ones((1, 3, 3, 3), np.float32)
    assert all(g.dtype == np.float32 for g in cnnmath.conv2d_backward(dy, x, w))
    assert cnnmath.conv_transpose2d(dy, np.ones((3, 2, 3, 3), np.float32)).dtype == np.float32


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(dy=np.zeros((1, 3, 4, 3))), ValueError, ["dy", "(1, 3, 3, 3)", "(1, 3, 4, 3)"]),
    (dict(dy=np.zeros((3, 3, 3))), ValueError, ["dy", "(3, 3, 3)", "(1, 3, 3, 3)"]),
    (dict(stride=0), ValueError, ["stride", "0"]),
    (dict(w=np.zeros((3, 1, 3, 3))), ValueError, ["channels"]),
])
def test_conv2d_backward_rejects_bad_arguments(kwargs, error, words):
    arguments = dict(dy=np.zeros((1, 3, 3, 3)), x=np.zeros((1, 2, 5, 5)),
                     w=np.zeros((3, 2, 3, 3))) | kwargs
    with pytest.raises(error) as info:
        cnnmath.conv2d_backward(**arguments)
    for word in words:
        assert word in str(info.value)


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(w=np.zeros((3, 2, 3, 3))), ValueError, ["w", "2 channels", "(3, 2, 3, 3)"]),
    (dict(output_padding=2, stride=2), ValueError, ["output_padding", "stride", "dilation"]),
    (dict(output_padding=1), ValueError, ["output_padding=1", "smaller than stride"]),
    (dict(padding=3), ValueError, ["padding=3", "removes the whole output"]),
    (dict(padding="same"), TypeError, ["padding", "'same'"]),
    (dict(padding=-1), ValueError, ["padding", "-1"]),
    (dict(stride=0), ValueError, ["stride", "0"]),
    (dict(dilation=(1, 0)), ValueError, ["dilation", "0"]),
    (dict(b=np.zeros(4)), ValueError, ["b", "(4,)"]),
    (dict(x=np.zeros((2, 3, 3))), ValueError, ["x", "4 dimensions"]),
])
def test_conv_transpose2d_rejects_bad_arguments(kwargs, error, words):
    arguments = dict(x=np.zeros((1, 2, 3, 3)), w=np.zeros((2, 5, 3, 3))) | kwargs
    with pytest.raises(error) as info:
        cnnmath.conv_transpose2d(**arguments)
    for word in words:
        assert word in str(info.value)


def test_output_padding_may_reach_the_stride_when_dilation_is_larger():
    # PyTorch allows output_padding < max(stride, dilation).
    y = cnnmath.conv_transpose2d(np.ones((1, 1, 2, 2)), np.ones((1, 1, 2, 2)), stride=1,
                                 dilation=3, output_padding=2)
    assert y.shape == (1, 1, 2 + 3 + 2, 2 + 3 + 2)


@settings(derandomize=True, deadline=None, max_examples=50)
@given(conv_calls())
def test_col2im_is_the_transpose_of_im2col(call):
    # <im2col(x), P> = <x, col2im(P)> for every x and every array of patches P.
    from cnnmath.conv import col2im, im2col
    x, (k_h, k_w) = call["x"], call["w"].shape[2:]
    stride = tuple(np.broadcast_to(call["stride"], 2))
    dilation = tuple(np.broadcast_to(call["dilation"], 2))
    reach = (dilation[0] * (k_h - 1), dilation[1] * (k_w - 1))
    x = np.pad(x, ((0, 0), (0, 0), (reach[0],) * 2, (reach[1],) * 2))   # so every kernel fits
    windows = im2col(x, (k_h, k_w), stride, dilation)        # (N, C, out_h, out_w, kH, kW)
    patches = np.random.default_rng(5).normal(size=windows.transpose(0, 2, 3, 1, 4, 5).shape)
    lhs = np.sum(windows.transpose(0, 2, 3, 1, 4, 5) * patches)
    rhs = np.sum(x * col2im(patches, x.shape[2:], stride, dilation))
    assert abs(lhs - rhs) <= 1e-12 * max(1.0, np.sum(np.abs(windows)) * np.abs(patches).max())
