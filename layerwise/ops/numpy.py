"""``layerwise.ops.numpy``: every NumPy-style op under the module name Keras uses."""

from layerwise.ops.arrays import *  # noqa: F401,F403
from layerwise.ops.creation import *  # noqa: F401,F403
from layerwise.ops.creation import arange, eye, full, linspace, ones, zeros  # noqa: F401
from layerwise.ops.elementwise import *  # noqa: F401,F403
from layerwise.ops.elementwise import abs  # noqa: F401
from layerwise.ops.linalg import *  # noqa: F401,F403
from layerwise.ops.reductions import *  # noqa: F401,F403
