"""``BaseDepthwiseConv``: the shared body of DepthwiseConv1D/2D (one set of filters per channel)."""

from __future__ import annotations

from typing import Any

from layerwise import constraints, initializers, regularizers
from layerwise.layers.convolutional.conv_common import ConvCommon
from layerwise.ops.conv import depthwise_conv_with_bias, output_length
from layerwise.utils.argument_validation import positive_int


class BaseDepthwiseConv(ConvCommon):
    """Depthwise convolution: each input channel is convolved with its own ``depth_multiplier`` filters.

    The kernel (named ``kernel``, as in Keras 3) has shape ``(*kernel_size, in_channels,
    depth_multiplier)``; output channel ``c * depth_multiplier + m`` comes from input channel ``c``.
    """

    rank = 2
    strided_dilation = True

    def __init__(self, kernel_size: Any, strides: Any = 1, padding: str = "valid", depth_multiplier: int = 1,
                 data_format: str | None = None, dilation_rate: Any = 1, activation: Any = None,
                 use_bias: bool = True, depthwise_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 depthwise_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 depthwise_constraint: Any = None, bias_constraint: Any = None, **kwargs):
        owner = type(self).__name__
        depth_multiplier = positive_int(owner, "depth_multiplier", depth_multiplier)
        depthwise_initializer = initializers.get(depthwise_initializer)
        depthwise_regularizer = regularizers.get(depthwise_regularizer)
        depthwise_constraint = constraints.get(depthwise_constraint)
        super().__init__(kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias,
                         bias_initializer, bias_regularizer, bias_constraint, activity_regularizer, **kwargs)
        self.depth_multiplier = depth_multiplier
        self.depthwise_initializer, self.depthwise_regularizer, self.depthwise_constraint = \
            depthwise_initializer, depthwise_regularizer, depthwise_constraint

    def _make_kernels(self, channels: int) -> None:
        self.kernel = self.add_weight(shape=self.kernel_size + (channels, self.depth_multiplier),
                                      initializer=self.depthwise_initializer, regularizer=self.depthwise_regularizer,
                                      constraint=self.depthwise_constraint, name="kernel")

    def _output_channels(self, channels: int) -> int:
        return channels * self.depth_multiplier

    def _output_lengths(self, spatial: tuple) -> tuple:
        return tuple(output_length(n, k, s, d, self.padding)
                     for n, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate))

    def _convolve(self, inputs):
        return depthwise_conv_with_bias(inputs, self.kernel, self.bias, self.strides, self.padding,
                                        self.data_format, self.dilation_rate)

    def get_config(self) -> dict:
        return {
            **super().get_config(), "depth_multiplier": self.depth_multiplier,
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
            "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
        }
