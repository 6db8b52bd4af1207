"""``BaseConv``: the shared body of Conv1D/2D/3D (filters, groups, Keras kernel layout, shapes)."""

from __future__ import annotations

from typing import Any

from layerwise import constraints, initializers, regularizers
from layerwise.layers.convolutional.conv_common import ConvCommon, check_filters
from layerwise.ops.conv import conv_with_bias, output_length
from layerwise.utils.argument_validation import positive_int


class BaseConv(ConvCommon):
    """N-D convolution over channels-last (default) or channels-first inputs.

    The kernel is stored in Keras's layout ``(*kernel_size, in_channels // groups, filters)``, so
    Keras weights copy in with ``set_weights``; the op hands torch a permuted view of it.
    """

    rank = 2

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                 data_format: str | None = None, dilation_rate: Any = 1, groups: int = 1, activation: Any = None,
                 use_bias: bool = True, kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None, **kwargs):
        owner = type(self).__name__
        filters = check_filters(owner, filters)
        groups = positive_int(owner, "groups", groups)
        if filters % groups:
            raise ValueError(f"`{owner}` argument `filters` must be divisible by `groups`; received filters="
                             f"{filters}, groups={groups}.")
        kernel_initializer = initializers.get(kernel_initializer)
        kernel_regularizer = regularizers.get(kernel_regularizer)
        kernel_constraint = constraints.get(kernel_constraint)
        super().__init__(kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias,
                         bias_initializer, bias_regularizer, bias_constraint, activity_regularizer, **kwargs)
        self.filters, self.groups = filters, groups
        self.kernel_initializer, self.kernel_regularizer, self.kernel_constraint = \
            kernel_initializer, kernel_regularizer, kernel_constraint

    def _make_kernels(self, channels: int) -> None:
        if channels % self.groups:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}): the {channels} input channels are not "
                             f"divisible by groups={self.groups}.")
        self.kernel = self.add_weight(shape=self.kernel_size + (channels // self.groups, self.filters),
                                      initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, name="kernel")

    def _output_channels(self, channels: int) -> int:
        return self.filters

    def _output_lengths(self, spatial: tuple) -> tuple:
        return tuple(output_length(n, k, s, d, self.padding)
                     for n, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate))

    def _convolve(self, inputs):
        return conv_with_bias(inputs, self.kernel, self.bias, self.strides, self.padding, self.data_format,
                              self.dilation_rate)

    def get_config(self) -> dict:
        return {
            **super().get_config(), "filters": self.filters, "groups": self.groups,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
        }
