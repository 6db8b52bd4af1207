"""``BaseSeparableConv``: the shared body of SeparableConv1D/2D (depthwise, then pointwise 1x1)."""

from __future__ import annotations

from typing import Any

from layerwise import constraints, initializers, regularizers
from layerwise.layers.convolutional.conv_common import ConvCommon, check_filters
from layerwise.ops.conv import output_length, separable_conv_with_bias
from layerwise.utils.argument_validation import positive_int


class BaseSeparableConv(ConvCommon):
    """Depthwise convolution (``strides``, ``padding``, ``dilation_rate``) followed by a 1x1 convolution.

    Weights, in Keras's order: ``depthwise_kernel`` ``(*kernel_size, in_channels, depth_multiplier)``,
    ``pointwise_kernel`` ``(1, ..., 1, in_channels * depth_multiplier, filters)``, then ``bias``.
    """

    rank = 2
    strided_dilation = True

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                 data_format: str | None = None, dilation_rate: Any = 1, depth_multiplier: int = 1,
                 activation: Any = None, use_bias: bool = True, depthwise_initializer: Any = "glorot_uniform",
                 pointwise_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 depthwise_regularizer: Any = None, pointwise_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, depthwise_constraint: Any = None, pointwise_constraint: Any = None,
                 bias_constraint: Any = None, **kwargs):
        owner = type(self).__name__
        filters = check_filters(owner, filters)
        depth_multiplier = positive_int(owner, "depth_multiplier", depth_multiplier)
        depthwise = (initializers.get(depthwise_initializer), regularizers.get(depthwise_regularizer),
                     constraints.get(depthwise_constraint))
        pointwise = (initializers.get(pointwise_initializer), regularizers.get(pointwise_regularizer),
                     constraints.get(pointwise_constraint))
        super().__init__(kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias,
                         bias_initializer, bias_regularizer, bias_constraint, activity_regularizer, **kwargs)
        self.filters, self.depth_multiplier = filters, depth_multiplier
        self.depthwise_initializer, self.depthwise_regularizer, self.depthwise_constraint = depthwise
        self.pointwise_initializer, self.pointwise_regularizer, self.pointwise_constraint = pointwise

    def _make_kernels(self, channels: int) -> None:
        self.depthwise_kernel = self.add_weight(
            shape=self.kernel_size + (channels, self.depth_multiplier), initializer=self.depthwise_initializer,
            regularizer=self.depthwise_regularizer, constraint=self.depthwise_constraint, name="depthwise_kernel")
        self.pointwise_kernel = self.add_weight(
            shape=(1,) * self.rank + (channels * self.depth_multiplier, self.filters),
            initializer=self.pointwise_initializer, regularizer=self.pointwise_regularizer,
            constraint=self.pointwise_constraint, name="pointwise_kernel")

    def _output_channels(self, channels: int) -> int:
        return self.filters

    def _output_lengths(self, spatial: tuple) -> tuple:
        return tuple(output_length(n, k, s, d, self.padding)
                     for n, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate))

    def _convolve(self, inputs):
        return separable_conv_with_bias(inputs, self.depthwise_kernel, self.pointwise_kernel, self.bias,
                                        self.strides, self.padding, self.data_format, self.dilation_rate)

    def get_config(self) -> dict:
        return {
            **super().get_config(), "filters": self.filters, "depth_multiplier": self.depth_multiplier,
            "depthwise_initializer": initializers.serialize(self.depthwise_initializer),
            "pointwise_initializer": initializers.serialize(self.pointwise_initializer),
            "depthwise_regularizer": regularizers.serialize(self.depthwise_regularizer),
            "pointwise_regularizer": regularizers.serialize(self.pointwise_regularizer),
            "depthwise_constraint": constraints.serialize(self.depthwise_constraint),
            "pointwise_constraint": constraints.serialize(self.pointwise_constraint),
        }
