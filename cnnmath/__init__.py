"""cnnmath: the mathematics of convolutional networks, executed in NumPy.

Every public function follows the conventions of ``torch.nn.functional``
(NCHW images, weights of shape (C_out, C_in, kH, kW), cross-correlation), so
what a reader learns here carries straight to PyTorch. Each module's blocks
below are added by the chapter that derives it.
"""

from . import data, plotting
from .data import load_digits, sample_image, to_nchw

__version__ = "0.1.0"

