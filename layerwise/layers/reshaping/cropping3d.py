"""``Cropping3D``: drop positions at the borders of volumes."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.reshaping.cropping import BaseCropping


@export("layerwise.layers.Cropping3D")
class Cropping3D(BaseCropping):
    """Removes positions at both ends of each of the three spatial axes (a view, no copy).

    Args:
        cropping: int, a triple (symmetric per axis), or three ``(before, after)`` pairs
            (default 1 everywhere).
        data_format: ``"channels_last"`` (the default) or ``"channels_first"``.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.Cropping3D((0, 1, (1, 2)))(torch.zeros(2, 3, 4, 5, 6)).shape
        torch.Size([2, 3, 2, 2, 6])
    """

    rank = 3

    def __init__(self, cropping: Any = ((1, 1), (1, 1), (1, 1)), data_format: str | None = None, **kwargs):
        super().__init__(cropping, data_format, **kwargs)
