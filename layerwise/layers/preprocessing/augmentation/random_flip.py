"""``RandomFlip``: flip each image left-right and/or top-bottom with probability 1/2 during training."""

from __future__ import annotations

import torch

from layerwise.api_export import export
from layerwise.layers.preprocessing.augmentation.base_augmentation import BaseAugmentation
from layerwise.layers.preprocessing.image_utils import check_images
from layerwise.utils.argument_validation import one_of

HORIZONTAL = "horizontal"
VERTICAL = "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"


@export("layerwise.layers.RandomFlip")
class RandomFlip(BaseAugmentation):
    """Flips each image with probability 1/2 during training; at inference it is the identity
    (integer images are cast to floats).

    As in Keras, ``"horizontal_and_vertical"`` draws one coin per image: the image is flipped along
    both axes (a half turn) or left as it is.

    Args:
        mode: ``"horizontal"`` (left-right), ``"vertical"`` (top-bottom) or
            ``"horizontal_and_vertical"`` (default).
        seed: makes the flips reproducible (the layer's own generator, seeded once).
        data_format: ``"channels_last"`` (default from ``layerwise.config``) or ``"channels_first"``.

    Call arguments:
        inputs: one image (rank 3) or a batch (rank 4).
        training: flip only when ``True`` (e.g. inside ``fit``).

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.arange(3.0).reshape(1, 3, 1).expand(64, 1, 3, 1)
        >>> y = keras.layers.RandomFlip("horizontal", seed=0)(x, training=True)
        >>> sorted({tuple(row) for row in y.reshape(64, 3).tolist()})
        [(0.0, 1.0, 2.0), (2.0, 1.0, 0.0)]
    """

    def __init__(self, mode: str = HORIZONTAL_AND_VERTICAL, seed: int | None = None, data_format: str | None = None,
                 **kwargs):
        owner = type(self).__name__
        mode = one_of(owner, "mode", mode, (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL), str.lower)
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.mode = mode

    def call(self, inputs, training=False):
        check_images(self, inputs)
        inputs = self._as_float(inputs)
        if not training:
            return inputs
        height_axis, width_axis = (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        axes = {HORIZONTAL: (width_axis,), VERTICAL: (height_axis,),
                HORIZONTAL_AND_VERTICAL: (height_axis, width_axis)}[self.mode]
        batch = inputs.shape[0] if inputs.ndim == 4 else 1
        coin = torch.rand((batch,), generator=self._seeded(inputs.device), device=inputs.device, dtype=torch.float32)
        flip = (coin <= 0.5).view((batch,) + (1,) * 3 if inputs.ndim == 4 else (1, 1, 1))
        return torch.where(flip, torch.flip(inputs, axes), inputs)

    def get_config(self) -> dict:
        return {**super().get_config(), "mode": self.mode}
