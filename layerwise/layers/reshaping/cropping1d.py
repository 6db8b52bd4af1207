"""``Cropping1D``: drop steps at the start and end of sequences."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.reshaping.cropping import BaseCropping


@export("layerwise.layers.Cropping1D")
class Cropping1D(BaseCropping):
    """Removes steps from the start and the end of the steps axis (a view, no copy).

    Args:
        cropping: int (both ends) or ``(start, end)`` (default ``(1, 1)``).

    Input shape:
        ``(batch, steps, features)``.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.Cropping1D((1, 2))(torch.arange(5.0).reshape(1, 5, 1))[0, :, 0]
        tensor([1., 2.])
    """

    rank = 1

    def __init__(self, cropping: Any = (1, 1), **kwargs):
        super().__init__(cropping, "channels_last", **kwargs)
