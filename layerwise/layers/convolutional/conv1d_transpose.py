"""``Conv1DTranspose``: 1-D transposed convolution over sequences."""

from __future__ import annotations

from layerwise.api_export import export
from layerwise.layers.convolutional.base_conv_transpose import BaseConvTranspose


@export("layerwise.layers.Conv1DTranspose", "layerwise.layers.Convolution1DTranspose")
class Conv1DTranspose(BaseConvTranspose):
    """1-D transposed convolution: each input position spreads a kernel-sized patch over the output.

    With ``strides=s`` and ``padding="same"`` the spatial size is multiplied by ``s``.

    Args:
        filters: number of output channels. kernel_size: int or 1-tuple.
        strides: int or tuple (default 1). padding: ``"valid"`` or ``"same"`` (as TensorFlow:
            the odd element is cropped at the end).
        output_padding: ``None`` (Keras's default sizes) or extra positions at the end of each
            axis, each less than its stride.
        data_format: ``"channels_last"`` (the default) or ``"channels_first"``.
        dilation_rate, activation, use_bias, initializers, regularizers, constraints: as Keras.

    Input shape:
        ``(batch, steps, channels)`` (channels-last).
    Output shape:
        ``(batch, new_steps, filters)``; the kernel has shape ``(*kernel_size, filters, channels)``.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.Conv1DTranspose(4, 3, strides=2, padding="same")
        >>> layer(torch.zeros(2, 5, 3)).shape, tuple(layer.kernel.shape)
        (torch.Size([2, 10, 4]), (3, 4, 3))
    """

    rank = 1
