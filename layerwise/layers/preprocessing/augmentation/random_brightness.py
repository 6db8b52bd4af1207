"""``RandomBrightness``: add a random per-image offset, scaled to the value range, and clip."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.preprocessing.augmentation.augmentation_utils import (
    factor_interval,
    uniform,
    value_range_pair,
)
from layerwise.layers.preprocessing.augmentation.base_augmentation import BaseAugmentation
from layerwise.layers.preprocessing.image_utils import check_images


@export("layerwise.layers.RandomBrightness")
class RandomBrightness(BaseAugmentation):
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

    def __init__(self, factor: Any, value_range: Any = (0, 255), seed: int | None = None,
                 data_format: str | None = None, **kwargs):
        owner = type(self).__name__
        factor = factor_interval(owner, "factor", factor)
        value_range = value_range_pair(owner, value_range)
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = factor
        self.value_range = value_range

    def call(self, inputs, training=False):
        check_images(self, inputs)
        if not training:
            return inputs
        inputs = self._as_float(inputs)
        low, high = self.value_range
        shape = (inputs.shape[0], 1, 1, 1) if inputs.ndim == 4 else (1, 1, 1)
        offsets = uniform(shape, *self.factor, self._seeded(inputs.device), inputs.device, inputs.dtype)
        return (inputs + offsets * (high - low)).clamp(low, high)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": list(self.factor), "value_range": list(self.value_range)}
