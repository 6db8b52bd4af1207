"""``UpSampling3D``: enlarge volumes by repeating each voxel."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.reshaping.up_sampling import BaseUpSampling


@export("layerwise.layers.UpSampling3D")
class UpSampling3D(BaseUpSampling):
    """Repeats each voxel ``size[i]`` times along each of the three spatial axes.

    Args:
        size: int or ``(dim1, dim2, dim3)`` factors (default ``(2, 2, 2)``).
        data_format: ``"channels_last"`` (the default) or ``"channels_first"``.

    Input shape:
        ``(batch, dim1, dim2, dim3, channels)`` (channels-last).
    Output shape:
        ``(batch, dim1 * size[0], dim2 * size[1], dim3 * size[2], channels)``.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.UpSampling3D((1, 2, 3))(torch.zeros(2, 3, 4, 5, 6)).shape
        torch.Size([2, 3, 8, 15, 6])
    """

    rank = 3

    def __init__(self, size: Any = (2, 2, 2), data_format: str | None = None, **kwargs):
        super().__init__(size, data_format, **kwargs)
