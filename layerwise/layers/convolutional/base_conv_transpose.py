"""``BaseConvTranspose``: the shared body of Conv1DTranspose/2D/3D ("deconvolution")."""

from __future__ import annotations

from typing import Any

from layerwise import constraints, initializers, regularizers
from layerwise.layers.convolutional.conv_common import ConvCommon, check_filters
from layerwise.ops.conv import conv_transpose_with_bias, transpose_output_length
from layerwise.utils.argument_validation import standardize_tuple


class BaseConvTranspose(ConvCommon):
    """N-D transposed convolution: the gradient of a convolution with respect to its input.

    The kernel is stored in Keras's layout ``(*kernel_size, filters, in_channels)``. Output sizes
    follow Keras: ``n * strides`` for ``"same"`` and ``(n - 1) * strides + max(kernel, strides)``
    for ``"valid"`` when ``output_padding`` is ``None``; otherwise ``output_padding`` extra
    positions (each strictly less than its stride) are added at the end.
    """

    rank = 2

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                 output_padding: Any = None, data_format: str | None = None, dilation_rate: Any = 1,
                 activation: Any = None, use_bias: bool = True, kernel_initializer: Any = "glorot_uniform",
                 bias_initializer: Any = "zeros", kernel_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, kernel_constraint: Any = None, bias_constraint: Any = None,
                 **kwargs):
        owner = type(self).__name__
        filters = check_filters(owner, filters)
        if output_padding is not None:
            output_padding = standardize_tuple(owner, "output_padding", output_padding, self.rank, allow_zero=True)
            steps = standardize_tuple(owner, "strides", strides, self.rank)
            if any(p >= s for p, s in zip(output_padding, steps)):
                raise ValueError(f"`{owner}` argument `output_padding` must be strictly less than `strides` on "
                                 f"every axis; received output_padding={output_padding}, strides={steps}.")
        kernel_initializer = initializers.get(kernel_initializer)
        kernel_regularizer = regularizers.get(kernel_regularizer)
        kernel_constraint = constraints.get(kernel_constraint)
        super().__init__(kernel_size, strides, padding, data_format, dilation_rate, activation, use_bias,
                         bias_initializer, bias_regularizer, bias_constraint, activity_regularizer, **kwargs)
        self.filters, self.output_padding = filters, output_padding
        self.kernel_initializer, self.kernel_regularizer, self.kernel_constraint = \
            kernel_initializer, kernel_regularizer, kernel_constraint

    def _make_kernels(self, channels: int) -> None:
        self.kernel = self.add_weight(shape=self.kernel_size + (self.filters, channels),
                                      initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, name="kernel")

    def _output_channels(self, channels: int) -> int:
        return self.filters

    def _output_lengths(self, spatial: tuple) -> tuple:
        extra = self.output_padding or (None,) * self.rank
        return tuple(transpose_output_length(n, k, s, d, self.padding, p) for n, k, s, d, p in
                     zip(spatial, self.kernel_size, self.strides, self.dilation_rate, extra))

    def _convolve(self, inputs):
        return conv_transpose_with_bias(inputs, self.kernel, self.bias, self.strides, self.padding,
                                        self.output_padding, self.data_format, self.dilation_rate)

    def get_config(self) -> dict:
        return {
            **super().get_config(), "filters": self.filters,
            "output_padding": None if self.output_padding is None else list(self.output_padding),
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
        }
