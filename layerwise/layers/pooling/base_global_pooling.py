"""``BaseGlobalPooling``: the shared body of the global pooling layers (one value per channel).

The rank-specific classes (``GlobalMaxPooling1D``... ``GlobalMinPooling3D``) only fix ``rank``
and ``pool_mode``; ``GlobalAveragePooling1D`` adds Keras's ``mask`` support.
"""

from __future__ import annotations

import torch

from layerwise import config
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.layer import Layer
from layerwise.utils.argument_validation import one_of
from layerwise.utils.dtype_utils import to_torch_dtype


class BaseGlobalPooling(Layer):
    """Reduce all ``rank`` spatial axes with ``pool_mode`` ``"max"``, ``"average"`` or ``"min"``.

    Args:
        data_format: ``"channels_last"`` or ``"channels_first"``; default
            ``layerwise.config.image_data_format()``.
        keepdims: keep the spatial axes with size 1 (default ``False``: output ``(batch, channels)``).
    """

    rank = 2
    pool_mode = "max"

    def __init__(self, data_format: str | None = None, keepdims: bool = False, name: str | None = None, **kwargs):
        owner = type(self).__name__
        data_format = one_of(owner, "data_format", data_format or config.image_data_format(),
                             ("channels_last", "channels_first"), str.lower)
        keepdims = one_of(owner, "keepdims", keepdims, (False, True))
        super().__init__(name=name, **kwargs)
        self.data_format = data_format
        self.keepdims = bool(keepdims)
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self.supports_masking = False
        self.built = True

    @property
    def _spatial_axes(self) -> tuple[int, ...]:
        first = 1 if self.data_format == "channels_last" else 2
        return tuple(range(first, first + self.rank))

    def call(self, inputs):
        axes = self._spatial_axes
        if self.pool_mode == "max":
            return torch.amax(inputs, dim=axes, keepdim=self.keepdims)
        if self.pool_mode == "min":
            return torch.amin(inputs, dim=axes, keepdim=self.keepdims)
        if not inputs.is_floating_point():
            inputs = inputs.to(to_torch_dtype(config.floatx()))
        return torch.mean(inputs, dim=axes, keepdim=self.keepdims)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        channels = input_shape[-1] if self.data_format == "channels_last" else input_shape[1]
        if not self.keepdims:
            return (input_shape[0], channels)
        ones = (1,) * (len(input_shape) - 2)
        if self.data_format == "channels_last":
            return (input_shape[0],) + ones + (channels,)
        return (input_shape[0], channels) + ones

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format, "keepdims": self.keepdims}
