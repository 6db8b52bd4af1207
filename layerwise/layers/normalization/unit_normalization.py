"""``UnitNormalization``: scales each sample to unit L2 norm over the given axes."""

from __future__ import annotations

import torch.nn.functional as F

from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.layers.normalization.layer_normalization import standardize_axes
from layerwise.layers.normalization.normalization_utils import check_axes_in_range


@export("layerwise.layers.UnitNormalization")
class UnitNormalization(Layer):
    """Divides each input by its L2 norm over ``axis``: ``x / max(||x||, 1e-12)`` (Keras's
    ``x * min(rsqrt(sum(x ** 2)), 1e12)``), so a zero vector stays zero. No weights; the same in
    training and at inference.

    Args:
        axis: the axis or axes over which the norm is taken (default ``-1``).

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.UnitNormalization()(torch.tensor([[3.0, 4.0], [0.0, 0.0]])).tolist()
        [[0.6, 0.8], [0.0, 0.0]]
    """

    def __init__(self, axis=-1, **kwargs):
        axis = standardize_axes("UnitNormalization", axis)
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True
        self.built = True

    def _axes(self, input_shape) -> list[int]:
        return check_axes_in_range(self, self.axis if isinstance(self.axis, list) else [self.axis], input_shape)

    def call(self, inputs):
        axes = self._axes(tuple(inputs.shape))
        if not inputs.is_floating_point():
            inputs = inputs.to(self._dtype_policy.torch_compute_dtype)
        return F.normalize(inputs, p=2.0, dim=axes if len(axes) > 1 else axes[0], eps=1e-12)

    def compute_output_shape(self, input_shape):
        self._axes(input_shape)
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}
