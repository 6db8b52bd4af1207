"""``MaxPooling1D``: the maximum of each window of a sequence."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.pooling.base_pooling import BasePooling


@export("layerwise.layers.MaxPooling1D", "layerwise.layers.MaxPool1D")
class MaxPooling1D(BasePooling):
    """Downsample a sequence by the maximum over ``pool_size`` steps moved by ``strides``.

    Args:
        pool_size: int (default 2), the window size.
        strides: int; ``None`` (default) means ``pool_size``.
        padding: ``"valid"`` (windows inside the input) or ``"same"`` (``ceil(n / strides)``
            outputs; padded positions are ignored, never taken as values).
        data_format: ``"channels_last"`` (``(batch, steps, features)``, the default from
            ``layerwise.config.image_data_format()``) or ``"channels_first"`` (``(batch, features, steps)``).

    Output shape:
        The input's shape with the steps axis pooled: ``(n - pool_size) // strides + 1`` with
        ``"valid"`` padding, ``ceil(n / strides)`` with ``"same"``.

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.tensor([[[1.0], [5.0], [2.0], [4.0], [3.0]]])
        >>> keras.layers.MaxPooling1D(2, padding="same")(x)[0, :, 0]  # last window: 3 alone
        tensor([5., 4., 3.])
    """

    rank = 1
    pool_mode = "max"

    def __init__(self, pool_size: Any = 2, strides: Any = None, padding: str = "valid",
                 data_format: str | None = None, name: str | None = None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)
