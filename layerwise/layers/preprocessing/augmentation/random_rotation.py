"""``RandomRotation``: rotate each image by its own random angle during training."""

from __future__ import annotations

import math
from typing import Any

import torch

from layerwise.api_export import export
from layerwise.layers.preprocessing.augmentation.affine import rotation_transforms
from layerwise.layers.preprocessing.augmentation.augmentation_utils import (
    factor_interval,
    uniform,
)
from layerwise.layers.preprocessing.augmentation.base_random_affine import (
    BaseRandomAffine,
)


@export("layerwise.layers.RandomRotation")
class RandomRotation(BaseRandomAffine):
    """Rotates each image about its centre by a random angle during training; at inference it is
    the identity (integer images are cast to floats).

    Args:
        factor: the angle as a fraction of a full turn: a number ``f`` draws from ``[-f, f]``, a pair
            ``(lower, upper)`` from ``[lower, upper]`` (so ``(0.25, 0.25)`` is always 90 degrees).
            Positive angles turn the image counter-clockwise.
        fill_mode: how points outside the image are filled: ``"reflect"`` (``d c b a | a b c d |
            d c b a``), ``"wrap"`` (``a b c d | a b c d``), ``"constant"`` (``fill_value``) or
            ``"nearest"`` (``a a | a b c d | d d``).
        interpolation: ``"bilinear"`` or ``"nearest"``.
        seed: makes the angles reproducible (the layer's own generator, seeded once).
        fill_value: the value outside the image for ``fill_mode="constant"``.
        data_format: ``"channels_last"`` (default from ``layerwise.config``) or ``"channels_first"``.

    Call arguments:
        inputs: one image ``(height, width, channels)`` or a batch ``(batch, height, width, channels)``
            (channels first with ``data_format="channels_first"``).
        training: rotate only when ``True`` (e.g. inside ``fit``).

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.tensor([[0.0, 1.0], [2.0, 3.0]]).reshape(2, 2, 1)
        >>> layer = keras.layers.RandomRotation((0.25, 0.25), interpolation="nearest")
        >>> layer(x, training=True)[..., 0].tolist()  # a quarter turn counter-clockwise
        [[1.0, 3.0], [0.0, 2.0]]
    """

    def __init__(self, factor: Any, fill_mode: str = "reflect", interpolation: str = "bilinear",
                 seed: int | None = None, fill_value: float = 0.0, data_format: str | None = None, **kwargs):
        factor = factor_interval(type(self).__name__, "factor", factor)
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, seed=seed, fill_value=fill_value,
                         data_format=data_format, **kwargs)
        self.factor = factor

    def random_transforms(self, batch: int, height: int, width: int, device: torch.device) -> torch.Tensor:
        lower, upper = self.factor
        degrees = uniform((batch,), lower * 360.0, upper * 360.0, self._seeded(device), device)
        return rotation_transforms(degrees * (math.pi / 180.0), height, width)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": list(self.factor)}
