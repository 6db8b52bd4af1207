"""``BasePooling``: the shared body of the windowed pooling layers (window, strides, padding, shapes).

The rank-specific classes (``MaxPooling1D``... ``MinPooling3D``) only fix ``rank``, ``pool_mode``
and the default ``pool_size``.
"""

from __future__ import annotations

from typing import Any

from layerwise import config
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.layer import Layer
from layerwise.ops.pooling import check_window_fits, pool_nd, pool_output_length
from layerwise.utils.argument_validation import one_of, standardize_tuple


class BasePooling(Layer):
    """Pooling over ``rank`` spatial axes with ``pool_mode`` ``"max"``, ``"average"`` or ``"min"``.

    Args:
        pool_size: int or tuple of ``rank`` ints, the window size.
        strides: int or tuple of ``rank`` ints; ``None`` (default) means ``pool_size``.
        padding: ``"valid"`` (windows inside the input) or ``"same"`` (``ceil(n / stride)``
            outputs; padded positions are ignored, averages divide by the real inputs).
        data_format: ``"channels_last"`` or ``"channels_first"``; default
            ``layerwise.config.image_data_format()``.
    """

    rank = 2
    pool_mode = "max"

    def __init__(self, pool_size: Any, strides: Any = None, padding: str = "valid", data_format: str | None = None,
                 name: str | None = None, **kwargs):
        owner = type(self).__name__
        pool_size = standardize_tuple(owner, "pool_size", pool_size, self.rank)
        strides = pool_size if strides is None else standardize_tuple(owner, "strides", strides, self.rank)
        padding = one_of(owner, "padding", padding, ("valid", "same"), str.lower)
        data_format = one_of(owner, "data_format", data_format or config.image_data_format(),
                             ("channels_last", "channels_first"), str.lower)
        super().__init__(name=name, **kwargs)
        self.pool_size = pool_size
        self.strides = strides
        self.padding = padding
        self.data_format = data_format
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self.supports_masking = False
        self.built = True

    def call(self, inputs):
        return pool_nd(self.pool_mode, inputs, self.pool_size, self.strides, self.padding, self.data_format,
                       type(self).__name__)

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        spatial = input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]
        check_window_fits(type(self).__name__, spatial, self.pool_size, self.padding)
        out = tuple(pool_output_length(size, p, s, self.padding)
                    for size, p, s in zip(spatial, self.pool_size, self.strides))
        if self.data_format == "channels_last":
            return (input_shape[0],) + out + (input_shape[-1],)
        return (input_shape[0], input_shape[1]) + out

    def get_config(self) -> dict:
        return {**super().get_config(), "pool_size": list(self.pool_size), "strides": list(self.strides),
                "padding": self.padding, "data_format": self.data_format}
