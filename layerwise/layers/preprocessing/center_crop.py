"""``CenterCrop``: the central ``height x width`` window of each image."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.layers.preprocessing.image_utils import (
    check_images,
    from_nchw,
    resize_nchw,
    spatial_size,
    standardize_data_format,
    to_nchw,
    with_spatial_size,
)
from layerwise.utils.argument_validation import positive_int


@export("layerwise.layers.CenterCrop")
class CenterCrop(Layer):
    """Crops the central ``height x width`` window of each image (rank 3 or 4).

    The window starts at ``(H - height) // 2``, ``(W - width) // 2``. An image smaller than the
    target along either side is instead cropped to the target's aspect ratio and resized with
    bilinear interpolation, as Keras does.

    Args:
        height, width: the output size.
        data_format: ``"channels_last"`` (default from ``layerwise.config``) or ``"channels_first"``.

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.arange(16.0).reshape(1, 4, 4, 1)
        >>> keras.layers.CenterCrop(2, 2)(x)[0, :, :, 0].tolist()
        [[5.0, 6.0], [9.0, 10.0]]
    """

    def __init__(self, height: int, width: int, data_format: str | None = None, **kwargs):
        owner = type(self).__name__
        height = positive_int(owner, "height", height)
        width = positive_int(owner, "width", width)
        data_format = standardize_data_format(owner, data_format)
        super().__init__(**kwargs)
        self.height = height
        self.width = width
        self.data_format = data_format
        self.built = True

    def call(self, inputs):
        check_images(self, inputs)
        if not inputs.is_floating_point():
            inputs = inputs.to(self._dtype_policy.torch_compute_dtype)
        height, width = spatial_size(inputs.shape, self.data_format)
        if height >= self.height and width >= self.width:
            top, left = (height - self.height) // 2, (width - self.width) // 2
            if self.data_format == "channels_last":
                return inputs[..., top:top + self.height, left:left + self.width, :]
            return inputs[..., top:top + self.height, left:left + self.width]
        images, added = to_nchw(inputs, self.data_format)
        resized = resize_nchw(images, (self.height, self.width), crop_to_aspect_ratio=True)
        return from_nchw(resized, self.data_format, added)

    def compute_output_shape(self, input_shape: Any):
        return with_spatial_size(input_shape, self.data_format, self.height, self.width)

    def get_config(self) -> dict:
        return {**super().get_config(), "height": self.height, "width": self.width, "data_format": self.data_format}
