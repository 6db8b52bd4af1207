"""``DepthwiseConv1D``: a separate set of 1-D filters for each input channel."""

from __future__ import annotations

from layerwise.api_export import export
from layerwise.layers.convolutional.base_depthwise_conv import BaseDepthwiseConv


@export("layerwise.layers.DepthwiseConv1D")
class DepthwiseConv1D(BaseDepthwiseConv):
    """1-D depthwise convolution: each channel convolved with its own ``depth_multiplier`` filters.

    Args:
        kernel_size: int or 1-tuple. strides: int (default 1). padding: ``"valid"`` or ``"same"``.
        depth_multiplier: filters per input channel (default 1).
        data_format: ``"channels_last"`` (the default) or ``"channels_first"``.
        dilation_rate, activation, use_bias, depthwise_/bias_ initializers, regularizers,
        constraints: as Keras.

    Input shape:
        ``(batch, steps, channels)`` (channels-last).
    Output shape:
        ``(batch, new_steps, channels * depth_multiplier)``; the kernel has shape
        ``(kernel_size, channels, depth_multiplier)``.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.DepthwiseConv1D(3, depth_multiplier=2)
        >>> layer(torch.zeros(2, 10, 4)).shape, tuple(layer.kernel.shape)
        (torch.Size([2, 8, 8]), (3, 4, 2))
    """

    rank = 1
