"""``Dropout``: inverted dropout, active only in training."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.layers.regularization.noise_utils import (
    SeededMixin,
    concrete_noise_shape,
    validate_noise_shape,
    validate_seed,
)
from layerwise.utils.argument_validation import number_in_range


@export("layerwise.layers.Dropout")
class Dropout(SeededMixin, Layer):
    """Sets each input to 0 with probability ``rate`` during training and scales the others by
    ``1 / (1 - rate)``, so the expected sum is unchanged; at inference it is the identity.

    Args:
        rate: fraction of inputs to drop, in ``[0, 1]``.
        noise_shape: shape of the binary mask, broadcast over the input (``None`` entries take
            the input's size), e.g. ``(batch, 1, features)`` to drop the same features at every step.
        seed: makes the masks reproducible for this layer: the layer draws from its own generator,
            seeded once, so successive calls give different masks but the same sequence every run.

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
        owner = type(self).__name__
        rate = number_in_range(owner, "rate", rate, 0, 1)
        noise_shape = validate_noise_shape(owner, noise_shape)
        seed = validate_seed(owner, seed)
        super().__init__(**kwargs)
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed
        self._generator = None
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        shape = self._noise_shape(inputs)
        if self.rate == 1:
            return inputs * 0  # as Keras: all zeros (kept in the graph, so gradients are zeros too)
        if shape is None and self.seed is None:
            return F.dropout(inputs, self.rate, training=True)  # torch's fused kernel
        return inputs * self._scaled_mask(inputs, shape or tuple(inputs.shape))

    def _noise_shape(self, inputs: torch.Tensor) -> tuple[int, ...] | None:
        """The shape of the mask, or ``None`` for one draw per element."""
        if self.noise_shape is None:
            return None
        return concrete_noise_shape(self, self.noise_shape, inputs.shape)

    def _scaled_mask(self, inputs: torch.Tensor, shape: tuple[int, ...]) -> torch.Tensor:
        """``keep / (1 - rate)`` of the given shape: 0 with probability ``rate``, else ``1 / (1 - rate)``."""
        draw = torch.rand(shape, device=inputs.device, generator=self._seeded(inputs.device))
        dtype = inputs.dtype if inputs.is_floating_point() else torch.get_default_dtype()
        return (draw >= self.rate).to(dtype).mul_(1.0 / (1.0 - self.rate))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed,
                "noise_shape": None if self.noise_shape is None else list(self.noise_shape)}
