"""Convolution layers: a base class per family holds the logic, each ``...ND`` layer fixes the rank.

Families: ``BaseConv`` (Conv1D/2D/3D), ``BaseConvTranspose`` (Conv1D/2D/3DTranspose),
``BaseDepthwiseConv`` (DepthwiseConv1D/2D) and ``BaseSeparableConv`` (SeparableConv1D/2D), all on
``ConvCommon``; the tensor work is in :mod:`layerwise.ops.conv`.

Each layer package lists its public layers in ``__all__``; ``layerwise.layers`` re-exports them."""


from layerwise.layers.convolutional.conv1d import Conv1D
from layerwise.layers.convolutional.conv1d_transpose import Conv1DTranspose
from layerwise.layers.convolutional.conv2d import Conv2D
from layerwise.layers.convolutional.conv2d_transpose import Conv2DTranspose
from layerwise.layers.convolutional.conv3d import Conv3D
from layerwise.layers.convolutional.conv3d_transpose import Conv3DTranspose
from layerwise.layers.convolutional.depthwise_conv1d import DepthwiseConv1D
from layerwise.layers.convolutional.depthwise_conv2d import DepthwiseConv2D
from layerwise.layers.convolutional.separable_conv1d import SeparableConv1D
from layerwise.layers.convolutional.separable_conv2d import SeparableConv2D

# Keras's alternative names.
Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution1DTranspose, Convolution2DTranspose, Convolution3DTranspose = \
    Conv1DTranspose, Conv2DTranspose, Conv3DTranspose
SeparableConvolution1D, SeparableConvolution2D = SeparableConv1D, SeparableConv2D

__all__ = [
    "Conv1D", "Conv1DTranspose", "Conv2D", "Conv2DTranspose", "Conv3D", "Conv3DTranspose", "Convolution1D",
    "Convolution1DTranspose", "Convolution2D", "Convolution2DTranspose", "Convolution3D", "Convolution3DTranspose",
    "DepthwiseConv1D", "DepthwiseConv2D", "SeparableConv1D", "SeparableConv2D", "SeparableConvolution1D",
    "SeparableConvolution2D",
]
