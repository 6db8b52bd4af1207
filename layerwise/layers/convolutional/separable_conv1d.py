"""``SeparableConv1D``: depthwise 1-D convolution followed by a pointwise (1x1) convolution."""

from __future__ import annotations

from layerwise.api_export import export
from layerwise.layers.convolutional.base_separable_conv import BaseSeparableConv


@export("layerwise.layers.SeparableConv1D", "layerwise.layers.SeparableConvolution1D")
class SeparableConv1D(BaseSeparableConv):
    """1-D separable convolution: per-channel filters, then a 1x1 convolution mixing the channels.

    Args:
        filters: number of output channels. kernel_size: int or 1-tuple.
        strides, padding (``"valid"``/``"same"``), dilation_rate: of the depthwise step.
        depth_multiplier: depthwise filters per input channel (default 1).
        data_format: ``"channels_last"`` (the default) or ``"channels_first"``.
        activation, use_bias, depthwise_/pointwise_/bias_ initializers, regularizers,
        constraints: as Keras.

    Input shape:
        ``(batch, steps, channels)`` (channels-last).
    Output shape:
        ``(batch, new_steps, filters)``.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.SeparableConv1D(8, 3, padding="same", depth_multiplier=2)
        >>> layer(torch.zeros(2, 10, 4)).shape, [tuple(w.shape) for w in layer.weights]
        (torch.Size([2, 10, 8]), [(3, 4, 2), (1, 8, 8), (8,)])
    """

    rank = 1
