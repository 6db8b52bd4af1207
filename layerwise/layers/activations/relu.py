"""``ReLU``: the rectified linear unit as a layer, with Keras's ``max_value``, ``negative_slope`` and ``threshold``."""

from __future__ import annotations

from layerwise import activations
from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.utils.argument_validation import number_in_range


@export("layerwise.layers.ReLU")
class ReLU(Layer):
    """Rectified linear unit: ``x`` above ``threshold``, ``negative_slope * (x - threshold)`` below,
    capped at ``max_value``.

    Exactly Keras's formula (see :func:`layerwise.activations.relu`)::

        f(x) = max_value                          if x >= max_value
        f(x) = x                                  if threshold < x < max_value
        f(x) = negative_slope * (x - threshold)   otherwise

    Args:
        max_value: the largest output (``None``: unbounded); a number >= 0.
        negative_slope: the slope below ``threshold``; a number >= 0 (default 0).
        threshold: where the unit turns on; a number >= 0 (default 0).

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.ReLU(max_value=6.0, negative_slope=0.5)(torch.tensor([[-4.0, 2.0, 9.0]]))
        tensor([[-2.,  2.,  6.]])
    """

    def __init__(self, max_value: float | None = None, negative_slope: float = 0.0, threshold: float = 0.0,
                 **kwargs):
        if max_value is not None:
            max_value = number_in_range("ReLU", "max_value", max_value, 0, None)
        negative_slope = number_in_range("ReLU", "negative_slope", negative_slope, 0, None)
        threshold = number_in_range("ReLU", "threshold", threshold, 0, None)
        super().__init__(**kwargs)
        self.max_value = max_value
        self.negative_slope = negative_slope
        self.threshold = threshold
        self.supports_masking = True

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope, max_value=self.max_value,
                                threshold=self.threshold)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "max_value": self.max_value, "negative_slope": self.negative_slope,
                "threshold": self.threshold}
