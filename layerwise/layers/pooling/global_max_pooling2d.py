"""``GlobalMaxPooling2D``: the maximum over all positions of an image."""

from __future__ import annotations

from layerwise.api_export import export
from layerwise.layers.pooling.base_global_pooling import BaseGlobalPooling


@export("layerwise.layers.GlobalMaxPooling2D", "layerwise.layers.GlobalMaxPool2D")
class GlobalMaxPooling2D(BaseGlobalPooling):
    """The maximum of each channel over all positions of an image.

    Args:
        data_format: ``"channels_last"`` (``(batch, height, width, channels)``, the default from
            ``layerwise.config.image_data_format()``) or ``"channels_first"`` (``(batch, channels, height, width)``).
        keepdims: keep the pooled axes with size 1; default ``False``.

    Output shape:
        ``(batch, channels)``, or with ``keepdims=True`` the input's shape with every pooled axis 1.

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.arange(12.0).reshape(1, 2, 2, 3)
        >>> keras.layers.GlobalMaxPooling2D()(x)
        tensor([[ 9., 10., 11.]])
        >>> keras.layers.GlobalMaxPooling2D(data_format="channels_first", keepdims=True)(x).shape
        torch.Size([1, 2, 1, 1])
    """

    rank = 2
    pool_mode = "max"
