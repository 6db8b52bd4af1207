"""``ZeroPadding3D``: zeros around volumes."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.reshaping.zero_padding import BaseZeroPadding


@export("layerwise.layers.ZeroPadding3D")
class ZeroPadding3D(BaseZeroPadding):
    """Adds zeros at both ends of each of the three spatial axes.

    Args:
        padding: int (default 1), a triple (symmetric per axis), or three ``(before, after)`` pairs.
        data_format: ``"channels_last"`` (the default) or ``"channels_first"``.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.ZeroPadding3D((1, 2, (0, 3)))(torch.zeros(2, 3, 4, 5, 6)).shape
        torch.Size([2, 5, 8, 8, 6])
    """

    rank = 3

    def __init__(self, padding: Any = ((1, 1), (1, 1), (1, 1)), data_format: str | None = None, **kwargs):
        super().__init__(padding, data_format, **kwargs)
