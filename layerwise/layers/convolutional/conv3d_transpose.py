"""``Conv3DTranspose``: 3-D transposed convolution over volumes."""

from __future__ import annotations

from layerwise.api_export import export
from layerwise.layers.convolutional.base_conv_transpose import BaseConvTranspose


@export("layerwise.layers.Conv3DTranspose", "layerwise.layers.Convolution3DTranspose")
class Conv3DTranspose(BaseConvTranspose):
    """3-D transposed convolution: each input position spreads a kernel-sized patch over the output.

    With ``strides=s`` and ``padding="same"`` the spatial size is multiplied by ``s``.

    Args:
        filters: number of output channels. kernel_size: int or ``(depth, height, width)``.
        strides: int or tuple (default 1). padding: ``"valid"`` or ``"same"`` (as TensorFlow:
            the odd element is cropped at the end).
        output_padding: ``None`` (Keras's default sizes) or extra positions at the end of each
            axis, each less than its stride.
        data_format: ``"channels_last"`` (the default) or ``"channels_first"``.
        dilation_rate, activation, use_bias, initializers, regularizers, constraints: as Keras.

    Input shape:
        ``(batch, depth, height, width, channels)`` (channels-last).
    Output shape:
        ``(batch, new_depth, new_height, new_width, filters)``; the kernel has shape ``(*kernel_size, filters, channels)``.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.Conv3DTranspose(4, 3, strides=2, padding="same")
        >>> layer(torch.zeros(1, 2, 3, 4, 2)).shape, tuple(layer.kernel.shape)
        (torch.Size([1, 4, 6, 8, 4]), (3, 3, 3, 4, 2))
    """

    rank = 3
