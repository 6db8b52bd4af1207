"""``ConvCommon``: what every convolution layer shares (window arguments, bias, activation, shapes).

The families (``BaseConv``, ``BaseConvTranspose``, ``BaseDepthwiseConv``, ``BaseSeparableConv``)
add their own kernels and the op they run; the rank-specific layers only fix ``rank``.
"""

from __future__ import annotations

from typing import Any

from layerwise import activations, config, constraints, initializers, regularizers
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.layer import Layer
from layerwise.utils.argument_validation import one_of, positive_int, standardize_tuple


def check_filters(owner: str, filters: Any) -> int:
    return positive_int(owner, "filters", filters)


class ConvCommon(Layer):
    """Base of the convolution layers: validates the shared arguments before the layer exists.

    Subclasses set ``rank`` and implement ``_make_kernels(channels)``, ``_convolve(inputs)``,
    ``_output_channels(channels)`` and ``_output_lengths(spatial)``.
    """

    rank = 2
    paddings: tuple[str, ...] = ("valid", "same")
    strided_dilation = False  # whether strides > 1 may be combined with dilation_rate > 1

    def __init__(self, kernel_size: Any, strides: Any = 1, padding: str = "valid", data_format: str | None = None,
                 dilation_rate: Any = 1, activation: Any = None, use_bias: bool = True,
                 bias_initializer: Any = "zeros", bias_regularizer: Any = None, bias_constraint: Any = None,
                 activity_regularizer: Any = None, **kwargs):
        owner = type(self).__name__
        kernel_size = standardize_tuple(owner, "kernel_size", kernel_size, self.rank)
        strides = standardize_tuple(owner, "strides", strides, self.rank)
        dilation_rate = standardize_tuple(owner, "dilation_rate", dilation_rate, self.rank)
        if not self.strided_dilation and max(strides) > 1 and max(dilation_rate) > 1:
            raise ValueError(f"`{owner}`: `strides` > 1 cannot be combined with `dilation_rate` > 1; received "
                             f"strides={strides}, dilation_rate={dilation_rate}.")
        padding = one_of(owner, "padding", padding, self.paddings, str.lower)
        data_format = one_of(owner, "data_format", data_format or config.image_data_format(),
                             ("channels_last", "channels_first"), str.lower)
        activation = activations.get(activation)
        bias_initializer = initializers.get(bias_initializer)
        bias_regularizer = regularizers.get(bias_regularizer)
        bias_constraint = constraints.get(bias_constraint)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.kernel_size, self.strides, self.dilation_rate = kernel_size, strides, dilation_rate
        self.padding, self.data_format = padding, data_format
        self.activation = activation
        self.use_bias = bool(use_bias)
        self.bias_initializer, self.bias_regularizer, self.bias_constraint = \
            bias_initializer, bias_regularizer, bias_constraint
        self._channel_axis = -1 if data_format == "channels_last" else 1
        self.input_spec = InputSpec(ndim=self.rank + 2)

    # ---- building --------------------------------------------------------------------------------
    def _input_channels(self, input_shape: Any) -> int:
        if len(input_shape) != self.rank + 2:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) expects inputs of rank {self.rank + 2} "
                             f"(batch, {self.rank} spatial axes, channels); received shape {tuple(input_shape)}.")
        channels = input_shape[self._channel_axis]
        if channels is None:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) needs a known channel axis "
                             f"({self.data_format}); received shape {tuple(input_shape)}.")
        return int(channels)

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        self.compute_output_shape(input_shape)  # refuses a too-small input before any weight exists
        self._make_kernels(channels)
        self.bias = self.add_weight(shape=(self._output_channels(channels),), initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                    name="bias") if self.use_bias else None
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis: channels})

    def _make_kernels(self, channels: int) -> None:
        raise NotImplementedError

    def _output_channels(self, channels: int) -> int:
        raise NotImplementedError

    def _output_lengths(self, spatial: tuple) -> tuple:
        raise NotImplementedError

    def _convolve(self, inputs):
        raise NotImplementedError

    # ---- calling ---------------------------------------------------------------------------------
    def call(self, inputs):
        if not inputs.is_floating_point():
            inputs = inputs.to(self.dtype_policy.torch_compute_dtype)
        return self.activation(self._convolve(inputs))

    def compute_output_shape(self, input_shape):
        channels = self._input_channels(input_shape)
        spatial = tuple(input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:])
        out = self._output_lengths(spatial)
        if any(n is not None and n <= 0 for n in out):
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}): the input shape {tuple(input_shape)} is "
                             f"too small for kernel_size={self.kernel_size}, dilation_rate={self.dilation_rate} "
                             f"with padding='{self.padding}'; the output would have spatial shape {out}.")
        filters = self._output_channels(channels)
        if self.data_format == "channels_last":
            return (input_shape[0],) + out + (filters,)
        return (input_shape[0], filters) + out

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "kernel_size": list(self.kernel_size), "strides": list(self.strides), "padding": self.padding,
            "data_format": self.data_format, "dilation_rate": list(self.dilation_rate),
            "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
