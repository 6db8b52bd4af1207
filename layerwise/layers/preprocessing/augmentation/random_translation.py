"""``RandomTranslation``: shift each image by its own random offset during training."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.layers.preprocessing.augmentation.affine import translation_transforms
from layerwise.layers.preprocessing.augmentation.augmentation_utils import (
    factor_interval,
    plain_factor,
    uniform,
)
from layerwise.layers.preprocessing.augmentation.base_random_affine import (
    BaseRandomAffine,
)


@export("layerwise.layers.RandomTranslation")
class RandomTranslation(BaseRandomAffine):
    """Shifts each image by a random fraction of its height and width during training; at inference
    it is the identity (integer images are cast to floats).

    Args:
        height_factor: the vertical shift as a fraction of the height: ``f`` draws from ``[-f, f]``,
            a pair from ``[lower, upper]``; positive shifts move the content down.
        width_factor: the same horizontally; positive shifts move the content right.
        fill_mode: ``"reflect"``, ``"wrap"``, ``"constant"`` (``fill_value``) or ``"nearest"``, as in
            :class:`RandomRotation`.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        seed: makes the shifts reproducible (the layer's own generator, seeded once).
        fill_value: the value outside the image for ``fill_mode="constant"``.
        data_format: ``"channels_last"`` (default from ``layerwise.config``) or ``"channels_first"``.

    Call arguments:
        inputs: one image (rank 3) or a batch (rank 4).
        training: shift only when ``True`` (e.g. inside ``fit``).

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.arange(1.0, 5.0).reshape(1, 4, 1)
        >>> layer = keras.layers.RandomTranslation(0.0, (0.25, 0.25), fill_mode="constant")
        >>> layer(x, training=True).flatten().tolist()  # one pixel to the right
        [0.0, 1.0, 2.0, 3.0]
    """

    def __init__(self, height_factor: Any, width_factor: Any, fill_mode: str = "reflect",
                 interpolation: str = "bilinear", seed: int | None = None, fill_value: float = 0.0,
                 data_format: str | None = None, **kwargs):
        owner = type(self).__name__
        factor_interval(owner, "height_factor", height_factor)
        factor_interval(owner, "width_factor", width_factor)
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, seed=seed, fill_value=fill_value,
                         data_format=data_format, **kwargs)
        self.height_factor = plain_factor(height_factor)
        self.width_factor = plain_factor(width_factor)

    def random_transforms(self, batch: int, height: int, width: int, device: torch.device) -> torch.Tensor:
        owner = type(self).__name__
        generator = self._seeded(device)
        shift_y = uniform((batch,), *factor_interval(owner, "height_factor", self.height_factor), generator, device)
        shift_x = uniform((batch,), *factor_interval(owner, "width_factor", self.width_factor), generator, device)
        return translation_transforms(shift_x * width, shift_y * height)

    def get_config(self) -> dict:
        return {**super().get_config(), "height_factor": self.height_factor, "width_factor": self.width_factor}

