"""``SpatialDropout1D/2D/3D``: dropout of whole feature maps (channels), active only in training.

Adjacent positions of a feature map are strongly correlated, so dropping single activations
barely regularises a convolution; these layers draw one keep/drop decision per sample and
channel and apply it at every position, scaling the kept channels by ``1 / (1 - rate)``.
"""

from __future__ import annotations

import torch

from layerwise import config
from layerwise.api_export import export
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.regularization.dropout import Dropout
from layerwise.utils.argument_validation import one_of


class BaseSpatialDropout(Dropout):
    """Dropout with one mask entry per (sample, channel); the subclasses fix the rank."""

    rank = 1

    def __init__(self, rate: float, data_format: str | None = None, seed: int | None = None, **kwargs):
        owner = type(self).__name__
        if "noise_shape" in kwargs:  # Keras 2 configs carry noise_shape=None; the channels decide it
            noise_shape = kwargs.pop("noise_shape")
            if noise_shape is not None:
                raise ValueError(f"`{owner}` takes no `noise_shape` (the mask has one entry per sample and "
                                 f"channel); received noise_shape={noise_shape!r}.")
        data_format = one_of(owner, "data_format", data_format or config.image_data_format(),
                             ("channels_last", "channels_first"), str.lower)
        super().__init__(rate, seed=seed, **kwargs)
        self.data_format = data_format
        self.input_spec = InputSpec(ndim=self.rank + 2)

    def _noise_shape(self, inputs: torch.Tensor) -> tuple[int, ...]:
        ones = (1,) * self.rank
        if self.data_format == "channels_first":
            return (inputs.shape[0], inputs.shape[1]) + ones
        return (inputs.shape[0],) + ones + (inputs.shape[-1],)

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        if self.rate == 1:
            return inputs * 0
        return inputs * self._scaled_mask(inputs, self._noise_shape(inputs))

    def get_config(self) -> dict:
        base = super().get_config()
        base.pop("noise_shape", None)
        return {**base, "data_format": self.data_format}


@export("layerwise.layers.SpatialDropout1D")
class SpatialDropout1D(BaseSpatialDropout):
    """Drops whole channels of a sequence ``(batch, steps, channels)`` in training, each with
    probability ``rate``, and scales the kept ones by ``1 / (1 - rate)``.

    Args:
        rate: fraction of channels to drop, in ``[0, 1]``.
        seed: makes the masks reproducible for this layer.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.SpatialDropout1D(0.5, seed=1)
        >>> y = layer(torch.ones(2, 4, 6), training=True)
        >>> bool((y == y[:, :1, :]).all())  # the same channels are dropped at every step
        True
    """

    rank = 1

    def __init__(self, rate: float, seed: int | None = None, **kwargs):
        super().__init__(rate, data_format="channels_last", seed=seed, **kwargs)

    def get_config(self) -> dict:
        base = super().get_config()
        base.pop("data_format", None)
        return base


@export("layerwise.layers.SpatialDropout2D")
class SpatialDropout2D(BaseSpatialDropout):
    """Drops whole feature maps of an image batch in training, each with probability ``rate``,
    and scales the kept ones by ``1 / (1 - rate)``.

    Args:
        rate: fraction of channels to drop, in ``[0, 1]``.
        data_format: ``"channels_last"`` (``(batch, rows, cols, channels)``) or
            ``"channels_first"``; default ``layerwise.config.image_data_format()``.
        seed: makes the masks reproducible for this layer.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.SpatialDropout2D(0.5, data_format="channels_first", seed=1)
        >>> y = layer(torch.ones(2, 8, 3, 3), training=True)
        >>> sorted(set(y.flatten().tolist())), bool((y == y[:, :, :1, :1]).all())
        ([0.0, 2.0], True)
    """

    rank = 2

    def __init__(self, rate: float, data_format: str | None = None, seed: int | None = None, **kwargs):
        super().__init__(rate, data_format=data_format, seed=seed, **kwargs)


@export("layerwise.layers.SpatialDropout3D")
class SpatialDropout3D(BaseSpatialDropout):
    """Drops whole feature maps of a volume batch in training, each with probability ``rate``,
    and scales the kept ones by ``1 / (1 - rate)``.

    Args:
        rate: fraction of channels to drop, in ``[0, 1]``.
        data_format: ``"channels_last"`` (``(batch, dim1, dim2, dim3, channels)``) or
            ``"channels_first"``; default ``layerwise.config.image_data_format()``.
        seed: makes the masks reproducible for this layer.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.SpatialDropout3D(0.5, seed=1)
        >>> y = layer(torch.ones(2, 2, 2, 2, 8), training=True)
        >>> bool((y == y[:, :1, :1, :1, :]).all())
        True
    """

    rank = 3

    def __init__(self, rate: float, data_format: str | None = None, seed: int | None = None, **kwargs):
        super().__init__(rate, data_format=data_format, seed=seed, **kwargs)
