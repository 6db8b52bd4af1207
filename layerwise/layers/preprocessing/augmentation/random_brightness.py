"""``RandomBrightness``: add a random per-image offset, scaled to the value range, and clip."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.layers.preprocessing.augmentation.augmentation_utils import (
    factor_interval,
    uniform,
    value_range_pair,
)
from layerwise.layers.preprocessing.image_utils import (
    check_images,
    standardize_data_format,
)
from layerwise.layers.regularization.noise_utils import SeededMixin, validate_seed


@export("layerwise.layers.RandomBrightness")
class RandomBrightness(SeededMixin, Layer):
    """Brightens or darkens each image by a random amount during training: a value ``f`` drawn once
    per image from the factor's interval adds ``f * (high - low)`` to every value, and the result is
    clipped to ``value_range = (low, high)``. At inference the layer is the identity.

    Args:
        factor: a number ``f`` in ``[-1, 1]`` draws from ``[-|f|, |f|]``, a pair from ``[lower,
            upper]``; ``-1`` makes the image black (``low``) and ``1`` white (``high``).
        value_range: ``(low, high)``, the range of the image values (``(0, 255)`` by default; use
            ``(0, 1)`` for rescaled images).
        seed: makes the offsets reproducible (the layer's own generator, seeded once).
        data_format: ``"channels_last"`` (default from ``layerwise.config``) or ``"channels_first"``.

    Call arguments:
        inputs: one image (rank 3) or a batch (rank 4).
        training: adjust only when ``True`` (e.g. inside ``fit``).

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.tensor([0.2, 0.9]).reshape(1, 2, 1)
        >>> layer = keras.layers.RandomBrightness((0.25, 0.25), value_range=(0, 1))
        >>> layer(x, training=True).flatten().tolist()
        [0.45, 1.0]
    """

    _direct_call_trains = True  # as in Keras: `layer(images)` augments; inside a model the model's mode rules

    def __init__(self, factor: Any, value_range: Any = (0, 255), seed: int | None = None,
                 data_format: str | None = None, **kwargs):
        owner = type(self).__name__
        factor = factor_interval(owner, "factor", factor)
        value_range = value_range_pair(owner, value_range)
        seed = validate_seed(owner, seed)
        data_format = standardize_data_format(owner, data_format)
        super().__init__(**kwargs)
        self.factor = factor
        self.value_range = value_range
        self.seed = seed
        self.data_format = data_format
        self._generator = None
        self.built = True

    def call(self, inputs, training=False):
        check_images(self, inputs)
        if not training:
            return inputs
        if not inputs.is_floating_point():
            inputs = inputs.to(self._dtype_policy.torch_compute_dtype)
        low, high = self.value_range
        shape = (inputs.shape[0], 1, 1, 1) if inputs.ndim == 4 else (1, 1, 1)
        offsets = uniform(shape, *self.factor, self._seeded(inputs.device), inputs.device, inputs.dtype)
        return (inputs + offsets * (high - low)).clamp(low, high)

    def compute_output_shape(self, input_shape: Any):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": list(self.factor), "value_range": list(self.value_range),
                "seed": self.seed, "data_format": self.data_format}
