"""``GaussianDropout``: multiplicative 1-centred Gaussian noise, active only in training."""

from __future__ import annotations

import math

import torch

from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.layers.regularization.noise_utils import SeededMixin, validate_seed
from layerwise.utils.argument_validation import number_in_range


@export("layerwise.layers.GaussianDropout")
class GaussianDropout(SeededMixin, Layer):
    """Multiplies every input by noise drawn from ``N(1, rate / (1 - rate))`` during training:
    the expectation is unchanged and the variance matches that of dropout with the same
    ``rate`` (Srivastava et al., 2014, section 10); at inference it is the identity.

    Args:
        rate: the equivalent dropout rate, in ``[0, 1)``.
        seed: makes the noise reproducible for this layer (its own generator, seeded once).

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.GaussianDropout(0.5, seed=0)
        >>> x = torch.ones(1000, 100)
        >>> bool(torch.equal(layer(x), x))  # inference: identity
        True
        >>> y = layer(x, training=True)  # mean 1, variance rate / (1 - rate) = 1
        >>> round(float(y.mean()), 1), round(float(y.var()), 1)
        (1.0, 1.0)
    """

    def __init__(self, rate: float, seed: int | None = None, **kwargs):
        rate = number_in_range("GaussianDropout", "rate", rate, 0, 1, high_inclusive=False)
        seed = validate_seed("GaussianDropout", seed)
        super().__init__(**kwargs)
        self.rate = rate
        self.seed = seed
        self._generator = None
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        if not inputs.is_floating_point():
            inputs = inputs.to(self._dtype_policy.torch_compute_dtype)
        stddev = math.sqrt(self.rate / (1.0 - self.rate))
        noise = torch.normal(1.0, stddev, size=tuple(inputs.shape), generator=self._seeded(inputs.device),
                             dtype=inputs.dtype, device=inputs.device)
        return inputs * noise

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "rate": self.rate, "seed": self.seed}
