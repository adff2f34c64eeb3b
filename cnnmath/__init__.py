"""cnnmath: the mathematics of convolutional networks, executed in NumPy.

Every public function follows the conventions of ``torch.nn.functional``
(NCHW images, weights of shape (C_out, C_in, kH, kW), cross-correlation), so
what a reader learns here carries straight to PyTorch.

The functional API, every name in the ``__all__`` of the modules imported with
``*`` below, is importable from the top level (``from cnnmath import conv2d``).
Layers and optimisers live in ``cnnmath.nn``, as in ``torch.nn``; the loop
references, the SymPy helpers, initialisation, the book's networks, its training
loop and its figures are the modules ``reference``, ``symbolic``, ``init``,
``models``, ``training`` and ``plotting``.
"""

from . import activations, conv, data, dense, gradcheck, losses, normalization, pooling, shapes
# the modules imported by name (``as`` marks them as re-exported)
from . import init as init, models as models, nn as nn, plotting as plotting
from . import reference as reference, symbolic as symbolic, training as training
from .activations import *  # noqa: F403
from .conv import *  # noqa: F403
from .data import *  # noqa: F403
from .dense import *  # noqa: F403
from .gradcheck import *  # noqa: F403
from .losses import *  # noqa: F403
from .normalization import *  # noqa: F403
from .pooling import *  # noqa: F403
from .shapes import *  # noqa: F403

__version__ = "0.1.0"

__all__ = [*activations.__all__, *conv.__all__, *data.__all__, *dense.__all__,
           *gradcheck.__all__, *losses.__all__, *normalization.__all__, *pooling.__all__,
           *shapes.__all__]
