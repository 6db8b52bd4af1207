"""``layerwise.mixed_precision``: Keras's module name for dtype policies.

``set_global_policy("mixed_bfloat16")`` makes new layers keep float32 weights and compute in
bfloat16 (``"mixed_float16"``: float16, and ``compile`` then wraps the optimizer in a
:class:`LossScaleOptimizer`, as Keras does).
"""

from layerwise.dtype_policies import DTypePolicy, global_policy, set_global_policy
from layerwise.dtype_policies import DTypePolicy as Policy
from layerwise.optimizers.loss_scale_optimizer import LossScaleOptimizer

dtype_policy = global_policy
set_dtype_policy = set_global_policy

__all__ = ["DTypePolicy", "LossScaleOptimizer", "Policy", "dtype_policy", "global_policy", "set_dtype_policy", "set_global_policy"]
