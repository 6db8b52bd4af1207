"""``ELU``: the exponential linear unit as a layer."""

from __future__ import annotations

from layerwise import activations
from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.utils.argument_validation import number_in_range


@export("layerwise.layers.ELU")
class ELU(Layer):
    """Exponential linear unit: ``x`` if ``x > 0`` else ``alpha * (exp(x) - 1)``.

    Args:
        alpha: the scale of the negative part (default 1.0): outputs saturate at ``-alpha``.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.ELU(alpha=2.0)(torch.tensor([[-100.0, 0.0, 3.0]]))
        tensor([[-2.,  0.,  3.]])
    """

    def __init__(self, alpha: float = 1.0, **kwargs):
        alpha = number_in_range("ELU", "alpha", alpha)
        super().__init__(**kwargs)
        self.alpha = alpha
        self.supports_masking = True

    def call(self, inputs):
        return activations.elu(inputs, alpha=self.alpha)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "alpha": self.alpha}
