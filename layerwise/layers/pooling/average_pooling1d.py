"""``AveragePooling1D``: the mean of each window of a sequence."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.pooling.base_pooling import BasePooling


@export("layerwise.layers.AveragePooling1D", "layerwise.layers.AvgPool1D")
class AveragePooling1D(BasePooling):
    """Downsample a sequence by the mean over ``pool_size`` steps moved by ``strides``.

    Args:
        pool_size: int (default 2), the window size.
        strides: int; ``None`` (default) means ``pool_size``.
        padding: ``"valid"`` (windows inside the input) or ``"same"`` (``ceil(n / strides)``
            outputs; each mean divides by the number of real inputs in its window, not by the window size).
        data_format: ``"channels_last"`` (``(batch, steps, features)``, the default from
            ``layerwise.config.image_data_format()``) or ``"channels_first"`` (``(batch, features, steps)``).

    Output shape:
        The input's shape with the steps axis pooled: ``(n - pool_size) // strides + 1`` with
        ``"valid"`` padding, ``ceil(n / strides)`` with ``"same"``.

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.tensor([[[1.0], [2.0], [6.0]]])
        >>> keras.layers.AveragePooling1D(2, padding="same")(x)[0, :, 0]  # last window: 6 / 1
        tensor([1.5000, 6.0000])
    """

    rank = 1
    pool_mode = "average"

    def __init__(self, pool_size: Any = 2, strides: Any = None, padding: str = "valid",
                 data_format: str | None = None, name: str | None = None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)
