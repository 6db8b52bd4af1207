"""``GlobalMinPooling1D``: the minimum over all steps of a sequence."""

from __future__ import annotations

from layerwise.api_export import export
from layerwise.layers.pooling.base_global_pooling import BaseGlobalPooling


@export("layerwise.layers.GlobalMinPooling1D", "layerwise.layers.GlobalMinPool1D")
class GlobalMinPooling1D(BaseGlobalPooling):
    """The minimum of each feature over all steps.

    Keras has no global min pooling; it mirrors ``GlobalMaxPooling1D`` and equals
    ``-GlobalMaxPooling1D()(-x)``.

    Args:
        data_format: ``"channels_last"`` (``(batch, steps, features)``, the default from
            ``layerwise.config.image_data_format()``) or ``"channels_first"`` (``(batch, features, steps)``).
        keepdims: keep the pooled axes with size 1; default ``False``.

    Output shape:
        ``(batch, channels)``, or with ``keepdims=True`` the input's shape with every pooled axis 1.

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.tensor([[[1.0, 9.0], [5.0, 2.0], [3.0, 4.0]]])
        >>> keras.layers.GlobalMinPooling1D()(x)
        tensor([[1., 2.]])
    """

    rank = 1
    pool_mode = "min"
