"""``AveragePooling2D``: the mean of each window of an image."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.pooling.base_pooling import BasePooling


@export("layerwise.layers.AveragePooling2D", "layerwise.layers.AvgPool2D")
class AveragePooling2D(BasePooling):
    """Downsample an image by the mean over ``pool_size`` windows moved by ``strides``.

    Args:
        pool_size: int or pair (default (2, 2)), the window size.
        strides: int or pair; ``None`` (default) means ``pool_size``.
        padding: ``"valid"`` (windows inside the input) or ``"same"`` (``ceil(n / strides)``
            outputs; each mean divides by the number of real inputs in its window, not by the window size).
        data_format: ``"channels_last"`` (``(batch, height, width, channels)``, the default from
            ``layerwise.config.image_data_format()``) or ``"channels_first"`` (``(batch, channels, height, width)``).

    Output shape:
        The input's shape with each spatial axis pooled: ``(n - pool_size) // strides + 1`` with
        ``"valid"`` padding, ``ceil(n / strides)`` with ``"same"``.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.AveragePooling2D()(torch.arange(16.0).reshape(1, 4, 4, 1))[0, :, :, 0]
        tensor([[ 2.5000,  4.5000],
                [10.5000, 12.5000]])
    """

    rank = 2
    pool_mode = "average"

    def __init__(self, pool_size: Any = (2, 2), strides: Any = None, padding: str = "valid",
                 data_format: str | None = None, name: str | None = None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)
