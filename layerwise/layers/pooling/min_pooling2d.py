"""``MinPooling2D``: the minimum of each window of an image."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.pooling.base_pooling import BasePooling


@export("layerwise.layers.MinPooling2D", "layerwise.layers.MinPool2D")
class MinPooling2D(BasePooling):
    """Min pooling of an image: the minimum over ``pool_size`` windows moved by ``strides``.

    Keras has no min pooling; this is the "min pooling" of the course notes, with the same
    arguments as max pooling. It equals ``-MaxPooling(-x)``.

    Args:
        pool_size: int or pair (default (2, 2)), the window size.
        strides: int or pair; ``None`` (default) means ``pool_size``.
        padding: ``"valid"`` (windows inside the input) or ``"same"`` (``ceil(n / strides)``
            outputs; padded positions are ignored, never taken as 0).
        data_format: ``"channels_last"`` (``(batch, height, width, channels)``, the default from
            ``layerwise.config.image_data_format()``) or ``"channels_first"`` (``(batch, channels, height, width)``).

    Output shape:
        The input's shape with each spatial axis pooled: ``(n - pool_size) // strides + 1`` with
        ``"valid"`` padding, ``ceil(n / strides)`` with ``"same"``.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.MinPooling2D()(torch.arange(16.0).reshape(1, 4, 4, 1))[0, :, :, 0]
        tensor([[ 0.,  2.],
                [ 8., 10.]])
    """

    rank = 2
    pool_mode = "min"

    def __init__(self, pool_size: Any = (2, 2), strides: Any = None, padding: str = "valid",
                 data_format: str | None = None, name: str | None = None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)
