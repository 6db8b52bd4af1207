"""``BasePooling``: the shared body of the pooling layers (window, strides, padding, shapes)."""

from __future__ import annotations

from typing import Any

from layerwise import config
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.layer import Layer
from layerwise.ops.pooling import average_pool, max_pool, min_pool, pool_output_length
from layerwise.utils.argument_validation import one_of, standardize_tuple

_POOLS = {"max": max_pool, "average": average_pool, "min": min_pool}


class BasePooling(Layer):
    """Pooling over ``rank`` spatial axes with ``pool_mode`` ``"max"``, ``"average"`` or ``"min"``."""

    rank = 2
    pool_mode = "max"

    def __init__(self, pool_size: Any, strides: Any = None, padding: str = "valid", data_format: str | None = None,
                 name: str | None = None, **kwargs):
        owner = type(self).__name__
        super().__init__(name=name, **kwargs)
        self.pool_size = standardize_tuple(owner, "pool_size", pool_size, self.rank)
        self.strides = self.pool_size if strides is None else standardize_tuple(owner, "strides", strides, self.rank)
        self.padding = one_of(owner, "padding", padding, ("valid", "same"), str.lower)
        self.data_format = one_of(owner, "data_format", data_format or config.image_data_format(),
                                  ("channels_last", "channels_first"), str.lower)
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self.supports_masking = False
        self.built = True

    def call(self, inputs):
        return _POOLS[self.pool_mode](inputs, self.pool_size, self.strides, self.padding, self.data_format)

    def compute_output_shape(self, input_shape):
        spatial = input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]
        out = tuple(pool_output_length(size, p, s, self.padding)
                    for size, p, s in zip(spatial, self.pool_size, self.strides))
        if self.data_format == "channels_last":
            return (input_shape[0],) + out + (input_shape[-1],)
        return (input_shape[0], input_shape[1]) + out

    def get_config(self) -> dict:
        return {**super().get_config(), "pool_size": list(self.pool_size), "strides": list(self.strides),
                "padding": self.padding, "data_format": self.data_format}
