"""``MinPooling3D``: the minimum of each window of a volume."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.pooling.base_pooling import BasePooling


@export("layerwise.layers.MinPooling3D", "layerwise.layers.MinPool3D")
class MinPooling3D(BasePooling):
    """Min pooling of a volume: the minimum over ``pool_size`` windows moved by ``strides``.

    Keras has no min pooling; this is the "min pooling" of the course notes, with the same
    arguments as max pooling. It equals ``-MaxPooling(-x)``.

    Args:
        pool_size: int or triple (default (2, 2, 2)), the window size.
        strides: int or triple; ``None`` (default) means ``pool_size``.
        padding: ``"valid"`` (windows inside the input) or ``"same"`` (``ceil(n / strides)``
            outputs; padded positions are ignored, never taken as 0).
        data_format: ``"channels_last"`` (``(batch, dim1, dim2, dim3, channels)``, the default from
            ``layerwise.config.image_data_format()``) or ``"channels_first"`` (``(batch, channels, dim1, dim2, dim3)``).

    Output shape:
        The input's shape with each spatial axis pooled: ``(n - pool_size) // strides + 1`` with
        ``"valid"`` padding, ``ceil(n / strides)`` with ``"same"``.

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.arange(8.0).reshape(1, 2, 2, 2, 1)
        >>> keras.layers.MinPooling3D()(x).flatten()
        tensor([0.])
        >>> keras.layers.MinPooling3D(2, data_format="channels_first")(torch.zeros(2, 3, 4, 5, 6)).shape
        torch.Size([2, 3, 2, 2, 3])
    """

    rank = 3
    pool_mode = "min"

    def __init__(self, pool_size: Any = (2, 2, 2), strides: Any = None, padding: str = "valid",
                 data_format: str | None = None, name: str | None = None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)
