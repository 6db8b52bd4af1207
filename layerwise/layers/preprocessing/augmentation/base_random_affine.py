"""What ``RandomRotation``, ``RandomTranslation`` and ``RandomZoom`` share: the fill and
interpolation arguments, the seeded per-image draw of a transform, and one batched resampling."""

from __future__ import annotations


import torch

from layerwise.layers.preprocessing.augmentation.affine import affine_transform
from layerwise.layers.preprocessing.augmentation.base_augmentation import BaseAugmentation
from layerwise.layers.preprocessing.augmentation.augmentation_utils import (
    AFFINE_INTERPOLATIONS,
    FILL_MODES,
    is_real,
)
from layerwise.layers.preprocessing.image_utils import check_images, spatial_size
from layerwise.utils.argument_validation import one_of


class BaseRandomAffine(BaseAugmentation):
    """Base of the affine augmentations: in training each image is resampled through its own random
    affine map (built by :meth:`random_transforms`); at inference the layer only casts integer
    images to floats, as Keras does.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.RandomTranslation(0.5, 0.5)
        >>> x = torch.rand(2, 4, 4, 3)
        >>> bool(torch.equal(layer(x, training=False), x))  # inference: identity
        True
    """

    def __init__(self, fill_mode: str = "reflect", interpolation: str = "bilinear", seed: int | None = None,
                 fill_value: float = 0.0, data_format: str | None = None, **kwargs):
        owner = type(self).__name__
        fill_mode = one_of(owner, "fill_mode", fill_mode, FILL_MODES, str.lower)
        interpolation = one_of(owner, "interpolation", interpolation, AFFINE_INTERPOLATIONS, str.lower)
        if not is_real(fill_value):
            raise ValueError(f"`{owner}` argument `fill_value` must be a number; received fill_value={fill_value!r}.")
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.fill_mode = fill_mode
        self.interpolation = interpolation
        self.fill_value = float(fill_value)

    def random_transforms(self, batch: int, height: int, width: int, device: torch.device) -> torch.Tensor:
        """``(batch, 2, 3)`` float32 transforms, output pixel to input point (see ``affine.py``)."""
        raise NotImplementedError

    def call(self, inputs, training=False):
        check_images(self, inputs)
        inputs = self._as_float(inputs)
        if not training:
            return inputs
        images = inputs if inputs.ndim == 4 else inputs.unsqueeze(0)
        height, width = spatial_size(images.shape, self.data_format)
        transforms = self.random_transforms(images.shape[0], height, width, images.device)
        outputs = affine_transform(images, transforms, self.interpolation, self.fill_mode, self.fill_value,
                                   self.data_format)
        return outputs if inputs.ndim == 4 else outputs.squeeze(0)

    def get_config(self) -> dict:
        return {**super().get_config(), "fill_mode": self.fill_mode, "interpolation": self.interpolation,
                "fill_value": self.fill_value}
