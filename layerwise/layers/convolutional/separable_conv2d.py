"""``SeparableConv2D``: depthwise 2-D convolution followed by a pointwise (1x1) convolution."""

from __future__ import annotations

from layerwise.api_export import export
from layerwise.layers.convolutional.base_separable_conv import BaseSeparableConv


@export("layerwise.layers.SeparableConv2D", "layerwise.layers.SeparableConvolution2D")
class SeparableConv2D(BaseSeparableConv):
    """2-D separable convolution: per-channel filters, then a 1x1 convolution mixing the channels.

    Far fewer weights than :class:`Conv2D` for the same receptive field (Xception, MobileNet).

    Args:
        filters: number of output channels. kernel_size: int or ``(height, width)``.
        strides, padding (``"valid"``/``"same"``), dilation_rate: of the depthwise step.
        depth_multiplier: depthwise filters per input channel (default 1).
        data_format: ``"channels_last"`` (the default) or ``"channels_first"``.
        activation, use_bias, depthwise_/pointwise_/bias_ initializers, regularizers,
        constraints: as Keras.

    Input shape:
        ``(batch, height, width, channels)`` (channels-last).
    Output shape:
        ``(batch, new_height, new_width, filters)``.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.SeparableConv2D(16, 3, padding="same")
        >>> layer(torch.zeros(2, 8, 8, 3)).shape, [tuple(w.shape) for w in layer.weights]
        (torch.Size([2, 8, 8, 16]), [(3, 3, 3, 1), (1, 1, 3, 16), (16,)])
    """

    rank = 2
