"""``UpSampling1D``: repeat each step of a sequence."""

from __future__ import annotations

from layerwise.api_export import export
from layerwise.layers.reshaping.up_sampling import BaseUpSampling


@export("layerwise.layers.UpSampling1D")
class UpSampling1D(BaseUpSampling):
    """Repeats each time step ``size`` times along the steps axis.

    Args:
        size: positive int, the upsampling factor (default 2).

    Input shape:
        ``(batch, steps, features)``.
    Output shape:
        ``(batch, steps * size, features)``.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.UpSampling1D(2)(torch.tensor([[[1.0], [2.0]]]))[0, :, 0]
        tensor([1., 1., 2., 2.])
    """

    rank = 1

    def __init__(self, size: int = 2, **kwargs):
        super().__init__(size, "channels_last", **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["data_format"]
        return {**config, "size": self.size[0]}
