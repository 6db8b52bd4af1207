"""``Conv2D``: 2-D convolution over images."""

from __future__ import annotations

from layerwise.api_export import export
from layerwise.layers.convolutional.base_conv import BaseConv


@export("layerwise.layers.Conv2D", "layerwise.layers.Convolution2D")
class Conv2D(BaseConv):
    """2-D convolution: ``filters`` kernels of ``kernel_size`` slid over the image.

    Args:
        filters: number of output channels.
        kernel_size: int or ``(height, width)``.
        strides: int or pair (default 1). padding: ``"valid"`` or ``"same"`` (TensorFlow's rule:
            ``ceil(size / strides)`` outputs, the odd padding row/column at the bottom/right).
        data_format: ``"channels_last"`` (``(batch, h, w, c)``, the default) or ``"channels_first"``.
        dilation_rate, groups, activation, use_bias, initializers, regularizers, constraints: as Keras.

    Input shape:
        ``(batch, height, width, channels)`` (channels-last).
    Output shape:
        ``(batch, new_height, new_width, filters)``.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.Conv2D(8, 3, padding="same", activation="relu")
        >>> layer(torch.zeros(2, 28, 28, 1)).shape, tuple(layer.kernel.shape)
        (torch.Size([2, 28, 28, 8]), (3, 3, 1, 8))
    """

    rank = 2
