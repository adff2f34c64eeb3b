"""A catalogue of wrong calls across the whole public API.

Each case is a call that a reader could plausibly make by mistake. It must raise
``ValueError`` or ``TypeError`` (never return an answer), and the message must
contain three things, checked as plain substrings:

1. the argument at fault (``"stride"``),
2. the value that was received (``"got 0"``, a shape, a dtype),
3. what was expected (``">= 1"``, ``"4 dimensions"``, a list of choices).

A case is ``(id, call, error, [name, received, expected])``. Nothing is
broadcast silently: every shape mismatch between two arrays is a case here.
"""

import numpy as np
import pytest

import cnnmath
from cnnmath import conv, data, init, models, nn, training

RNG = np.random.default_rng(0)
X = RNG.normal(size=(2, 3, 6, 6))          # an NCHW batch
W = RNG.normal(size=(4, 3, 3, 3))          # conv2d weights (C_out, C_in, kH, kW)
WT = RNG.normal(size=(3, 4, 3, 3))         # conv_transpose2d weights (C_in, C_out, kH, kW)
Y = cnnmath.conv2d(X, W)                   # (2, 4, 4, 4)
P = RNG.random((2, 1, 4, 4))               # a nonnegative pooling input
V = RNG.normal(size=(3, 5))                # a batch of vectors
LOGITS = RNG.normal(size=(3, 4))
LABELS = np.array([0, 3, 1])
PROBS = np.full((3, 4), 0.25)
LIN_W = RNG.normal(size=(2, 5))            # linear weights (out, in)
STRINGS = np.array([["a", "b"], ["c", "d"]])
COMPLEX = np.ones((2, 2), dtype=complex)
OBJECTS = np.array([[object(), object()]], dtype=object)


def with_nan(a):
    a = np.array(a, dtype=float)
    a.flat[0] = np.nan
    return a


CASES = [
    # ---------------------------------------------------------------- conv2d
    ("conv2d x rank 3", lambda: cnnmath.conv2d(X[0], W), ValueError,
     ["x", "(3, 6, 6)", "4 dimensions"]),
    ("conv2d w rank 2", lambda: cnnmath.conv2d(X, W[0, 0]), ValueError,
     ["w", "(3, 3)", "4 dimensions"]),
    ("conv2d channel mismatch", lambda: cnnmath.conv2d(X[:, :2], W), ValueError,
     ["x", "2 channels", "3 input channels"]),
    ("conv2d kernel larger than padded input",
     lambda: cnnmath.conv2d(X[:, :, :2, :2], W, padding=0),
     ValueError, ["w's kernel", "spans 3", "padded input's height is 2"]),
    ("conv2d dilated kernel too large", lambda: cnnmath.conv2d(X, W, dilation=3), ValueError,
     ["w's kernel", "spans 7", "is 6"]),
    ("conv2d stride 0", lambda: cnnmath.conv2d(X, W, stride=0), ValueError,
     ["stride", "got 0", ">= 1"]),
    ("conv2d stride pair with 0", lambda: cnnmath.conv2d(X, W, stride=(1, 0)), ValueError,
     ["stride", "got 0", ">= 1"]),
    ("conv2d dilation 0", lambda: cnnmath.conv2d(X, W, dilation=0), ValueError,
     ["dilation", "got 0", ">= 1"]),
    ("conv2d negative padding", lambda: cnnmath.conv2d(X, W, padding=-1), ValueError,
     ["padding", "got -1", ">= 0"]),
    ("conv2d unknown padding word", lambda: cnnmath.conv2d(X, W, padding="circular"), ValueError,
     ["padding", "'circular'", "'valid', 'same', 'full'"]),
    ("conv2d same with stride 2", lambda: cnnmath.conv2d(X, W, stride=2, padding="same"),
     ValueError, ["padding='same'", "got stride (2, 2)", "stride 1"]),
    ("conv2d bias of wrong length", lambda: cnnmath.conv2d(X, W, b=np.zeros(3)), ValueError,
     ["b", "(3,)", "one entry per output channel (4)"]),
    ("conv2d bias of wrong rank", lambda: cnnmath.conv2d(X, W, b=np.zeros((4, 1))), ValueError,
     ["b", "(4, 1)", "1 dimensions"]),
    ("conv2d float stride", lambda: cnnmath.conv2d(X, W, stride=1.5), TypeError,
     ["stride", "1.5", "an int"]),
    ("conv2d bool stride", lambda: cnnmath.conv2d(X, W, stride=True), TypeError,
     ["stride", "True", "an int"]),
    ("conv2d stride triple", lambda: cnnmath.conv2d(X, W, stride=(1, 1, 1)), ValueError,
     ["stride", "(1, 1, 1)", "a pair of ints"]),
    ("conv2d string input", lambda: cnnmath.conv2d(STRINGS[None, None], W[:1, :1]), TypeError,
     ["x", "<U1", "real numbers"]),
    ("conv2d complex input", lambda: cnnmath.conv2d(COMPLEX[None, None], W[:1, :1, :2, :2]),
     TypeError, ["x", "complex128", "real numbers"]),
    ("conv2d object array of non-numbers",
     lambda: cnnmath.conv2d(OBJECTS[None, None], W[:1, :1, :1, :1]),
     TypeError, ["x", "object", "numbers or SymPy expressions"]),
    ("conv2d x is None", lambda: cnnmath.conv2d(None, W), TypeError,
     ["x", "NoneType", "array of numbers"]),
    ("conv2d_backward dy wrong shape",
     lambda: cnnmath.conv2d_backward(Y[:, :, :3], X, W), ValueError,
     ["dy", "(2, 4, 3, 4)", "(2, 4, 4, 4)"]),
    ("conv2d_backward dy wrong rank", lambda: cnnmath.conv2d_backward(Y[0], X, W), ValueError,
     ["dy", "(4, 4, 4)", "conv2d's output (2, 4, 4, 4)"]),
    ("conv2d_backward stride 0", lambda: cnnmath.conv2d_backward(Y, X, W, stride=0), ValueError,
     ["stride", "got 0", ">= 1"]),
    ("conv2d_backward_weight dy wrong shape",
     lambda: conv.conv2d_backward_weight(Y[:, :3], X, W), ValueError,
     ["dy", "(2, 3, 4, 4)", "conv2d's output (2, 4, 4, 4)"]),
    ("conv2d_backward_weight channel mismatch",
     lambda: conv.conv2d_backward_weight(Y, X[:, :2], W), ValueError,
     ["x", "2 channels", "3 input channels"]),
    # ------------------------------------------------------ conv_transpose2d
    ("conv_transpose2d channel mismatch", lambda: cnnmath.conv_transpose2d(X, W), ValueError,
     ["w", "(4, 3, 3, 3)", "3 channels in its first dimension"]),
    ("conv_transpose2d output_padding too big",
     lambda: cnnmath.conv_transpose2d(X, WT, stride=2, output_padding=2),
     ValueError, ["output_padding", "output_padding=2", "smaller than stride or dilation"]),
    ("conv_transpose2d padding word", lambda: cnnmath.conv_transpose2d(X, WT, padding="same"),
     TypeError, ["padding", "'same'", "an int"]),
    ("conv_transpose2d negative padding", lambda: cnnmath.conv_transpose2d(X, WT, padding=-1),
     ValueError, ["padding", "got -1", ">= 0"]),
    ("conv_transpose2d bias of wrong length",
     lambda: cnnmath.conv_transpose2d(X, WT, b=np.zeros(3)),
     ValueError, ["b", "(3,)", "one entry per output channel (4)"]),
    ("conv_transpose2d padding removes everything",
     lambda: cnnmath.conv_transpose2d(X[:, :, :1, :1], WT, padding=2),
     ValueError, ["padding", "padding=2", "removes the whole output"]),
    ("conv_transpose2d x rank 3", lambda: cnnmath.conv_transpose2d(X[0], WT), ValueError,
     ["x", "(3, 6, 6)", "4 dimensions"]),
    # ------------------------------------------------- correlate2d, convolve2d
    ("correlate2d image rank 3", lambda: cnnmath.correlate2d(X[0], W[0, 0]), ValueError,
     ["image", "(3, 6, 6)", "2 dimensions"]),
    ("correlate2d unknown mode", lambda: cnnmath.correlate2d(X[0, 0], W[0, 0], mode="circular"),
     ValueError, ["mode", "'circular'", "'valid', 'same', 'full'"]),
    ("correlate2d kernel does not fit", lambda: cnnmath.correlate2d(X[0, 0, :2, :2], W[0, 0]),
     ValueError, ["kernel", "(3, 3)", "use 'same' or 'full'"]),
    ("convolve2d kernel rank 1", lambda: cnnmath.convolve2d(X[0, 0], np.ones(3)), ValueError,
     ["kernel", "(3,)", "2 dimensions"]),
    ("convolve2d string kernel", lambda: cnnmath.convolve2d(X[0, 0], STRINGS), TypeError,
     ["kernel", "<U1", "real numbers"]),
    ("correlate2d_fft kernel does not fit",
     lambda: conv.correlate2d_fft(X[0, 0, :2, :2], W[0, 0]), ValueError,
     ["kernel", "spans 3", "use 'same' or 'full'"]),
    ("correlate2d_fft object array", lambda: conv.correlate2d_fft(OBJECTS, W[0, 0]), TypeError,
     ["image", "dtype object", "array of numbers"]),
    ("correlate2d_fft unknown mode",
     lambda: conv.correlate2d_fft(X[0, 0], W[0, 0], mode="circular"), ValueError,
     ["mode", "'circular'", "'valid', 'same', 'full'"]),
    # ---------------------------------------------------------- im2col, col2im
    ("im2col x_pad rank 3", lambda: conv.im2col(X[0], 3, 1, 1), ValueError,
     ["x_pad", "(3, 6, 6)", "4 dimensions"]),
    ("im2col kernel larger than x_pad", lambda: conv.im2col(X, 7, 1, 1), ValueError,
     ["kernel_size", "spans 7", "height is 6"]),
    ("im2col stride 0", lambda: conv.im2col(X, 3, 0, 1), ValueError,
     ["stride", "got 0", ">= 1"]),
    ("col2im size too small", lambda: conv.col2im(np.ones((1, 4, 4, 2, 3, 3)), 5, 1, 1),
     ValueError, ["size", "got (5, 5)", "at least (6, 6)"]),
    ("col2im patches rank 4", lambda: conv.col2im(X, 6, 1, 1), ValueError,
     ["patches", "(2, 3, 6, 6)", "6 dimensions"]),
    # --------------------------------------------------------------- pooling
    ("max_pool2d x rank 3", lambda: cnnmath.max_pool2d(P[0], 2), ValueError,
     ["x", "(1, 4, 4)", "4 dimensions"]),
    ("max_pool2d kernel_size 0", lambda: cnnmath.max_pool2d(P, 0), ValueError,
     ["kernel_size", "got 0", ">= 1"]),
    ("max_pool2d stride 0", lambda: cnnmath.max_pool2d(P, 2, stride=0), ValueError,
     ["stride", "got 0", ">= 1"]),
    ("max_pool2d dilation 0", lambda: cnnmath.max_pool2d(P, 2, dilation=0), ValueError,
     ["dilation", "got 0", ">= 1"]),
    ("max_pool2d negative padding", lambda: cnnmath.max_pool2d(P, 2, padding=-1), ValueError,
     ["padding", "got -1", ">= 0"]),
    ("max_pool2d padding above half the kernel", lambda: cnnmath.max_pool2d(P, 3, padding=2),
     ValueError, ["padding", "padding=2", "at most half of kernel_size"]),
    ("max_pool2d kernel larger than input", lambda: cnnmath.max_pool2d(P, 5), ValueError,
     ["kernel_size=5", "spans 5", "n + 2*padding = 4"]),
    ("max_pool2d padding word", lambda: cnnmath.max_pool2d(P, 2, padding="same"), TypeError,
     ["padding", "'same'", "an int"]),
    ("max_pool2d float kernel_size", lambda: cnnmath.max_pool2d(P, 2.0), TypeError,
     ["kernel_size", "2.0", "an int"]),
    ("max_pool2d ceil_mode not a bool", lambda: cnnmath.max_pool2d(P, 2, ceil_mode=1), TypeError,
     ["ceil_mode", "got 1", "True or False"]),
    ("max_pool2d complex input", lambda: cnnmath.max_pool2d(COMPLEX[None, None], 2), TypeError,
     ["x", "complex128", "real numbers"]),
    ("max_pool2d_backward dy wrong shape",
     lambda: cnnmath.max_pool2d_backward(np.ones((2, 1, 3, 3)), P, 2),
     ValueError, ["dy", "(2, 1, 3, 3)", "(2, 1, 2, 2)"]),
    ("max_pool2d_backward output wrong shape",
     lambda: cnnmath.max_pool2d_backward(np.ones((2, 1, 2, 2)), P, 2, output=np.ones((2, 1, 3, 3))),
     ValueError, ["output", "(2, 1, 3, 3)", "(2, 1, 2, 2)"]),
    ("avg_pool2d count_include_pad not a bool",
     lambda: cnnmath.avg_pool2d(P, 2, count_include_pad="yes"),
     TypeError, ["count_include_pad", "'yes'", "True or False"]),
    ("avg_pool2d stride 0", lambda: cnnmath.avg_pool2d(P, 2, stride=0), ValueError,
     ["stride", "got 0", ">= 1"]),
    ("avg_pool2d_backward dy wrong shape",
     lambda: cnnmath.avg_pool2d_backward(np.ones((2, 1, 2, 3)), P, 2),
     ValueError, ["dy", "(2, 1, 2, 3)", "(2, 1, 2, 2)"]),
    ("avg_pool2d_backward dy wrong rank",
     lambda: cnnmath.avg_pool2d_backward(np.ones((2, 2, 2)), P, 2),
     ValueError, ["dy", "(2, 2, 2)", "avg_pool2d's output (2, 1, 2, 2)"]),
    ("lp_pool2d norm_type below 1", lambda: cnnmath.lp_pool2d(P, 0.5, 2), ValueError,
     ["norm_type", "got 0.5", "[1, inf)"]),
    ("lp_pool2d norm_type NaN", lambda: cnnmath.lp_pool2d(P, float("nan"), 2), ValueError,
     ["norm_type", "got nan", "finite"]),
    ("lp_pool2d norm_type infinite", lambda: cnnmath.lp_pool2d(P, float("inf"), 2), ValueError,
     ["norm_type", "got inf", "finite"]),
    ("lp_pool2d norm_type string", lambda: cnnmath.lp_pool2d(P, "2", 2), TypeError,
     ["norm_type", "'2'", "a real number"]),
    ("lp_pool2d fractional norm on negative x", lambda: cnnmath.lp_pool2d(P - 2, 1.5, 2),
     ValueError, ["x", f"min(x) = {np.min(P - 2)}", "nonnegative"]),
    ("lp_pool2d_backward dy wrong shape",
     lambda: cnnmath.lp_pool2d_backward(np.ones((2, 1, 4, 4)), P, 2, 2),
     ValueError, ["dy", "(2, 1, 4, 4)", "(2, 1, 2, 2)"]),
    # ----------------------------------------------------------- activations
    ("relu string input", lambda: cnnmath.relu(STRINGS), TypeError, ["x", "<U1", "real numbers"]),
    ("sigmoid complex input", lambda: cnnmath.sigmoid(COMPLEX), TypeError,
     ["x", "complex128", "real numbers"]),
    ("tanh object array", lambda: cnnmath.tanh(OBJECTS), TypeError,
     ["x", "dtype object", "array of numbers"]),
    ("softplus a string", lambda: cnnmath.softplus("1.0"), TypeError,
     ["x", "str", "array of numbers"]),
    ("relu_backward dy wrong shape", lambda: cnnmath.relu_backward(V[:2], V), ValueError,
     ["dy", "(2, 5)", "shape of relu's output (3, 5)"]),
    ("leaky_relu_backward dy wrong shape", lambda: cnnmath.leaky_relu_backward(V.T, V), ValueError,
     ["dy", "(5, 3)", "shape of leaky_relu's output (3, 5)"]),
    ("elu_backward dy broadcastable", lambda: cnnmath.elu_backward(V[:1], V), ValueError,
     ["dy", "(1, 5)", "shape of elu's output (3, 5)"]),
    ("sigmoid_backward dy wrong shape", lambda: cnnmath.sigmoid_backward(V[0], V), ValueError,
     ["dy", "(5,)", "shape of sigmoid's output (3, 5)"]),
    ("tanh_backward dy wrong shape", lambda: cnnmath.tanh_backward(V[:, :4], V), ValueError,
     ["dy", "(3, 4)", "shape of tanh's output (3, 5)"]),
    ("softplus_backward dy wrong shape", lambda: cnnmath.softplus_backward(V[:, :, None], V),
     ValueError, ["dy", "(3, 5, 1)", "shape of softplus's output (3, 5)"]),
    ("softmax_backward dy wrong shape", lambda: cnnmath.softmax_backward(V[:2], V), ValueError,
     ["dy", "(2, 5)", "shape of softmax's output (3, 5)"]),
    ("log_softmax_backward dy wrong shape", lambda: cnnmath.log_softmax_backward(V[:, :1], V),
     ValueError, ["dy", "(3, 1)", "shape of log_softmax's output (3, 5)"]),
    ("softmax axis out of range", lambda: cnnmath.softmax(V, axis=2), ValueError,
     ["axis", "got 2", "[-2, 1] for x of shape (3, 5)"]),
    ("softmax_backward axis out of range", lambda: cnnmath.softmax_backward(V, V, axis=-3),
     ValueError, ["axis", "got -3", "[-2, 1]"]),
    ("log_softmax empty axis", lambda: cnnmath.log_softmax(np.ones((2, 0))), ValueError,
     ["x", "(2, 0)", "at least one entry along axis"]),
    ("log_softmax_backward NumPy bool axis", lambda: cnnmath.log_softmax_backward(
        V, V, axis=np.bool_(True)), TypeError, ["axis", "True", "an int"]),
    ("leaky_relu_backward slope a bool", lambda: cnnmath.leaky_relu_backward(
        V, V, negative_slope=False), TypeError, ["negative_slope", "False", "a real number"]),
    ("elu_backward alpha a string", lambda: cnnmath.elu_backward(V, V, alpha="1"), TypeError,
     ["alpha", "'1'", "a real number"]),
    ("log_softmax float axis", lambda: cnnmath.log_softmax(V, axis=1.0), TypeError,
     ["axis", "1.0", "an int"]),
    ("softmax bool axis", lambda: cnnmath.softmax(V, axis=True), TypeError,
     ["axis", "True", "an int"]),
    ("leaky_relu slope string", lambda: cnnmath.leaky_relu(V, negative_slope="0.1"), TypeError,
     ["negative_slope", "'0.1'", "a real number"]),
    ("leaky_relu slope NaN", lambda: cnnmath.leaky_relu(V, negative_slope=float("nan")),
     ValueError, ["negative_slope", "nan", "finite"]),
    ("elu alpha infinite", lambda: cnnmath.elu(V, alpha=float("inf")), ValueError,
     ["alpha", "inf", "finite"]),
    # ---------------------------------------------------------------- losses
    ("mse shape mismatch (no broadcasting)", lambda: cnnmath.mse(V[:, 0], V[:, :1]), ValueError,
     ["input and target", "(3,) and (3, 1)", "same shape"]),
    ("mse_backward shape mismatch", lambda: cnnmath.mse_backward(V, V[0]), ValueError,
     ["input and target", "(3, 5) and (5,)", "same shape"]),
    ("mae unknown reduction", lambda: cnnmath.mae(V, V, reduction="avg"), ValueError,
     ["reduction", "'avg'", "'mean', 'sum', 'none'"]),
    ("l2 reduction None", lambda: cnnmath.l2(V, V, reduction=None), ValueError,
     ["reduction", "None", "'mean', 'sum', 'none'"]),
    ("l2_backward shape mismatch", lambda: cnnmath.l2_backward(V[:, :1], V), ValueError,
     ["input and target", "(3, 1) and (3, 5)", "same shape"]),
    ("mae_backward unknown reduction", lambda: cnnmath.mae_backward(V, V, reduction="elementwise"),
     ValueError, ["reduction", "'elementwise'", "'mean', 'sum', 'none'"]),
    ("mape_backward zero target", lambda: cnnmath.mape_backward(V, np.zeros_like(V)), ValueError,
     ["target", "got 0 at index (0, 0)", "nonzero"]),
    ("msle input below -1", lambda: cnnmath.msle(V - 5, V ** 2), ValueError,
     ["input", f"from {np.min(V - 5)}", "> -1"]),
    ("msle_backward NaN input", lambda: cnnmath.msle_backward(with_nan(V ** 2), V ** 2), ValueError,
     ["input", "nan", "> -1"]),
    ("l1 shape mismatch", lambda: cnnmath.l1(V, V[:, :1]), ValueError,
     ["input and target", "(3, 5) and (3, 1)", "same shape"]),
    ("l1_backward a string reduction", lambda: cnnmath.l1_backward(V, V, reduction="median"),
     ValueError, ["reduction", "'median'", "'mean', 'sum', 'none'"]),
    ("mape zero target", lambda: cnnmath.mape(V, np.where(V > 0, V, 0)), ValueError,
     ["target", "got 0 at index", "nonzero"]),
    ("mape string target", lambda: cnnmath.mape(STRINGS, STRINGS), TypeError,
     ["input", "<U1", "real numbers"]),
    ("binary_cross_entropy p above 1",
     lambda: cnnmath.binary_cross_entropy(V ** 2 + 1.5, np.ones_like(V)),
     ValueError, ["p", f"to {np.max(V ** 2 + 1.5)}", "[0, 1]"]),
    ("binary_cross_entropy NaN p", lambda: cnnmath.binary_cross_entropy(with_nan(PROBS), PROBS),
     ValueError, ["p", "NaN", "[0, 1]"]),
    ("binary_cross_entropy_backward y of 2",
     lambda: cnnmath.binary_cross_entropy_backward(PROBS, 2 * np.ones((3, 4))),
     ValueError, ["y", "values from 2.0 to 2.0", "[0, 1]"]),
    ("binary_cross_entropy_with_logits shape mismatch",
     lambda: cnnmath.binary_cross_entropy_with_logits(V, V[:, :, None]),
     ValueError, ["input and target", "(3, 5) and (3, 5, 1)", "same shape"]),
    ("binary_cross_entropy_with_logits_backward NaN target",
     lambda: cnnmath.binary_cross_entropy_with_logits_backward(V, with_nan(np.ones_like(V))),
     ValueError, ["y", "NaN", "[0, 1]"]),
    ("cross_entropy class index out of range",
     lambda: cnnmath.cross_entropy(LOGITS, np.array([0, 4, 1])),
     ValueError, ["target class indices", "from 0 to 4", "[0, 3]"]),
    ("cross_entropy_backward negative class index",
     lambda: cnnmath.cross_entropy_backward(LOGITS, np.array([0, -1, 1])),
     ValueError, ["target class indices", "from -1 to 1", "[0, 3]"]),
    ("cross_entropy indices of wrong shape", lambda: cnnmath.cross_entropy(LOGITS, LABELS[:, None]),
     ValueError, ["target", "(3, 1)", "(N,) = (3,)"]),
    ("cross_entropy too few labels", lambda: cnnmath.cross_entropy(LOGITS, LABELS[:2]),
     ValueError, ["target", "(2,)", "(N,) = (3,)"]),
    ("cross_entropy float labels", lambda: cnnmath.cross_entropy(LOGITS, LABELS.astype(float)),
     ValueError, ["target", "(3,)", "integer dtype"]),
    ("cross_entropy probabilities of wrong shape",
     lambda: cnnmath.cross_entropy(LOGITS, PROBS[:, :3]),
     ValueError, ["target", "(3, 3)", "(3, 4)"]),
    ("cross_entropy NaN probabilities", lambda: cnnmath.cross_entropy(LOGITS, with_nan(PROBS)),
     ValueError, ["target", "NaN", "[0, 1]"]),
    ("cross_entropy bool target", lambda: cnnmath.cross_entropy(LOGITS, LABELS > 0), TypeError,
     ["target", "bool", "integer class indices"]),
    ("cross_entropy logits rank 1", lambda: cnnmath.cross_entropy(LOGITS[0], LABELS[:1]),
     ValueError, ["input", "(4,)", "2 dimensions"]),
    ("cross_entropy unknown reduction",
     lambda: cnnmath.cross_entropy(LOGITS, LABELS, reduction="batchmean"),
     ValueError, ["reduction", "'batchmean'", "'mean', 'sum', 'none'"]),
    ("kl_divergence negative p", lambda: cnnmath.kl_divergence(PROBS - 0.5, PROBS), ValueError,
     ["p", "values from -0.25", "[0, inf]"]),
    ("kl_divergence shape mismatch", lambda: cnnmath.kl_divergence(PROBS, PROBS[:1]), ValueError,
     ["p and q", "(3, 4) and (1, 4)", "same shape"]),
    ("kl_divergence axis out of range", lambda: cnnmath.kl_divergence(PROBS, PROBS, axis=2),
     ValueError, ["axis", "got 2", "[-2, 1]"]),
    ("kl_divergence float axis", lambda: cnnmath.kl_divergence(PROBS, PROBS, axis=1.0), TypeError,
     ["axis", "1.0", "an int"]),
    ("kl_divergence_backward axis out of range", lambda: cnnmath.kl_divergence_backward(
        PROBS, PROBS, axis=-3), ValueError, ["axis", "got -3", "[-2, 1] for p of shape (3, 4)"]),
    ("kl_divergence_backward unknown wrt",
     lambda: cnnmath.kl_divergence_backward(PROBS, PROBS, wrt="x"),
     ValueError, ["wrt", "'x'", "'q', 'p'"]),
    ("kl_divergence NaN q", lambda: cnnmath.kl_divergence(PROBS, with_nan(PROBS)), ValueError,
     ["q", "NaN", "[0, inf]"]),
    # ----------------------------------------------------------------- dense
    ("linear feature mismatch", lambda: cnnmath.linear(V[:, :4], LIN_W), ValueError,
     ["x", "4 features", "x.shape[-1] == w.shape[1]"]),
    ("linear w rank 1", lambda: cnnmath.linear(V, LIN_W[0]), ValueError,
     ["w", "(5,)", "2 dimensions"]),
    ("linear bias of wrong length", lambda: cnnmath.linear(V, LIN_W, b=np.zeros(3)), ValueError,
     ["b", "(3,)", "(2,)"]),
    ("linear_backward dy wrong shape", lambda: cnnmath.linear_backward(np.ones((3, 3)), V, LIN_W),
     ValueError, ["dy", "(3, 3)", "(3, 2)"]),
    ("linear string input", lambda: cnnmath.linear(STRINGS, LIN_W[:, :2]), TypeError,
     ["x", "<U1", "real numbers"]),
    ("linear object array of non-numbers", lambda: cnnmath.linear(OBJECTS, LIN_W[:, :2]), TypeError,
     ["x", "object", "numbers or SymPy expressions"]),
    # ------------------------------------------------------------------ data
    ("load_digits test_fraction a string", lambda: data.load_digits(test_fraction="a"),
     TypeError, ["test_fraction", "'a'", "a real number"]),
    ("load_digits test_fraction 1", lambda: data.load_digits(test_fraction=1), ValueError,
     ["test_fraction", "got 1", "(0, 1)"]),
    ("load_digits integer dtype", lambda: data.load_digits(dtype=np.int32), TypeError,
     ["dtype", "int32", "a floating type"]),
    ("sample_image unknown kind", lambda: data.sample_image("grey"), ValueError,
     ["kind", "'grey'", "'rgb', 'gray'"]),
    ("to_nchw float image", lambda: data.to_nchw(V), TypeError,
     ["image", "float64", "integer intensities"]),
    ("DigitsSplit without the test arrays", lambda: data.DigitsSplit(X, LABELS), TypeError,
     ["x_test", "y_test", "missing 2 required positional arguments"]),
    # ----------------------------------------------------- init, models, training
    ("fans one axis", lambda: init.fans((3,)), ValueError,
     ["shape", "(3,)", "at least 2 dimensions"]),
    ("initial_weights rng a seed", lambda: init.initial_weights((2, 3), "he_normal", 0),
     TypeError, ["rng", "got 0", "numpy.random.Generator"]),
    ("initial_bias unknown scheme", lambda: init.initial_bias(3, 4, "glorot", RNG), ValueError,
     ["scheme", "'glorot'", "'he_normal', 'xavier_uniform', 'pytorch_uniform'"]),
    ("digits_network channels 0", lambda: models.digits_network(channels=0), ValueError,
     ["out_channels", "got 0", ">= 1"]),
    ("cifar10_network rng a seed", lambda: models.cifar10_network(rng=1), TypeError,
     ["rng", "got 1", "numpy.random.Generator"]),
    ("accuracy labels of wrong length", lambda: training.accuracy(LOGITS, LABELS[:2]),
     ValueError, ["labels", "(2,)", "(3,)"]),
    ("confusion_matrix class out of range",
     lambda: training.confusion_matrix(LABELS, LABELS + 1, 4), ValueError,
     ["predictions", "values in 1..4", "integers in 0..3"]),
    ("predict batch_size 0", lambda: training.predict(nn.Flatten(), X, batch_size=0),
     ValueError, ["batch_size", "got 0", ">= 1"]),
    ("train_epoch batch_size float",
     lambda: training.train_epoch(None, None, None, None, X, LABELS, 2.0, RNG), TypeError,
     ["batch_size", "2.0", "an int"]),
    ("fit lr_decay a string",
     lambda: training.fit(None, None, None, None, (X, LABELS, X, LABELS), 1, 2, RNG,
                          lr_decay="0.9"), TypeError, ["lr_decay", "'0.9'", "a real number"]),
    ("check_model_gradients not a Sequential",
     lambda: training.check_model_gradients(nn.ReLU(), None, None, V, V), TypeError,
     ["model", "ReLU", "cnnmath.nn.Sequential"]),
    # ---------------------------------------------------------------- shapes
    ("conv_output_size kernel does not fit", lambda: cnnmath.conv_output_size(4, 7), ValueError,
     ["kernel_size=7", "spans 7", "a kernel that fits"]),
    ("conv_output_size n 0", lambda: cnnmath.conv_output_size(0, 3), ValueError,
     ["n", "got 0", ">= 1"]),
    ("conv_output_size float n", lambda: cnnmath.conv_output_size(5.0, 3), TypeError,
     ["n", "5.0", "an int"]),
    ("conv_output_size bool padding",
     lambda: cnnmath.conv_output_size(5, 3, padding=True), TypeError,
     ["padding", "True", "an int"]),
    ("conv_output_size stride 0", lambda: cnnmath.conv_output_size(5, 3, stride=0), ValueError,
     ["stride", "got 0", ">= 1"]),
    ("conv_output_size negative padding",
     lambda: cnnmath.conv_output_size(5, 3, padding=-2), ValueError,
     ["padding", "got -2", ">= 0"]),
    ("conv_transpose_output_size output_padding",
     lambda: cnnmath.conv_transpose_output_size(4, 3, stride=2, output_padding=2),
     ValueError, ["output_padding", "output_padding=2", "smaller than stride or dilation"]),
    ("conv_transpose_output_size padding eats everything",
     lambda: cnnmath.conv_transpose_output_size(1, 1, padding=1),
     ValueError, ["padding=1", "length -1", "at least 1"]),
    ("pool_output_size padding above half",
     lambda: cnnmath.pool_output_size(8, 2, padding=2), ValueError,
     ["padding", "padding=2", "at most half of kernel_size"]),
    ("pool_output_size ceil_mode string", lambda: cnnmath.pool_output_size(8, 2, ceil_mode="yes"),
     TypeError, ["ceil_mode", "'yes'", "True or False"]),
    ("pool_output_size dilation 0", lambda: cnnmath.pool_output_size(8, 2, dilation=0), ValueError,
     ["dilation", "got 0", ">= 1"]),
    ("same_padding kernel_size 0", lambda: cnnmath.same_padding(0), ValueError,
     ["kernel_size", "got 0", ">= 1"]),
    ("receptive_field unknown key",
     lambda: cnnmath.receptive_field([{"kernel_size": 3, "strides": 2}]),
     ValueError, ["layers[0]", "'strides'", "key 'kernel_size'"]),
    ("receptive_field_span negative index",
     lambda: cnnmath.receptive_field_span([{"kernel_size": 3}], -1),
     ValueError, ["index", "got -1", ">= 0"]),
    ("conv2d_parameter_count in_channels 0",
     lambda: cnnmath.conv2d_parameter_count(0, 4, 3), ValueError,
     ["in_channels", "got 0", ">= 1"]),
    ("conv2d_macs output_size pair with 0",
     lambda: cnnmath.conv2d_macs(3, 4, 3, (0, 5)), ValueError,
     ["output_size", "got 0", ">= 1"]),
    ("linear_parameter_count float", lambda: cnnmath.linear_parameter_count(3.5, 2), TypeError,
     ["in_features", "3.5", "an int"]),
    ("linear_macs out_features 0", lambda: cnnmath.linear_macs(3, 0), ValueError,
     ["out_features", "got 0", ">= 1"]),
    # ------------------------------------------------------------- gradcheck
    ("numerical_gradient f not callable", lambda: cnnmath.numerical_gradient(3.0, V), TypeError,
     ["f", "float", "callable"]),
    ("numerical_gradient eps 0", lambda: cnnmath.numerical_gradient(np.sum, V, eps=0), ValueError,
     ["eps", "got 0", "(0, inf)"]),
    ("numerical_gradient eps NaN", lambda: cnnmath.numerical_gradient(np.sum, V, eps=float("nan")),
     ValueError, ["eps", "nan", "finite"]),
    ("numerical_gradient eps a string", lambda: cnnmath.numerical_gradient(np.sum, V, eps="a"),
     TypeError, ["eps", "'a'", "a real number"]),
    ("numerical_gradient eps a bool", lambda: cnnmath.numerical_gradient(np.sum, V, eps=True),
     TypeError, ["eps", "True", "a real number"]),
    ("numerical_gradient eps a NumPy float", lambda: cnnmath.numerical_gradient(
        np.sum, V, eps=np.float32(-1e-3)), ValueError, ["eps", "got -0.001", "(0, inf)"]),
    ("check_gradient tol negative",
     lambda: cnnmath.check_gradient(np.sum, V, np.ones_like(V), tol=-1),
     ValueError, ["tol", "got -1", "[0, inf)"]),
    ("check_backward inputs a bare array",
     lambda: cnnmath.gradcheck.check_backward(np.sin, np.multiply, V), TypeError,
     ["inputs", "ndarray", "a list or tuple of arrays"]),
    ("check_backward backward not callable",
     lambda: cnnmath.gradcheck.check_backward(np.sin, "cos", [V]), TypeError,
     ["backward", "str", "callable"]),
    ("check_backward too many gradients",
     lambda: cnnmath.gradcheck.check_backward(np.sin, lambda g, v: (g, g), [V]), ValueError,
     ["backward", "got 2", "one gradient per input (1)"]),
    ("check_backward gradient of wrong shape",
     lambda: cnnmath.gradcheck.check_backward(np.sin, lambda g, v: g.T, [V]), ValueError,
     ["backward's gradient 0 and inputs[0]", "(5, 3) and (3, 5)", "same shape"]),
    ("check_backward rng a float", lambda: cnnmath.gradcheck.check_backward(
        np.sin, np.multiply, [V], rng=0.5), TypeError, ["rng", "0.5", "an int seed or a"]),
    ("check_backward string input", lambda: cnnmath.gradcheck.check_backward(
        np.sin, np.multiply, [STRINGS]), TypeError, ["inputs[0]", "<U1", "real numbers"]),
    ("GradientCheck negative error", lambda: cnnmath.gradcheck.GradientCheck(-1.0, (0,), 1.0, 1.0),
     ValueError, ["error", "got -1", "[0, inf)"]),
    ("GradientCheck index a list", lambda: cnnmath.gradcheck.GradientCheck(0.0, [0], 1.0, 1.0),
     TypeError, ["worst_index", "[0]", "a tuple of ints"]),
    ("BackwardCheck of errors", lambda: cnnmath.gradcheck.BackwardCheck((1e-9, 2e-9)), TypeError,
     ["checks", "(1e-09, 2e-09)", "a tuple of GradientCheck"]),
    # ------------------------------------------------------------- symbolic
    ("symbol_array empty name", lambda: cnnmath.symbolic.symbol_array("", 3), ValueError,
     ["name", "''", "non-empty string"]),
    ("symbol_array float shape", lambda: cnnmath.symbolic.symbol_array("x", (2.0, 3)), TypeError,
     ["shape", "(2.0, 3)", "a tuple of ints"]),
    ("gradient with an expression for a symbol",
     lambda: cnnmath.symbolic.gradient(1, cnnmath.symbolic.symbol_array("t", 1) + 1), TypeError,
     ["symbols", "t_{0} + 1", "SymPy symbols"]),
    ("gradient with a repeated symbol",
     lambda: cnnmath.symbolic.gradient(1, cnnmath.symbolic.symbol_array("t", 1).repeat(2)),
     ValueError, ["symbols", "2 entries but 1", "distinct"]),
    ("as_matrix 3-D", lambda: cnnmath.symbolic.as_matrix(np.zeros((1, 1, 1))), ValueError,
     ["array", "(1, 1, 1)", "1 or 2 dimensions"]),
    ("check_backward_exact shapes a list", lambda: cnnmath.symbolic.check_backward_exact(
        np.sin, np.multiply, [(2,)]), TypeError, ["shapes", "list", "a dict of input name"]),
    ("check_backward_exact input named G", lambda: cnnmath.symbolic.check_backward_exact(
        np.sin, np.multiply, {"G": (2,)}), ValueError, ["shapes", "['G']", "not 'G'"]),
    ("numerical_gradient string x", lambda: cnnmath.numerical_gradient(np.sum, STRINGS), TypeError,
     ["x", "<U1", "real numbers"]),
    ("relative_error shape mismatch", lambda: cnnmath.relative_error(V, V.T), ValueError,
     ["a and b", "(3, 5) and (5, 3)", "same shape"]),
    ("relative_error NaN", lambda: cnnmath.relative_error(with_nan(V), V), ValueError,
     ["a", "NaN", "finite numbers"]),
    ("check_gradient analytic of wrong shape", lambda: cnnmath.check_gradient(np.sum, V, V[0]),
     ValueError, ["analytic and x", "(5,) and (3, 5)", "same shape"]),
    # ----------------------------------------------------------- nn layers
    ("nn.Conv2d in_channels 0", lambda: nn.Conv2d(0, 4, 3), ValueError,
     ["in_channels", "got 0", ">= 1"]),
    ("nn.Conv2d kernel_size 0", lambda: nn.Conv2d(3, 4, 0), ValueError,
     ["kernel_size", "got 0", ">= 1"]),
    ("nn.Conv2d forward channel mismatch", lambda: nn.Conv2d(2, 4, 3).forward(X), ValueError,
     ["x", "3 channels", "2 input channels"]),
    ("nn.Conv2d backward dy wrong shape",
     lambda: _forward_then(nn.Conv2d(3, 4, 3), X).backward(Y[:1]),
     ValueError, ["dy", "(1, 4, 4, 4)", "(2, 4, 4, 4)"]),
    ("nn.Linear forward feature mismatch", lambda: nn.Linear(4, 2).forward(V), ValueError,
     ["x", "5 features", "x.shape[-1] == w.shape[1]"]),
    ("nn.Linear out_features float", lambda: nn.Linear(4, 2.0), TypeError,
     ["out_features", "2.0", "an int"]),
    ("nn.MaxPool2d forward kernel larger than input",
     lambda: nn.MaxPool2d(5).forward(P), ValueError,
     ["kernel_size=5", "spans 5", "n + 2*padding = 4"]),
    ("nn.MaxPool2d ceil_mode 1", lambda: nn.MaxPool2d(2, ceil_mode=1), TypeError,
     ["ceil_mode", "got 1", "True or False"]),
    ("nn.MaxPool2d padding word", lambda: nn.MaxPool2d(2, padding="same"), TypeError,
     ["padding", "'same'", "an int"]),
    ("nn.AvgPool2d count_include_pad a string",
     lambda: nn.AvgPool2d(2, count_include_pad="no"), TypeError,
     ["count_include_pad", "'no'", "True or False"]),
    ("nn.Conv2d same with stride 2", lambda: nn.Conv2d(3, 4, 3, stride=2, padding="same"),
     ValueError, ["padding='same'", "got stride (2, 2)", "stride 1"]),
    ("nn.Sequential backward input_grad 1",
     lambda: _forward_then(nn.Sequential(nn.ReLU()), V).backward(V, input_grad=1), TypeError,
     ["input_grad", "got 1", "True or False"]),
    ("nn.AvgPool2d backward dy wrong shape", lambda: _forward_then(nn.AvgPool2d(2), P).backward(P),
     ValueError, ["dy", "(2, 1, 4, 4)", "(2, 1, 2, 2)"]),
    ("nn.ReLU backward dy wrong shape", lambda: _forward_then(nn.ReLU(), V).backward(V.T),
     ValueError, ["dy", "(5, 3)", "shape of relu's output (3, 5)"]),
    ("nn.Sigmoid forward string input", lambda: nn.Sigmoid().forward(STRINGS), TypeError,
     ["x", "<U1", "real numbers"]),
    ("nn.Flatten 1-D input", lambda: nn.Flatten().forward(V[0]), ValueError,
     ["x", "(5,)", "a batch dimension and at least one more"]),
    ("nn.Sequential non-layer", lambda: nn.Sequential(nn.ReLU(), np.tanh), TypeError,
     ["layer 1", "ufunc", "cnnmath.nn.Layer"]),
    ("nn.SGD learning rate 0", lambda: nn.SGD(nn.Linear(2, 2).parameters(), lr=0), ValueError,
     ["lr", "got 0", "positive number"]),
    ("nn.SGD momentum 1.5", lambda: nn.SGD(nn.Linear(2, 2).parameters(), lr=0.1, momentum=1.5),
     ValueError, ["momentum", "1.5", "[0, 1)"]),
]


def _forward_then(layer, x):
    layer.forward(x)
    return layer


def test_the_catalogue_is_large_and_its_ids_unique():
    assert len(CASES) >= 100
    assert len({case[0] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("call, error, parts", [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_wrong_call_is_rejected_with_a_helpful_message(call, error, parts):
    with pytest.raises((ValueError, TypeError)) as raised:
        call()
    message = str(raised.value)
    assert raised.type is error, f"expected {error.__name__}, got {raised.type.__name__}: {message}"
    missing = [part for part in parts if part not in message]
    assert not missing, f"message {message!r} lacks {missing}"


def test_every_public_function_is_in_the_catalogue():
    """Each top-level function of cnnmath is called wrongly at least once above."""
    import inspect
    import re

    source = inspect.getsource(inspect.getmodule(test_every_public_function_is_in_the_catalogue))
    called = set(re.findall(r"cnnmath\.(\w+)\(", source))
    public = {name for name, value in vars(cnnmath).items()
              if inspect.isfunction(value) and not name.startswith("_")
              and value.__module__.split(".")[1] in
              {"conv", "pooling", "activations", "losses", "dense", "shapes", "gradcheck"}}
    aliases = {"l1", "l1_backward"}          # the same functions as mae, mae_backward
    missing = sorted(public - called - aliases)
    assert not missing, f"no wrong call in the catalogue for {missing}"


def test_numpy_scalars_are_accepted_like_python_ones():
    """np.bool_ and np.float32 are a bool and a real number: the layers, the functions
    and the data loader take them, and give what the Python values give."""
    x = RNG.normal(size=(1, 2, 5, 5))
    for ceil_mode in (True, False):
        expected = cnnmath.max_pool2d(x, 2, ceil_mode=ceil_mode)
        np.testing.assert_array_equal(
            nn.MaxPool2d(2, ceil_mode=np.bool_(ceil_mode)).forward(x), expected)
        np.testing.assert_array_equal(
            cnnmath.max_pool2d(x, 2, ceil_mode=np.bool_(ceil_mode)), expected)
        assert (cnnmath.pool_output_size(5, 2, ceil_mode=np.bool_(ceil_mode))
                == cnnmath.pool_output_size(5, 2, ceil_mode=ceil_mode))
    for include in (True, False):
        expected = cnnmath.avg_pool2d(x, 3, 2, 1, count_include_pad=include)
        np.testing.assert_array_equal(
            nn.AvgPool2d(3, 2, 1, count_include_pad=np.bool_(include)).forward(x), expected)
        np.testing.assert_array_equal(
            cnnmath.avg_pool2d(x, 3, 2, 1, count_include_pad=np.bool_(include)), expected)
    np.testing.assert_array_equal(cnnmath.lp_pool2d(np.abs(x), np.float32(3), 2),
                                  cnnmath.lp_pool2d(np.abs(x), 3, 2))
    split, split_32 = data.load_digits(test_fraction=0.5), data.load_digits(np.float32(0.5))
    for a, b in zip(split, split_32):
        np.testing.assert_array_equal(a, b)
    model = nn.Sequential(nn.Linear(5, 2))
    model.forward(V)
    assert model.backward(np.ones((3, 2)), input_grad=np.bool_(False)) is None
