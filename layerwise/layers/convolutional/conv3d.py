"""``Conv3D``: 3-D convolution over volumes (or video)."""

from __future__ import annotations

from layerwise.api_export import export
from layerwise.layers.convolutional.base_conv import BaseConv


@export("layerwise.layers.Conv3D", "layerwise.layers.Convolution3D")
class Conv3D(BaseConv):
    """3-D convolution: ``filters`` kernels of ``kernel_size`` slid over the volume.

    Args:
        filters: number of output channels.
        kernel_size: int or ``(depth, height, width)``.
        strides: int or triple (default 1). padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"`` (``(batch, d, h, w, c)``, the default) or ``"channels_first"``.
        dilation_rate, groups, activation, use_bias, initializers, regularizers, constraints: as Keras.

    Input shape:
        ``(batch, depth, height, width, channels)`` (channels-last).
    Output shape:
        ``(batch, new_depth, new_height, new_width, filters)``.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.Conv3D(4, 3, strides=2, padding="same")
        >>> layer(torch.zeros(1, 8, 7, 6, 2)).shape, tuple(layer.kernel.shape)
        (torch.Size([1, 4, 4, 3, 4]), (3, 3, 3, 2, 4))
    """

    rank = 3
