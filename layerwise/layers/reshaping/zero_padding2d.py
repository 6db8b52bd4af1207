"""``ZeroPadding2D``: rows and columns of zeros around images."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.reshaping.zero_padding import BaseZeroPadding


@export("layerwise.layers.ZeroPadding2D")
class ZeroPadding2D(BaseZeroPadding):
    """Adds rows of zeros at the top and bottom and columns of zeros at the left and right.

    Args:
        padding: int (the same everywhere, default 1), ``(rows, cols)`` (symmetric), or
            ``((top, bottom), (left, right))``.
        data_format: ``"channels_last"`` (the default) or ``"channels_first"``.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.ZeroPadding2D(((1, 0), (0, 1)))(torch.ones(1, 1, 1, 1))[0, :, :, 0]
        tensor([[0., 0.],
                [1., 0.]])
    """

    rank = 2

    def __init__(self, padding: Any = (1, 1), data_format: str | None = None, **kwargs):
        super().__init__(padding, data_format, **kwargs)
