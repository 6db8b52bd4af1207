"""``Identity``: returns its input unchanged (a placeholder in a model)."""

from __future__ import annotations

from layerwise.api_export import export
from layerwise.layers.layer import Layer


@export("layerwise.layers.Identity")
class Identity(Layer):
    """Returns the input unchanged; keeps its mask.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.Identity()(torch.tensor([[1.0]]))
        tensor([[1.]])
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape
