"""``Flatten``: one feature axis per sample, in channels-last order as Keras."""

from __future__ import annotations

import math

from layerwise import config
from layerwise.api_export import export
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.layer import Layer
from layerwise.utils.argument_validation import one_of


@export("layerwise.layers.Flatten")
class Flatten(Layer):
    """Flattens each sample to a vector; the batch axis is kept.

    Features are ordered channels-last (as Keras does): a ``channels_first`` input is moved to
    channels-last before flattening, so weights trained in either layout line up with Keras's.

    Args:
        data_format: ``"channels_last"`` (default from ``image_data_format()``) or
            ``"channels_first"``.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.Flatten()(torch.zeros(2, 3, 4)).shape
        torch.Size([2, 12])
    """

    def __init__(self, data_format: str | None = None, **kwargs):
        super().__init__(**kwargs)
        data_format = data_format or config.image_data_format()
        self.data_format = one_of("Flatten", "data_format", data_format, ("channels_last", "channels_first"), str.lower)
        self.input_spec = InputSpec(min_ndim=1)
        self.built = True

    def call(self, inputs):
        if self.data_format == "channels_first" and inputs.ndim > 2:
            inputs = inputs.permute(0, *range(2, inputs.ndim), 1)
        return inputs.reshape(inputs.shape[0], -1)

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        if any(d is None for d in rest):
            return (input_shape[0], None)
        return (input_shape[0], math.prod(rest) if rest else 1)

    def get_config(self) -> dict:
        return {**super().get_config(), "data_format": self.data_format}
