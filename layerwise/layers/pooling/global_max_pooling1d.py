"""``GlobalMaxPooling1D``: the maximum over all steps of a sequence."""

from __future__ import annotations

from layerwise.api_export import export
from layerwise.layers.pooling.base_global_pooling import BaseGlobalPooling


@export("layerwise.layers.GlobalMaxPooling1D", "layerwise.layers.GlobalMaxPool1D")
class GlobalMaxPooling1D(BaseGlobalPooling):
    """The maximum of each feature over all steps.

    Args:
        data_format: ``"channels_last"`` (``(batch, steps, features)``, the default from
            ``layerwise.config.image_data_format()``) or ``"channels_first"`` (``(batch, features, steps)``).
        keepdims: keep the pooled axes with size 1; default ``False``.

    Output shape:
        ``(batch, channels)``, or with ``keepdims=True`` the input's shape with every pooled axis 1.

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.tensor([[[1.0, 9.0], [5.0, 2.0], [3.0, 4.0]]])
        >>> keras.layers.GlobalMaxPooling1D()(x)
        tensor([[5., 9.]])
        >>> keras.layers.GlobalMaxPooling1D(keepdims=True)(x).shape
        torch.Size([1, 1, 2])
    """

    rank = 1
    pool_mode = "max"
