"""What every augmentation layer shares: its seed, its data format, and Keras's calling rule."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.layers.layer import Layer
from layerwise.layers.preprocessing.image_utils import standardize_data_format
from layerwise.layers.regularization.noise_utils import SeededMixin, validate_seed


class BaseAugmentation(SeededMixin, Layer):
    """Base of the augmentation layers: no weights, a ``seed`` (the layer's own generator, seeded
    once), a ``data_format``, and Keras's rule that a direct call ``layer(images)`` augments, while
    inside a model the model's mode decides. Subclasses check their own arguments, then call this
    ``__init__``, so a refused argument changes nothing.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.RandomFlip("horizontal", seed=1)
        >>> x = torch.rand(2, 4, 4, 3)
        >>> bool(torch.equal(layer(x, training=False), x)), layer.get_config()["seed"]
        (True, 1)
    """

    _direct_call_trains = True

    def __init__(self, seed: int | None = None, data_format: str | None = None, **kwargs):
        owner = type(self).__name__
        seed = validate_seed(owner, seed)
        data_format = standardize_data_format(owner, data_format)
        super().__init__(**kwargs)
        self.seed = seed
        self.data_format = data_format
        self._generator = None
        self.built = True

    def _as_float(self, inputs: torch.Tensor) -> torch.Tensor:
        """Integer images cast to the compute dtype (float images unchanged)."""
        return inputs if inputs.is_floating_point() else inputs.to(self._dtype_policy.torch_compute_dtype)

    def compute_output_shape(self, input_shape: Any):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "seed": self.seed, "data_format": self.data_format}
