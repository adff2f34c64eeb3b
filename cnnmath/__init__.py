"""cnnmath: the mathematics of convolutional networks, executed in NumPy.

Every public function follows the conventions of ``torch.nn.functional``
(NCHW images, weights of shape (C_out, C_in, kH, kW), cross-correlation), so
what a reader learns here carries straight to PyTorch. Each module's blocks
below are added by the chapter that derives it.
"""

from . import data, plotting
from .data import load_digits, sample_image, to_nchw

__version__ = "0.1.0"

from . import activations
from .activations import (
    elu, elu_backward, leaky_relu, leaky_relu_backward, log_softmax, log_softmax_backward,
    relu, relu_backward, sigmoid, sigmoid_backward, softmax, softmax_backward, softplus,
    softplus_backward, tanh, tanh_backward,
)

from . import conv
from .conv import conv2d, conv2d_backward, conv_transpose2d, convolve2d, correlate2d

from . import dense, pooling, shapes
from .dense import linear, linear_backward
from .pooling import (
    avg_pool2d, avg_pool2d_backward, lp_pool2d, lp_pool2d_backward, max_pool2d,
    max_pool2d_backward,
)
from .shapes import (
    conv2d_macs, conv2d_parameter_count, conv_output_size, conv_transpose_output_size,
    linear_macs, linear_parameter_count, pool_output_size, receptive_field,
    receptive_field_span, same_padding,
)

from . import gradcheck, symbolic
from .gradcheck import check_gradient, numerical_gradient, relative_error

from . import losses
from .losses import (
    binary_cross_entropy, binary_cross_entropy_backward, binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_backward, cross_entropy, cross_entropy_backward,
    kl_divergence, kl_divergence_backward, l1, l1_backward, l2, l2_backward, mae, mae_backward,
    mape, mape_backward, mse, mse_backward, msle, msle_backward,
)

from . import init, models, nn, training
