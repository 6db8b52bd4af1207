"""``ZeroPadding1D``: zeros at the start and end of sequences."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.reshaping.zero_padding import BaseZeroPadding


@export("layerwise.layers.ZeroPadding1D")
class ZeroPadding1D(BaseZeroPadding):
    """Adds zero steps at the start and the end of the steps axis.

    Args:
        padding: int (both ends, default 1) or ``(start, end)``.
        data_format: ``"channels_last"`` (``(batch, steps, features)``, the default) or
            ``"channels_first"``.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.ZeroPadding1D((1, 2))(torch.ones(1, 2, 1))[0, :, 0]
        tensor([0., 1., 1., 0., 0.])
    """

    rank = 1

    def __init__(self, padding: Any = 1, data_format: str | None = None, **kwargs):
        super().__init__(padding, data_format, **kwargs)
