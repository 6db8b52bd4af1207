"""``Resizing``: resize images to ``height x width``, optionally keeping the aspect ratio."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.layers.preprocessing.image_utils import (
    INTERPOLATIONS,
    check_images,
    from_nchw,
    resize_nchw,
    standardize_data_format,
    to_nchw,
    with_spatial_size,
)
from layerwise.utils.argument_validation import one_of, positive_int


@export("layerwise.layers.Resizing")
class Resizing(Layer):
    """Resizes images (rank 3 or 4) to ``height x width``.

    Interpolation follows TensorFlow's half-pixel convention (as Keras does on every backend).

    Args:
        height, width: the output size.
        interpolation: ``"bilinear"``, ``"nearest"`` or ``"bicubic"``.
        crop_to_aspect_ratio: first crop the largest centred window with the target aspect ratio.
        pad_to_aspect_ratio: first pad (centred, with ``fill_value``) to the target aspect ratio.
        fill_mode: only ``"constant"``.
        fill_value: the padding value for ``pad_to_aspect_ratio``.
        antialias: low-pass filter when downsampling (bilinear and bicubic).
        data_format: ``"channels_last"`` (default from ``layerwise.config``) or ``"channels_first"``.

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.tensor([[0.0, 1.0], [2.0, 3.0]]).reshape(1, 2, 2, 1)
        >>> keras.layers.Resizing(1, 1)(x).flatten().tolist()
        [1.5]
    """

    def __init__(self, height: int, width: int, interpolation: str = "bilinear", crop_to_aspect_ratio: bool = False,
                 pad_to_aspect_ratio: bool = False, fill_mode: str = "constant", fill_value: float = 0.0,
                 antialias: bool = False, data_format: str | None = None, **kwargs):
        owner = type(self).__name__
        height = positive_int(owner, "height", height)
        width = positive_int(owner, "width", width)
        interpolation = one_of(owner, "interpolation", interpolation, tuple(INTERPOLATIONS), str.lower)
        fill_mode = one_of(owner, "fill_mode", fill_mode, ("constant",), str.lower)
        if crop_to_aspect_ratio and pad_to_aspect_ratio:
            raise ValueError(f"`{owner}` arguments `crop_to_aspect_ratio` and `pad_to_aspect_ratio` cannot both be "
                             "True; received crop_to_aspect_ratio=True, pad_to_aspect_ratio=True.")
        data_format = standardize_data_format(owner, data_format)
        super().__init__(**kwargs)
        self.height = height
        self.width = width
        self.interpolation = interpolation
        self.crop_to_aspect_ratio = bool(crop_to_aspect_ratio)
        self.pad_to_aspect_ratio = bool(pad_to_aspect_ratio)
        self.fill_mode = fill_mode
        self.fill_value = float(fill_value)
        self.antialias = bool(antialias)
        self.data_format = data_format
        self.built = True

    def call(self, inputs):
        check_images(self, inputs)
        if not inputs.is_floating_point():
            inputs = inputs.to(self._dtype_policy.torch_compute_dtype)
        images, added = to_nchw(inputs, self.data_format)
        resized = resize_nchw(images, (self.height, self.width), self.interpolation, self.crop_to_aspect_ratio,
                              self.pad_to_aspect_ratio, self.fill_value, self.antialias)
        return from_nchw(resized, self.data_format, added)

    def compute_output_shape(self, input_shape: Any):
        return with_spatial_size(input_shape, self.data_format, self.height, self.width)

    def get_config(self) -> dict:
        return {**super().get_config(), "height": self.height, "width": self.width,
                "interpolation": self.interpolation, "crop_to_aspect_ratio": self.crop_to_aspect_ratio,
                "pad_to_aspect_ratio": self.pad_to_aspect_ratio, "fill_mode": self.fill_mode,
                "fill_value": self.fill_value, "antialias": self.antialias, "data_format": self.data_format}
