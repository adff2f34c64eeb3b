"""Loop implementations that mirror the book's index formulas, one line each.

They are slow and obviously right, they also run on SymPy symbols (object
arrays), and they are the oracle that every fast function is tested against.
"""

from .conv import conv2d, conv2d_backward, conv_transpose2d, convolve2d, correlate2d
from .dense import linear, linear_backward
from .normalization import batch_norm, batch_norm_backward
from .pooling import (
    avg_pool2d, avg_pool2d_backward, lp_pool2d, lp_pool2d_backward, max_pool2d,
    max_pool2d_backward,
)

__all__ = ["correlate2d", "convolve2d", "conv2d", "conv2d_backward", "conv_transpose2d",
           "linear", "linear_backward", "max_pool2d", "max_pool2d_backward", "avg_pool2d",
           "avg_pool2d_backward", "lp_pool2d", "lp_pool2d_backward", "batch_norm",
           "batch_norm_backward"]
