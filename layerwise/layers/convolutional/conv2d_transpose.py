"""``Conv2DTranspose``: 2-D transposed convolution, the upsampling layer of GAN generators and decoders."""

from __future__ import annotations

from layerwise.api_export import export
from layerwise.layers.convolutional.base_conv_transpose import BaseConvTranspose


@export("layerwise.layers.Conv2DTranspose", "layerwise.layers.Convolution2DTranspose")
class Conv2DTranspose(BaseConvTranspose):
    """2-D transposed convolution: each input position spreads a kernel-sized patch over the output.

    With ``strides=s`` and ``padding="same"`` the spatial size is multiplied by ``s``.

    Args:
        filters: number of output channels. kernel_size: int or ``(height, width)``.
        strides: int or tuple (default 1). padding: ``"valid"`` or ``"same"`` (as TensorFlow:
            the odd element is cropped at the end).
        output_padding: ``None`` (Keras's default sizes) or extra positions at the end of each
            axis, each less than its stride.
        data_format: ``"channels_last"`` (the default) or ``"channels_first"``.
        dilation_rate, activation, use_bias, initializers, regularizers, constraints: as Keras.

    Input shape:
        ``(batch, height, width, channels)`` (channels-last).
    Output shape:
        ``(batch, new_height, new_width, filters)``; the kernel has shape ``(*kernel_size, filters, channels)``.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.Conv2DTranspose(4, 3, strides=2, padding="same")
        >>> layer(torch.zeros(2, 7, 7, 16)).shape, tuple(layer.kernel.shape)
        (torch.Size([2, 14, 14, 4]), (3, 3, 4, 16))
    """

    rank = 2
