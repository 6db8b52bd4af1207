"""``Conv1D``: 1-D convolution over sequences (with ``"causal"`` padding for autoregressive models)."""

from __future__ import annotations

from layerwise.api_export import export
from layerwise.layers.convolutional.base_conv import BaseConv


@export("layerwise.layers.Conv1D", "layerwise.layers.Convolution1D")
class Conv1D(BaseConv):
    """1-D convolution: ``filters`` kernels of ``kernel_size`` steps slid along the sequence.

    Args:
        filters: number of output channels. kernel_size: int or 1-tuple.
        strides: int (default 1); ``strides`` > 1 excludes ``dilation_rate`` > 1.
        padding: ``"valid"``, ``"same"`` or ``"causal"`` (pad ``dilation_rate * (kernel_size - 1)``
            steps on the left, so that ``output[t]`` only sees ``inputs[:t + 1]``).
        data_format: ``"channels_last"`` (``(batch, steps, channels)``, the default) or
            ``"channels_first"``.
        dilation_rate, groups, activation, use_bias, initializers, regularizers, constraints: as Keras.

    Input shape:
        ``(batch, steps, channels)`` (channels-last).
    Output shape:
        ``(batch, new_steps, filters)``; the kernel has shape ``(kernel_size, channels // groups, filters)``.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.Conv1D(8, 3, padding="causal", dilation_rate=2)
        >>> layer(torch.zeros(2, 10, 4)).shape, tuple(layer.kernel.shape)
        (torch.Size([2, 10, 8]), (3, 4, 8))
    """

    rank = 1
    paddings = ("valid", "same", "causal")
