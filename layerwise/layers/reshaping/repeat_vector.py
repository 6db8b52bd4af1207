"""``RepeatVector``: repeat a vector ``n`` times along a new time axis."""

from __future__ import annotations

from layerwise.api_export import export
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.layer import Layer
from layerwise.utils.argument_validation import positive_int


@export("layerwise.layers.RepeatVector")
class RepeatVector(Layer):
    """Turns ``(batch, features)`` into ``(batch, n, features)`` (the encoder-decoder bridge).

    Args:
        n: how many times to repeat.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.RepeatVector(3)(torch.tensor([[1.0, 2.0]]))
        tensor([[[1., 2.],
                 [1., 2.],
                 [1., 2.]]])
    """

    def __init__(self, n: int, **kwargs):
        super().__init__(**kwargs)
        self.n = positive_int("RepeatVector", "n", n)
        self.input_spec = InputSpec(ndim=2)
        self.built = True

    def call(self, inputs):
        return inputs.unsqueeze(1).expand(-1, self.n, -1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self) -> dict:
        return {**super().get_config(), "n": self.n}
