"""``layerwise.ops``: the tensor functions every layer, loss and metric is written with.

They take torch tensors, NumPy arrays or Python numbers, return torch tensors, and record graph
nodes when given symbolic tensors (inside a functional model under construction).
"""

from layerwise.api_export import export as _export
from layerwise.ops import nn, numpy  # noqa: F401
from layerwise.ops.arrays import *  # noqa: F401,F403
from layerwise.ops.creation import *  # noqa: F401,F403
from layerwise.ops.creation import arange, eye, full, linspace, ones, zeros  # noqa: F401
from layerwise.ops.conv import *  # noqa: F401,F403
from layerwise.ops.core import as_tensor_like, cast, convert_to_numpy, convert_to_tensor, dtype, is_tensor, shape, stop_gradient  # noqa: F401
from layerwise.ops.elementwise import *  # noqa: F401,F403
from layerwise.ops.elementwise import abs  # noqa: F401
from layerwise.ops.linalg import *  # noqa: F401,F403
from layerwise.ops.nn import *  # noqa: F401,F403
from layerwise.ops.pooling import *  # noqa: F401,F403
from layerwise.ops.reductions import *  # noqa: F401,F403

_export("layerwise.ops.convert_to_tensor", "layerwise.ops.core.convert_to_tensor")(convert_to_tensor)
_export("layerwise.ops.convert_to_numpy", "layerwise.ops.core.convert_to_numpy")(convert_to_numpy)
_export("layerwise.ops.dtype")(dtype)
