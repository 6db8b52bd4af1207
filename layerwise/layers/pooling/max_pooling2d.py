"""``MaxPooling2D``: the maximum of each window of an image."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.pooling.base_pooling import BasePooling


@export("layerwise.layers.MaxPooling2D", "layerwise.layers.MaxPool2D")
class MaxPooling2D(BasePooling):
    """Downsample an image by the maximum over ``pool_size`` windows moved by ``strides``.

    Args:
        pool_size: int or pair (default (2, 2)), the window size.
        strides: int or pair; ``None`` (default) means ``pool_size``.
        padding: ``"valid"`` (windows inside the input) or ``"same"`` (``ceil(n / strides)``
            outputs; padded positions are ignored, never taken as values).
        data_format: ``"channels_last"`` (``(batch, height, width, channels)``, the default from
            ``layerwise.config.image_data_format()``) or ``"channels_first"`` (``(batch, channels, height, width)``).

    Output shape:
        The input's shape with each spatial axis pooled: ``(n - pool_size) // strides + 1`` with
        ``"valid"`` padding, ``ceil(n / strides)`` with ``"same"``.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.MaxPooling2D()(torch.zeros(2, 28, 28, 8)).shape
        torch.Size([2, 14, 14, 8])
        >>> keras.layers.MaxPooling2D()(torch.arange(16.0).reshape(1, 4, 4, 1))[0, :, :, 0]
        tensor([[ 5.,  7.],
                [13., 15.]])
    """

    rank = 2
    pool_mode = "max"

    def __init__(self, pool_size: Any = (2, 2), strides: Any = None, padding: str = "valid",
                 data_format: str | None = None, name: str | None = None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)
