"""``DepthwiseConv2D``: a separate set of 2-D filters for each input channel (MobileNet's building block)."""

from __future__ import annotations

from layerwise.api_export import export
from layerwise.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv


@export("layerwise.layers.DepthwiseConv2D")
class DepthwiseConv2D(BaseDepthwiseConv):
    """2-D depthwise convolution: each channel convolved with its own ``depth_multiplier`` filters.

    Args:
        kernel_size: int or ``(height, width)``. strides: int or pair (default 1).
        padding: ``"valid"`` or ``"same"``. depth_multiplier: filters per input channel (default 1).
        data_format: ``"channels_last"`` (the default) or ``"channels_first"``.
        dilation_rate, activation, use_bias, depthwise_/bias_ initializers, regularizers,
        constraints: as Keras.

    Input shape:
        ``(batch, height, width, channels)`` (channels-last).
    Output shape:
        ``(batch, new_height, new_width, channels * depth_multiplier)``; the kernel has shape
        ``(kh, kw, channels, depth_multiplier)``.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.DepthwiseConv2D(3, strides=2, padding="same", depth_multiplier=2)
        >>> layer(torch.zeros(2, 8, 8, 3)).shape, tuple(layer.kernel.shape)
        (torch.Size([2, 4, 4, 6]), (3, 3, 3, 2))
    """

    rank = 2
