"""Convolution layers: ``BaseConv`` holds the logic, each ``ConvND`` fixes the rank.

Each layer package lists its public layers in ``__all__``; ``layerwise.layers`` re-exports them."""


from layerwise.layers.convolutional.conv2d import Conv2D

__all__ = ["Conv2D"]
