"""``UpSampling2D``: enlarge images by integer factors (nearest neighbour, bilinear or bicubic)."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.reshaping.up_sampling import BaseUpSampling
from layerwise.utils.argument_validation import one_of


@export("layerwise.layers.UpSampling2D")
class UpSampling2D(BaseUpSampling):
    """Upsamples the rows and columns of images by ``size``.

    Args:
        size: int or ``(rows, cols)`` factors (default ``(2, 2)``).
        data_format: ``"channels_last"`` (the default) or ``"channels_first"``.
        interpolation: ``"nearest"`` (repeat each pixel, the default), ``"bilinear"`` or
            ``"bicubic"`` (half-pixel centres, as Keras's resize on the torch backend). Integer
            images are interpolated in float32, then rounded back.

    Input shape:
        ``(batch, rows, cols, channels)`` (channels-last).
    Output shape:
        ``(batch, rows * size[0], cols * size[1], channels)``.

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.tensor([[1.0, 2.0], [3.0, 4.0]]).reshape(1, 2, 2, 1)
        >>> keras.layers.UpSampling2D(2)(x)[0, :, :, 0]
        tensor([[1., 1., 2., 2.],
                [1., 1., 2., 2.],
                [3., 3., 4., 4.],
                [3., 3., 4., 4.]])
    """

    rank = 2

    def __init__(self, size: Any = (2, 2), data_format: str | None = None, interpolation: str = "nearest",
                 **kwargs):
        interpolation = one_of("UpSampling2D", "interpolation", interpolation, ("nearest", "bilinear", "bicubic"),
                               str.lower)
        super().__init__(size, data_format, **kwargs)
        self.interpolation = interpolation

    def get_config(self) -> dict:
        return {**super().get_config(), "interpolation": self.interpolation}
