"""``Cropping2D``: drop rows and columns at the borders of images."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.reshaping.cropping import BaseCropping


@export("layerwise.layers.Cropping2D")
class Cropping2D(BaseCropping):
    """Removes rows at the top and bottom and columns at the left and right (a view, no copy).

    Args:
        cropping: int (the same everywhere), ``(rows, cols)`` (symmetric), or
            ``((top, bottom), (left, right))`` (default: no cropping).
        data_format: ``"channels_last"`` (the default) or ``"channels_first"``.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.Cropping2D(((1, 0), (0, 2)))(torch.arange(12.0).reshape(1, 3, 4, 1))[0, :, :, 0]
        tensor([[4., 5.],
                [8., 9.]])
    """

    rank = 2

    def __init__(self, cropping: Any = ((0, 0), (0, 0)), data_format: str | None = None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)
