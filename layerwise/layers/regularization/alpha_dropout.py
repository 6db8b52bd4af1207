"""``AlphaDropout``: dropout for self-normalising (SELU) networks, active only in training."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.layers.regularization.noise_utils import (
    SeededMixin,
    concrete_noise_shape,
    validate_noise_shape,
    validate_seed,
)
from layerwise.utils.argument_validation import number_in_range

# SELU's constants (Klambauer et al., 2017): the value a dropped unit takes is SELU's limit at -inf.
_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946
_ALPHA_P = -_SELU_ALPHA * _SELU_SCALE


@export("layerwise.layers.AlphaDropout")
class AlphaDropout(SeededMixin, Layer):
    """Dropout that keeps a zero mean and unit variance: during training each input is replaced,
    with probability ``rate``, by SELU's negative saturation value ``-alpha * scale``, and the
    result goes through the affine map ``a * x + b`` that restores the mean and variance of
    standardised inputs. At inference it is the identity.

    With ``q = 1 - rate`` and ``alpha' = -alpha * scale``: ``a = (q * (1 + rate * alpha'**2))**-0.5``
    and ``b = -a * alpha' * rate``.

    Args:
        rate: drop probability, in ``[0, 1)``.
        noise_shape: shape of the keep/drop mask, broadcast over the input (``None`` entries take
            the input's size).
        seed: makes the masks reproducible for this layer (its own generator, seeded once).

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.AlphaDropout(0.2, seed=0)
        >>> x = torch.randn(1000, 100)
        >>> bool(torch.equal(layer(x), x))  # inference: identity
        True
        >>> y = layer(x, training=True)
        >>> round(float(y.mean()), 1), round(float(y.std()), 1)
        (0.0, 1.0)
    """

    def __init__(self, rate: float, noise_shape: Any = None, seed: int | None = None, **kwargs):
        rate = number_in_range("AlphaDropout", "rate", rate, 0, 1, high_inclusive=False)
        noise_shape = validate_noise_shape("AlphaDropout", noise_shape)
        seed = validate_seed("AlphaDropout", seed)
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
        if not inputs.is_floating_point():
            inputs = inputs.to(self._dtype_policy.torch_compute_dtype)
        shape = concrete_noise_shape(self, self.noise_shape, inputs.shape)
        keep = torch.rand(shape, device=inputs.device, generator=self._seeded(inputs.device)) >= self.rate
        a = ((1.0 - self.rate) * (1.0 + self.rate * _ALPHA_P**2)) ** -0.5
        b = -a * _ALPHA_P * self.rate
        # kept: a * x + b; dropped: a * alpha' + b
        return torch.where(keep, inputs * a + b, a * _ALPHA_P + b)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed,
                "noise_shape": None if self.noise_shape is None else list(self.noise_shape)}
