"""``LeakyReLU``: ``x`` if ``x >= 0`` else ``negative_slope * x``."""

from __future__ import annotations

from layerwise import activations
from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.utils.argument_validation import number_in_range


@export("layerwise.layers.LeakyReLU")
class LeakyReLU(Layer):
    """Leaky rectified linear unit: ``x`` if ``x >= 0`` else ``negative_slope * x``.

    Args:
        negative_slope: the slope for negative inputs; a number >= 0 (Keras 3's default 0.3).
            Keras 2's name for it, ``alpha``, is accepted too (and wins, as in Keras).

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.LeakyReLU()(torch.tensor([[-10.0, 0.0, 5.0]]))
        tensor([[-3.,  0.,  5.]])
    """

    def __init__(self, negative_slope: float = 0.3, **kwargs):
        if "alpha" in kwargs:  # Keras 2 spelling
            negative_slope = kwargs.pop("alpha")
        negative_slope = number_in_range("LeakyReLU", "negative_slope", negative_slope, 0, None)
        super().__init__(**kwargs)
        self.negative_slope = negative_slope
        self.supports_masking = True

    def call(self, inputs):
        return activations.leaky_relu(inputs, negative_slope=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "negative_slope": self.negative_slope}
