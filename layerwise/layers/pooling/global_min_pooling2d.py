"""``GlobalMinPooling2D``: the minimum over all positions of an image."""

from __future__ import annotations

from layerwise.api_export import export
from layerwise.layers.pooling.base_global_pooling import BaseGlobalPooling


@export("layerwise.layers.GlobalMinPooling2D", "layerwise.layers.GlobalMinPool2D")
class GlobalMinPooling2D(BaseGlobalPooling):
    """The minimum of each channel over all positions of an image.

    Keras has no global min pooling; it mirrors ``GlobalMaxPooling2D`` and equals
    ``-GlobalMaxPooling2D()(-x)``.

    Args:
        data_format: ``"channels_last"`` (``(batch, height, width, channels)``, the default from
            ``layerwise.config.image_data_format()``) or ``"channels_first"`` (``(batch, channels, height, width)``).
        keepdims: keep the pooled axes with size 1; default ``False``.

    Output shape:
        ``(batch, channels)``, or with ``keepdims=True`` the input's shape with every pooled axis 1.

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.arange(12.0).reshape(1, 2, 2, 3)
        >>> keras.layers.GlobalMinPooling2D()(x)
        tensor([[0., 1., 2.]])
    """

    rank = 2
    pool_mode = "min"
