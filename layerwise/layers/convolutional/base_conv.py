"""``BaseConv``: the shared body of Conv1D/2D/3D (arguments, Keras kernel layout, shapes)."""

from __future__ import annotations

from typing import Any

from layerwise import activations, config, constraints, initializers, regularizers
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.layer import Layer
from layerwise.ops.conv import conv, output_length
from layerwise.utils.argument_validation import one_of, positive_int, standardize_tuple


class BaseConv(Layer):
    """N-D convolution over channels-last (default) or channels-first inputs.

    The kernel is stored in Keras's layout ``(*kernel_size, in_channels // groups, filters)``, so
    Keras weights copy in with ``set_weights``.
    """

    rank = 2

    def __init__(self, filters: int, kernel_size: Any, strides: Any = 1, padding: str = "valid",
                 data_format: str | None = None, dilation_rate: Any = 1, groups: int = 1, activation: Any = None,
                 use_bias: bool = True, kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None, **kwargs):
        owner = type(self).__name__
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.filters = positive_int(owner, "filters", filters)
        self.kernel_size = standardize_tuple(owner, "kernel_size", kernel_size, self.rank)
        self.strides = standardize_tuple(owner, "strides", strides, self.rank)
        self.dilation_rate = standardize_tuple(owner, "dilation_rate", dilation_rate, self.rank)
        allowed = ("valid", "same", "causal") if self.rank == 1 else ("valid", "same")
        self.padding = one_of(owner, "padding", padding, allowed, str.lower)
        self.data_format = one_of(owner, "data_format", data_format or config.image_data_format(),
                                  ("channels_last", "channels_first"), str.lower)
        self.groups = positive_int(owner, "groups", groups)
        if self.filters % self.groups:
            raise ValueError(f"`{owner}` argument `filters` must be divisible by `groups`; received filters="
                             f"{self.filters}, groups={self.groups}.")
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"`{owner}`: `strides` > 1 cannot be combined with `dilation_rate` > 1; received "
                             f"strides={self.strides}, dilation_rate={self.dilation_rate}.")
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=self.rank + 2)
        self._channel_axis = -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape):
        channels = input_shape[self._channel_axis]
        if channels is None:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) needs a known channel axis; received "
                             f"shape {input_shape}.")
        if channels % self.groups:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}): the {channels} input channels are not "
                             f"divisible by groups={self.groups}.")
        self.kernel = self.add_weight(shape=self.kernel_size + (channels // self.groups, self.filters),
                                      initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint, name="kernel")
        self.bias = self.add_weight(shape=(self.filters,), initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                    name="bias") if self.use_bias else None
        self.input_spec = InputSpec(ndim=self.rank + 2, axes={self._channel_axis: channels})

    def call(self, inputs):
        if not inputs.is_floating_point():
            inputs = inputs.to(self.kernel.dtype)
        outputs = conv(inputs, self.kernel, self.strides, self.padding, self.data_format, self.dilation_rate,
                       self.groups)
        if self.bias is not None:
            bias = self.bias if self.bias.dtype == outputs.dtype else self.bias.to(outputs.dtype)
            if self.data_format == "channels_last":
                outputs = outputs + bias
            else:
                outputs = outputs + bias.reshape((1, -1) + (1,) * self.rank)
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        spatial = input_shape[1:-1] if self.data_format == "channels_last" else input_shape[2:]
        out = tuple(output_length(size, k, s, d, self.padding) for size, k, s, d in
                    zip(spatial, self.kernel_size, self.strides, self.dilation_rate))
        if self.data_format == "channels_last":
            return (input_shape[0],) + out + (self.filters,)
        return (input_shape[0], self.filters) + out

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "filters": self.filters, "kernel_size": list(self.kernel_size), "strides": list(self.strides),
            "padding": self.padding, "data_format": self.data_format, "dilation_rate": list(self.dilation_rate),
            "groups": self.groups, "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
