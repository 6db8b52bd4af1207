"""``Dropout``: inverted dropout, active only in training."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.utils.argument_validation import number_in_range


@export("layerwise.layers.Dropout")
class Dropout(Layer):
    """Sets each input to 0 with probability ``rate`` during training and scales the others by
    ``1 / (1 - rate)``, so the expected sum is unchanged; at inference it is the identity.

    Args:
        rate: fraction of inputs to drop, in ``[0, 1]``.
        noise_shape: shape of the binary mask, broadcast over the input (``None`` entries take
            the input's size), e.g. ``(batch, 1, features)`` to drop the same features at every step.
        seed: makes the masks reproducible for this layer.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.Dropout(0.5)
        >>> x = torch.ones(1, 1000)
        >>> bool(torch.equal(layer(x), x))  # inference: identity
        True
        >>> y = layer(x, training=True)
        >>> sorted(set(y.flatten().tolist()))
        [0.0, 2.0]
    """

    def __init__(self, rate: float, noise_shape: Any = None, seed: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.rate = number_in_range("Dropout", "rate", rate, 0, 1)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self._generator: torch.Generator | None = None
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        if self.noise_shape is None and self.seed is None:
            return F.dropout(inputs, self.rate, training=True)
        shape = inputs.shape
        if self.noise_shape is not None:
            shape = tuple(shape[i] if d is None else d for i, d in enumerate(self.noise_shape))
        if self.rate == 1:
            return inputs * 0
        keep = torch.rand(shape, device=inputs.device, generator=self._seeded(inputs.device)) >= self.rate
        return inputs * keep.to(inputs.dtype) / (1.0 - self.rate)

    def _seeded(self, device: torch.device) -> torch.Generator | None:
        if self.seed is None:
            return None
        if self._generator is None or self._generator.device != device:
            self._generator = torch.Generator(device=device).manual_seed(int(self.seed))
        return self._generator

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed,
                "noise_shape": None if self.noise_shape is None else list(self.noise_shape)}
