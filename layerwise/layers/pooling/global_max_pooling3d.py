"""``GlobalMaxPooling3D``: the maximum over all positions of a volume."""

from __future__ import annotations

from layerwise.api_export import export
from layerwise.layers.pooling.base_global_pooling import BaseGlobalPooling


@export("layerwise.layers.GlobalMaxPooling3D", "layerwise.layers.GlobalMaxPool3D")
class GlobalMaxPooling3D(BaseGlobalPooling):
    """The maximum of each channel over all positions of a volume.

    Args:
        data_format: ``"channels_last"`` (``(batch, dim1, dim2, dim3, channels)``, the default from
            ``layerwise.config.image_data_format()``) or ``"channels_first"`` (``(batch, channels, dim1, dim2, dim3)``).
        keepdims: keep the pooled axes with size 1; default ``False``.

    Output shape:
        ``(batch, channels)``, or with ``keepdims=True`` the input's shape with every pooled axis 1.

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.arange(16.0).reshape(1, 2, 2, 2, 2)
        >>> keras.layers.GlobalMaxPooling3D()(x)
        tensor([[14., 15.]])
    """

    rank = 3
    pool_mode = "max"
