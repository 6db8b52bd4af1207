"""``GlobalAveragePooling2D``: the mean over all positions of an image."""

from __future__ import annotations

from layerwise.api_export import export
from layerwise.layers.pooling.base_global_pooling import BaseGlobalPooling


@export("layerwise.layers.GlobalAveragePooling2D", "layerwise.layers.GlobalAvgPool2D")
class GlobalAveragePooling2D(BaseGlobalPooling):
    """The mean of each channel over all positions of an image.

    Args:
        data_format: ``"channels_last"`` (``(batch, height, width, channels)``, the default from
            ``layerwise.config.image_data_format()``) or ``"channels_first"`` (``(batch, channels, height, width)``).
        keepdims: keep the pooled axes with size 1; default ``False``.

    Output shape:
        ``(batch, channels)``, or with ``keepdims=True`` the input's shape with every pooled axis 1.

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.arange(12.0).reshape(1, 2, 2, 3)
        >>> keras.layers.GlobalAveragePooling2D()(x)
        tensor([[4.5000, 5.5000, 6.5000]])
        >>> keras.layers.GlobalAveragePooling2D()(torch.zeros(8, 7, 7, 64)).shape
        torch.Size([8, 64])
    """

    rank = 2
    pool_mode = "average"
