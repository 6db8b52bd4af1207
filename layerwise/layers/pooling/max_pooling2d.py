"""``MaxPooling2D``: the maximum of each window of an image."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.pooling.base_pooling import BasePooling


@export("layerwise.layers.MaxPooling2D", "layerwise.layers.MaxPool2D")
class MaxPooling2D(BasePooling):
    """Downsample by the maximum over ``pool_size`` windows moved by ``strides``.

    Args:
        pool_size: int or pair (default 2). strides: default ``pool_size``.
        padding: ``"valid"`` or ``"same"``. data_format: as in :class:`Conv2D`.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.MaxPooling2D()(torch.zeros(2, 28, 28, 8)).shape
        torch.Size([2, 14, 14, 8])
    """

    rank = 2
    pool_mode = "max"

    def __init__(self, pool_size: Any = (2, 2), strides: Any = None, padding: str = "valid",
                 data_format: str | None = None, name: str | None = None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)
