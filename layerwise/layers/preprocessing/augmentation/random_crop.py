"""``RandomCrop``: a random ``height x width`` window of the batch in training, a centred
aspect-preserving crop and resize at inference."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.layers.preprocessing.augmentation.base_augmentation import BaseAugmentation
from layerwise.layers.preprocessing.image_utils import (
    check_images,
    from_nchw,
    resize_nchw,
    spatial_size,
    to_nchw,
    with_spatial_size,
)
from layerwise.utils.argument_validation import positive_int


@export("layerwise.layers.RandomCrop")
class RandomCrop(BaseAugmentation):
    """Crops a random ``height x width`` window during training; as in Keras, one window position is
    drawn per call and shared by every image of the batch.

    At inference, and in training when the image is not larger than the target along both sides,
    the largest centred window with the target's aspect ratio is cropped and resized (bilinear) to
    ``height x width``, so the output shape is always ``(height, width)``.

    Args:
        height, width: the output size.
        seed: makes the window positions reproducible (the layer's own generator, seeded once).
        data_format: ``"channels_last"`` (default from ``layerwise.config``) or ``"channels_first"``.

    Call arguments:
        inputs: one image (rank 3) or a batch (rank 4); integer images are cast to floats.
        training: crop at a random position only when ``True`` (e.g. inside ``fit``).

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.arange(16.0).reshape(1, 4, 4, 1)
        >>> layer = keras.layers.RandomCrop(2, 2, seed=0)
        >>> layer(x, training=False)[0, :, :, 0].tolist()  # inference: same aspect ratio, so all of it, resized
        [[2.5, 4.5], [10.5, 12.5]]
        >>> window = layer(x, training=True)[0, :, :, 0]
        >>> int(window[1, 0] - window[0, 0]), int(window[0, 1] - window[0, 0])  # a contiguous window
        (4, 1)
    """

    def __init__(self, height: int, width: int, seed: int | None = None, data_format: str | None = None, **kwargs):
        owner = type(self).__name__
        height = positive_int(owner, "height", height)
        width = positive_int(owner, "width", width)
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.height = height
        self.width = width

    def call(self, inputs, training=False):
        check_images(self, inputs)
        inputs = self._as_float(inputs)
        height, width = spatial_size(inputs.shape, self.data_format)
        if training and height > self.height and width > self.width:
            return self._random_window(inputs, height, width)
        images, added = to_nchw(inputs, self.data_format)
        resized = resize_nchw(images, (self.height, self.width), crop_to_aspect_ratio=True)
        return from_nchw(resized, self.data_format, added)

    def _random_window(self, inputs: torch.Tensor, height: int, width: int) -> torch.Tensor:
        """The window at a random offset, drawn and applied on the input's device (no host sync)."""
        generator = self._seeded(inputs.device)
        top = torch.randint(0, height - self.height + 1, (1,), generator=generator, device=inputs.device)
        left = torch.randint(0, width - self.width + 1, (1,), generator=generator, device=inputs.device)
        rows = top + torch.arange(self.height, device=inputs.device)
        cols = left + torch.arange(self.width, device=inputs.device)
        height_axis, width_axis = (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        return inputs.index_select(inputs.ndim + height_axis, rows).index_select(inputs.ndim + width_axis, cols)

    def compute_output_shape(self, input_shape: Any):
        return with_spatial_size(input_shape, self.data_format, self.height, self.width)

    def get_config(self) -> dict:
        return {**super().get_config(), "height": self.height, "width": self.width}
