"""``GaussianNoise``: additive zero-centred Gaussian noise, active only in training."""

from __future__ import annotations

import torch

from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.layers.regularization.noise_utils import SeededMixin, validate_seed
from layerwise.utils.argument_validation import number_in_range


@export("layerwise.layers.GaussianNoise")
class GaussianNoise(SeededMixin, Layer):
    """Adds noise drawn from ``N(0, stddev**2)`` to every input during training (a data
    augmentation for real-valued inputs); at inference it is the identity.

    Args:
        stddev: standard deviation of the noise (``>= 0``).
        seed: makes the noise reproducible for this layer (its own generator, seeded once).

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.GaussianNoise(0.1, seed=0)
        >>> x = torch.zeros(1000, 100)
        >>> bool(torch.equal(layer(x), x))  # inference: identity
        True
        >>> round(float(layer(x, training=True).std()), 2)
        0.1
    """

    def __init__(self, stddev: float, seed: int | None = None, **kwargs):
        stddev = number_in_range("GaussianNoise", "stddev", stddev, 0, None)
        seed = validate_seed("GaussianNoise", seed)
        super().__init__(**kwargs)
        self.stddev = stddev
        self.seed = seed
        self._generator = None
        self.supports_masking = True
        self.built = True

    def call(self, inputs, training=False):
        if not training or self.stddev == 0:
            return inputs
        if not inputs.is_floating_point():
            inputs = inputs.to(self._dtype_policy.torch_compute_dtype)
        noise = torch.normal(0.0, self.stddev, size=tuple(inputs.shape), generator=self._seeded(inputs.device),
                             dtype=inputs.dtype, device=inputs.device)
        return inputs + noise

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}
