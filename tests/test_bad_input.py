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
from cnnmath import nn, normalization

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
    ("conv2d kernel larger than padded input", lambda: cnnmath.conv2d(X[:, :, :2, :2], W, padding=0),
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
    ("conv2d object array of non-numbers", lambda: cnnmath.conv2d(OBJECTS[None, None], W[:1, :1, :1, :1]),
     TypeError, ["x", "object", "numbers or SymPy expressions"]),
    ("conv2d x is None", lambda: cnnmath.conv2d(None, W), TypeError,
     ["x", "NoneType", "array of numbers"]),
    ("conv2d_backward dy wrong shape", lambda: cnnmath.conv2d_backward(Y[:, :, :3], X, W), ValueError,
     ["dy", "(2, 4, 3, 4)", "(2, 4, 4, 4)"]),
    ("conv2d_backward dy wrong rank", lambda: cnnmath.conv2d_backward(Y[0], X, W), ValueError,
     ["dy", "(4, 4, 4)", "4 dimensions"]),
    ("conv2d_backward stride 0", lambda: cnnmath.conv2d_backward(Y, X, W, stride=0), ValueError,
     ["stride", "got 0", ">= 1"]),
    # ------------------------------------------------------ conv_transpose2d
    ("conv_transpose2d channel mismatch", lambda: cnnmath.conv_transpose2d(X, W), ValueError,
     ["w", "(4, 3, 3, 3)", "3 channels in its first dimension"]),
    ("conv_transpose2d output_padding too big", lambda: cnnmath.conv_transpose2d(X, WT, stride=2, output_padding=2),
     ValueError, ["output_padding", "(2, 2)", "smaller than stride or dilation"]),
    ("conv_transpose2d padding word", lambda: cnnmath.conv_transpose2d(X, WT, padding="same"),
     TypeError, ["padding", "'same'", "an int or a pair of ints"]),
    ("conv_transpose2d negative padding", lambda: cnnmath.conv_transpose2d(X, WT, padding=-1),
     ValueError, ["padding", "got -1", ">= 0"]),
    ("conv_transpose2d bias of wrong length", lambda: cnnmath.conv_transpose2d(X, WT, b=np.zeros(3)),
     ValueError, ["b", "(3,)", "one entry per output channel (4)"]),
    ("conv_transpose2d padding removes everything", lambda: cnnmath.conv_transpose2d(X[:, :, :1, :1], WT, padding=2),
     ValueError, ["padding", "(2, 2)", "removes the whole output"]),
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
    ("max_pool2d_backward dy wrong shape", lambda: cnnmath.max_pool2d_backward(np.ones((2, 1, 3, 3)), P, 2),
     ValueError, ["dy", "(2, 1, 3, 3)", "(2, 1, 2, 2)"]),
    ("max_pool2d_backward output wrong shape",
     lambda: cnnmath.max_pool2d_backward(np.ones((2, 1, 2, 2)), P, 2, output=np.ones((2, 1, 3, 3))),
     ValueError, ["output", "(2, 1, 3, 3)", "(2, 1, 2, 2)"]),
    ("avg_pool2d count_include_pad not a bool", lambda: cnnmath.avg_pool2d(P, 2, count_include_pad="yes"),
     TypeError, ["count_include_pad", "'yes'", "True or False"]),
    ("avg_pool2d stride 0", lambda: cnnmath.avg_pool2d(P, 2, stride=0), ValueError,
     ["stride", "got 0", ">= 1"]),
    ("avg_pool2d_backward dy wrong shape", lambda: cnnmath.avg_pool2d_backward(np.ones((2, 1, 2, 3)), P, 2),
     ValueError, ["dy", "(2, 1, 2, 3)", "(2, 1, 2, 2)"]),
    ("avg_pool2d_backward dy wrong rank", lambda: cnnmath.avg_pool2d_backward(np.ones((2, 2, 2)), P, 2),
     ValueError, ["dy", "(2, 2, 2)", "4 dimensions"]),
    ("lp_pool2d norm_type below 1", lambda: cnnmath.lp_pool2d(P, 0.5, 2), ValueError,
     ["norm_type", "0.5", ">= 1"]),
    ("lp_pool2d norm_type NaN", lambda: cnnmath.lp_pool2d(P, float("nan"), 2), ValueError,
     ["norm_type", "nan", "finite number >= 1"]),
    ("lp_pool2d norm_type infinite", lambda: cnnmath.lp_pool2d(P, float("inf"), 2), ValueError,
     ["norm_type", "inf", "finite number >= 1"]),
    ("lp_pool2d norm_type string", lambda: cnnmath.lp_pool2d(P, "2", 2), TypeError,
     ["norm_type", "'2'", "a real number"]),
    ("lp_pool2d fractional norm on negative x", lambda: cnnmath.lp_pool2d(P - 2, 1.5, 2),
     ValueError, ["x", f"min(x) = {np.min(P - 2)}", "nonnegative"]),
    ("lp_pool2d_backward dy wrong shape", lambda: cnnmath.lp_pool2d_backward(np.ones((2, 1, 4, 4)), P, 2, 2),
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
     ["dy", "(2, 5)", "same shape"]),
    ("leaky_relu_backward dy wrong shape", lambda: cnnmath.leaky_relu_backward(V.T, V), ValueError,
     ["dy", "(5, 3)", "same shape"]),
    ("elu_backward dy broadcastable", lambda: cnnmath.elu_backward(V[:1], V), ValueError,
     ["dy", "(1, 5)", "same shape"]),
    ("sigmoid_backward dy wrong shape", lambda: cnnmath.sigmoid_backward(V[0], V), ValueError,
     ["dy", "(5,)", "same shape"]),
    ("tanh_backward dy wrong shape", lambda: cnnmath.tanh_backward(V[:, :4], V), ValueError,
     ["dy", "(3, 4)", "same shape"]),
    ("softplus_backward dy wrong shape", lambda: cnnmath.softplus_backward(V[:, :, None], V),
     ValueError, ["dy", "(3, 5, 1)", "same shape"]),
    ("softmax_backward dy wrong shape", lambda: cnnmath.softmax_backward(V[:2], V), ValueError,
     ["dy", "(2, 5)", "same shape"]),
    ("log_softmax_backward dy wrong shape", lambda: cnnmath.log_softmax_backward(V[:, :1], V),
     ValueError, ["dy", "(3, 1)", "same shape"]),
    ("softmax axis out of range", lambda: cnnmath.softmax(V, axis=2), ValueError,
     ["axis", "got 2", "[-2, 1]"]),
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
    ("msle NaN input", lambda: cnnmath.msle_backward(with_nan(V ** 2), V ** 2), ValueError,
     ["input", "nan", "> -1"]),
    ("mape zero target", lambda: cnnmath.mape(V, np.where(V > 0, V, 0)), ValueError,
     ["target", "got 0 at index", "nonzero"]),
    ("mape string target", lambda: cnnmath.mape(STRINGS, STRINGS), TypeError,
     ["input", "<U1", "real numbers"]),
    ("binary_cross_entropy p above 1", lambda: cnnmath.binary_cross_entropy(V ** 2 + 1.5, np.ones_like(V)),
     ValueError, ["p", f"to {np.max(V ** 2 + 1.5)}", "[0, 1]"]),
    ("binary_cross_entropy NaN p", lambda: cnnmath.binary_cross_entropy(with_nan(PROBS), PROBS),
     ValueError, ["p", "NaN", "[0, 1]"]),
    ("binary_cross_entropy_backward y of 2", lambda: cnnmath.binary_cross_entropy_backward(PROBS, 2 * np.ones((3, 4))),
     ValueError, ["y", "values from 2.0 to 2.0", "[0, 1]"]),
    ("binary_cross_entropy_with_logits shape mismatch", lambda: cnnmath.binary_cross_entropy_with_logits(V, V[:, :, None]),
     ValueError, ["z and y", "(3, 5) and (3, 5, 1)", "same shape"]),
    ("binary_cross_entropy_with_logits NaN y", lambda: cnnmath.binary_cross_entropy_with_logits_backward(V, with_nan(np.ones_like(V))),
     ValueError, ["y", "NaN", "[0, 1]"]),
    ("cross_entropy class index out of range", lambda: cnnmath.cross_entropy(LOGITS, np.array([0, 4, 1])),
     ValueError, ["target class indices", "from 0 to 4", "[0, 3]"]),
    ("cross_entropy negative class index", lambda: cnnmath.cross_entropy_backward(LOGITS, np.array([0, -1, 1])),
     ValueError, ["target class indices", "from -1 to 1", "[0, 3]"]),
    ("cross_entropy indices of wrong shape", lambda: cnnmath.cross_entropy(LOGITS, LABELS[:, None]),
     ValueError, ["target", "(3, 1)", "(N,) = (3,)"]),
    ("cross_entropy too few labels", lambda: cnnmath.cross_entropy(LOGITS, LABELS[:2]),
     ValueError, ["target", "(2,)", "(N,) = (3,)"]),
    ("cross_entropy float labels", lambda: cnnmath.cross_entropy(LOGITS, LABELS.astype(float)),
     ValueError, ["target", "(3,)", "integer dtype"]),
    ("cross_entropy probabilities of wrong shape", lambda: cnnmath.cross_entropy(LOGITS, PROBS[:, :3]),
     ValueError, ["target", "(3, 3)", "(3, 4)"]),
    ("cross_entropy NaN probabilities", lambda: cnnmath.cross_entropy(LOGITS, with_nan(PROBS)),
     ValueError, ["target", "NaN", "[0, 1]"]),
    ("cross_entropy bool target", lambda: cnnmath.cross_entropy(LOGITS, LABELS > 0), TypeError,
     ["target", "bool", "integer class indices"]),
    ("cross_entropy logits rank 1", lambda: cnnmath.cross_entropy(LOGITS[0], LABELS[:1]),
     ValueError, ["logits", "(4,)", "2 dimensions"]),
    ("cross_entropy unknown reduction", lambda: cnnmath.cross_entropy(LOGITS, LABELS, reduction="batchmean"),
     ValueError, ["reduction", "'batchmean'", "'mean', 'sum', 'none'"]),
    ("kl_divergence negative p", lambda: cnnmath.kl_divergence(PROBS - 0.5, PROBS), ValueError,
     ["p", "values from -0.25", "[0, inf]"]),
    ("kl_divergence shape mismatch", lambda: cnnmath.kl_divergence(PROBS, PROBS[:1]), ValueError,
     ["p and q", "(3, 4) and (1, 4)", "same shape"]),
    ("kl_divergence axis out of range", lambda: cnnmath.kl_divergence(PROBS, PROBS, axis=2),
     ValueError, ["axis", "got 2", "[-2, 1]"]),
    ("kl_divergence_backward unknown wrt", lambda: cnnmath.kl_divergence_backward(PROBS, PROBS, wrt="x"),
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
    # ---------------------------------------------------------------- shapes
    ("conv_output_size kernel does not fit", lambda: cnnmath.conv_output_size(4, 7), ValueError,
     ["kernel_size=7", "spans 7", "a kernel that fits"]),
    ("conv_output_size n 0", lambda: cnnmath.conv_output_size(0, 3), ValueError,
     ["n", "got 0", ">= 1"]),
    ("conv_output_size float n", lambda: cnnmath.conv_output_size(5.0, 3), TypeError,
     ["n", "5.0", "an int"]),
    ("conv_output_size bool padding", lambda: cnnmath.conv_output_size(5, 3, padding=True), TypeError,
     ["padding", "True", "an int"]),
    ("conv_output_size stride 0", lambda: cnnmath.conv_output_size(5, 3, stride=0), ValueError,
     ["stride", "got 0", ">= 1"]),
    ("conv_output_size negative padding", lambda: cnnmath.conv_output_size(5, 3, padding=-2), ValueError,
     ["padding", "got -2", ">= 0"]),
    ("conv_transpose_output_size output_padding", lambda: cnnmath.conv_transpose_output_size(4, 3, stride=2, output_padding=2),
     ValueError, ["output_padding", "output_padding=2", "smaller than stride or dilation"]),
    ("conv_transpose_output_size padding eats everything", lambda: cnnmath.conv_transpose_output_size(1, 1, padding=1),
     ValueError, ["padding=1", "length -1", "at least 1"]),
    ("pool_output_size padding above half", lambda: cnnmath.pool_output_size(8, 2, padding=2), ValueError,
     ["padding", "padding=2", "at most half of kernel_size"]),
    ("pool_output_size ceil_mode string", lambda: cnnmath.pool_output_size(8, 2, ceil_mode="yes"),
     TypeError, ["ceil_mode", "'yes'", "True or False"]),
    ("pool_output_size dilation 0", lambda: cnnmath.pool_output_size(8, 2, dilation=0), ValueError,
     ["dilation", "got 0", ">= 1"]),
    ("same_padding kernel_size 0", lambda: cnnmath.same_padding(0), ValueError,
     ["kernel_size", "got 0", ">= 1"]),
    ("receptive_field unknown key", lambda: cnnmath.receptive_field([{"kernel_size": 3, "strides": 2}]),
     ValueError, ["layers[0]", "'strides'", "key 'kernel_size'"]),
    ("receptive_field_span negative index", lambda: cnnmath.receptive_field_span([{"kernel_size": 3}], -1),
     ValueError, ["index", "got -1", ">= 0"]),
    ("conv2d_parameter_count in_channels 0", lambda: cnnmath.conv2d_parameter_count(0, 4, 3), ValueError,
     ["in_channels", "got 0", ">= 1"]),
    ("conv2d_macs output_size pair with 0", lambda: cnnmath.conv2d_macs(3, 4, 3, (0, 5)), ValueError,
     ["output_size", "got 0", ">= 1"]),
    ("linear_parameter_count float", lambda: cnnmath.linear_parameter_count(3.5, 2), TypeError,
     ["in_features", "3.5", "an int"]),
    ("linear_macs out_features 0", lambda: cnnmath.linear_macs(3, 0), ValueError,
     ["out_features", "got 0", ">= 1"]),
    # ------------------------------------------------------------- gradcheck
    ("numerical_gradient f not callable", lambda: cnnmath.numerical_gradient(3.0, V), TypeError,
     ["f", "float", "callable"]),
    ("numerical_gradient eps 0", lambda: cnnmath.numerical_gradient(np.sum, V, eps=0), ValueError,
     ["eps", "got 0", "positive number"]),
    ("numerical_gradient eps NaN", lambda: cnnmath.numerical_gradient(np.sum, V, eps=float("nan")),
     ValueError, ["eps", "nan", "positive number"]),
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
    ("nn.Conv2d backward dy wrong shape", lambda: _forward_then(nn.Conv2d(3, 4, 3), X).backward(Y[:1]),
     ValueError, ["dy", "(1, 4, 4, 4)", "(2, 4, 4, 4)"]),
    ("nn.Linear forward feature mismatch", lambda: nn.Linear(4, 2).forward(V), ValueError,
     ["x", "5 features", "x.shape[-1] == w.shape[1]"]),
    ("nn.Linear out_features float", lambda: nn.Linear(4, 2.0), TypeError,
     ["out_features", "2.0", "an int"]),
    ("nn.MaxPool2d forward kernel larger than input", lambda: nn.MaxPool2d(5).forward(P), ValueError,
     ["kernel_size=5", "spans 5", "n + 2*padding = 4"]),
    ("nn.AvgPool2d backward dy wrong shape", lambda: _forward_then(nn.AvgPool2d(2), P).backward(P),
     ValueError, ["dy", "(2, 1, 4, 4)", "(2, 1, 2, 2)"]),
    ("nn.ReLU backward dy wrong shape", lambda: _forward_then(nn.ReLU(), V).backward(V.T),
     ValueError, ["dy", "(5, 3)", "same shape"]),
    ("nn.Flatten 1-D input", lambda: nn.Flatten().forward(V[0]), ValueError,
     ["x", "(5,)", "a batch dimension and at least one more"]),
    ("nn.Sequential non-layer", lambda: nn.Sequential(nn.ReLU(), np.tanh), TypeError,
     ["layer 1", "ufunc", "cnnmath.nn.Layer"]),
    ("nn.SGD learning rate 0", lambda: nn.SGD(nn.Linear(2, 2).parameters(), lr=0), ValueError,
     ["lr", "got 0", "(0, inf)"]),
    ("nn.SGD momentum 1.5", lambda: nn.SGD(nn.Linear(2, 2).parameters(), lr=0.1, momentum=1.5),
     ValueError, ["momentum", "1.5", "[0, 1)"]),
    # ------------------------------------ chapter 10: normalisation, dropout, optimisers
    ("batch_norm x rank 3", lambda: normalization.batch_norm(X[0], None, None, training=True),
     ValueError, ["x", "(3, 6, 6)", "2 dimensions (N, C) or 4 dimensions (N, C, H, W)"]),
    ("batch_norm one value per channel", lambda: normalization.batch_norm(
        X[:1, :, :1, :1], None, None, training=True), ValueError,
     ["x", "(1, 3, 1, 1)", "N * H * W >= 2"]),
    ("batch_norm eval without running statistics", lambda: normalization.batch_norm(V, None, None),
     ValueError, ["running_mean", "got None", "shape (5,)"]),
    ("batch_norm running_mean of wrong length", lambda: normalization.batch_norm(
        V, np.zeros(4), np.ones(5)), ValueError, ["running_mean", "(4,)", "shape (5,)"]),
    ("batch_norm running_var a list while training", lambda: normalization.batch_norm(
        V, np.zeros(5), [1.0] * 5, training=True), TypeError,
     ["running_var", "list", "float NumPy array"]),
    ("batch_norm running_mean int while training", lambda: normalization.batch_norm(
        V, np.zeros(5, int), np.ones(5), training=True), TypeError,
     ["running_mean", "int64", "float NumPy array"]),
    ("batch_norm weight of wrong shape", lambda: normalization.batch_norm(
        V, None, None, weight=np.ones((5, 1)), training=True), ValueError,
     ["weight", "(5, 1)", "shape (5,)"]),
    ("batch_norm momentum 1.5", lambda: normalization.batch_norm(
        V, None, None, training=True, momentum=1.5), ValueError, ["momentum", "1.5", "[0, 1]"]),
    ("batch_norm eps 0", lambda: normalization.batch_norm(V, None, None, training=True, eps=0),
     ValueError, ["eps", "got 0", "(0, inf)"]),
    ("batch_norm training 1", lambda: normalization.batch_norm(V, None, None, training=1),
     TypeError, ["training", "1", "True or False"]),
    ("batch_norm string x", lambda: normalization.batch_norm(STRINGS, None, None, training=True),
     TypeError, ["x", "<U1", "real numbers"]),
    ("batch_norm_backward dy wrong shape", lambda: normalization.batch_norm_backward(
        V.T, V, None, None, training=True), ValueError, ["dy", "(5, 3)", "(3, 5)"]),
    ("batch_norm_backward eval without running_var", lambda: normalization.batch_norm_backward(
        V, V, np.zeros(5), None), ValueError, ["running_var", "got None", "shape (5,)"]),
    ("dropout_mask p 1.5", lambda: normalization.dropout_mask((2, 3), 1.5, RNG), ValueError,
     ["p", "1.5", "[0, 1]"]),
    ("dropout_mask p string", lambda: normalization.dropout_mask((2, 3), "0.5", RNG), TypeError,
     ["p", "'0.5'", "a real number"]),
    ("dropout_mask rng a seed", lambda: normalization.dropout_mask((2, 3), 0.5, 0), TypeError,
     ["rng", "int", "numpy.random.Generator"]),
    ("dropout_mask negative size", lambda: normalization.dropout_mask((2, -3), 0.5, RNG),
     ValueError, ["shape", "got -3", ">= 0"]),
    ("dropout_mask integer dtype", lambda: normalization.dropout_mask((2,), 0.5, RNG, int),
     TypeError, ["dtype", "int64", "float dtype"]),
    ("dropout mask of wrong shape", lambda: normalization.dropout(V, np.ones((5, 3))), ValueError,
     ["mask", "(5, 3)", "(3, 5)"]),
    ("dropout_backward mask of wrong shape", lambda: normalization.dropout_backward(
        V, np.ones(5)), ValueError, ["mask", "(5,)", "(3, 5)"]),
    ("nn.BatchNorm1d num_features 0", lambda: nn.BatchNorm1d(0), ValueError,
     ["num_features", "got 0", ">= 1"]),
    ("nn.BatchNorm1d affine 1", lambda: nn.BatchNorm1d(3, affine=1), TypeError,
     ["affine", "1", "True or False"]),
    ("nn.BatchNorm2d given (N, C)", lambda: nn.BatchNorm2d(5).forward(V), ValueError,
     ["x", "(3, 5)", "4 dimensions"]),
    ("nn.BatchNorm2d channel mismatch", lambda: nn.BatchNorm2d(4).forward(X), ValueError,
     ["x", "3 channels", "num_features=4"]),
    ("nn.BatchNorm1d batch of one in training", lambda: nn.BatchNorm1d(5).forward(V[:1]),
     ValueError, ["x", "(1, 5)", "more than 1 value per channel"]),
    ("nn.Dropout p -0.1", lambda: nn.Dropout(-0.1), ValueError, ["p", "-0.1", "[0, 1]"]),
    ("nn.Dropout rng legacy RandomState", lambda: nn.Dropout(0.5, rng=np.random.RandomState(0)),
     TypeError, ["rng", "RandomState", "numpy.random.Generator"]),
    ("nn.Dropout backward dy wrong shape", lambda: _forward_then(nn.Dropout(), V).backward(V.T),
     ValueError, ["dy", "(5, 3)", "(3, 5)"]),
    ("nn.Residual body changes the shape", lambda: nn.Residual(nn.Linear(5, 2)).forward(V),
     ValueError, ["residual body", "(3, 2)", "(3, 5)"]),
    ("nn.Layer train(1)", lambda: nn.ReLU().train(1), TypeError, ["mode", "1", "True or False"]),
    ("nn.SGD weight_decay negative", lambda: nn.SGD(nn.Linear(2, 2).parameters(), lr=0.1,
                                                    weight_decay=-1), ValueError,
     ["weight_decay", "got -1", "[0, inf)"]),
    ("nn.SGD nesterov without momentum", lambda: nn.SGD(nn.Linear(2, 2).parameters(), lr=0.1,
                                                        nesterov=True), ValueError,
     ["nesterov", "momentum 0", "momentum in (0, 1)"]),
    ("nn.SGD a single parameter", lambda: nn.SGD(nn.Linear(2, 2).weight, lr=0.1), TypeError,
     ["parameters", "a single Parameter", "iterable of cnnmath.nn.Parameter"]),
    ("nn.SGD arrays instead of parameters", lambda: nn.SGD([np.zeros(2)], lr=0.1), TypeError,
     ["parameters[0]", "ndarray", "cnnmath.nn.Parameter"]),
    ("nn.Adam beta 1", lambda: nn.Adam(nn.Linear(2, 2).parameters(), betas=(0.9, 1.0)),
     ValueError, ["betas[1]", "got 1", "[0, 1)"]),
    ("nn.Adam betas not a pair", lambda: nn.Adam(nn.Linear(2, 2).parameters(), betas=0.9),
     ValueError, ["betas", "0.9", "a pair"]),
    ("nn.Adam lr string", lambda: nn.Adam(nn.Linear(2, 2).parameters(), lr="1e-3"), TypeError,
     ["lr", "'1e-3'", "a real number"]),
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
