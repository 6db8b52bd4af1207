"""``Activation``: apply an activation function as a layer."""

from __future__ import annotations

from typing import Any

from layerwise import activations
from layerwise.api_export import export
from layerwise.layers.layer import Layer


@export("layerwise.layers.Activation")
class Activation(Layer):
    """Applies ``activation`` element-wise (along an axis for ``softmax``/``log_softmax``).

    Args:
        activation: a name from :mod:`layerwise.activations` (``"relu"``, ``"softmax"``,
            ``"gelu"``, ``"swish"``, ``"threshold"``, ``"bru"``...), a registered custom name, or a
            callable. String identifiers use the function's default arguments.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.Activation("relu")(torch.tensor([[-1.0, 2.0]]))
        tensor([[0., 2.]])
    """

    def __init__(self, activation: Any, **kwargs):
        function = activations.get(activation)
        super().__init__(**kwargs)
        self.supports_masking = True
        self.activation = function

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "activation": activations.serialize(self.activation)}
