"""``Dense``: ``activation(inputs @ kernel + bias)``, with Keras's kernel layout ``(in, units)``."""

from __future__ import annotations

from typing import Any

import torch

from layerwise import activations, constraints, initializers, regularizers
from layerwise.api_export import export
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.layer import Layer
from layerwise.utils.argument_validation import positive_int


@export("layerwise.layers.Dense")
class Dense(Layer):
    """A densely connected layer: ``activation(dot(inputs, kernel) + bias)`` on the last axis.

    Args:
        units: the number of outputs.
        activation: name or callable (``None`` is linear).
        use_bias: whether to add a bias vector.
        kernel_initializer, bias_initializer: initializers (``"glorot_uniform"``, ``"zeros"``).
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties.
        kernel_constraint, bias_constraint: projections after each optimizer step.

    Input shape:
        ``(batch, ..., input_dim)``.
    Output shape:
        ``(batch, ..., units)``.

    Example:
        >>> import numpy as np, layerwise as keras
        >>> layer = keras.layers.Dense(2)
        >>> y = layer(np.ones((4, 3), dtype="float32"))
        >>> tuple(y.shape), [tuple(w.shape) for w in layer.weights]
        ((4, 2), [(3, 2), (2,)])
    """

    def __init__(self, units: int, activation: Any = None, use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, bias_regularizer: Any = None, activity_regularizer: Any = None,
                 kernel_constraint: Any = None, bias_constraint: Any = None, **kwargs):
        if "init" in kwargs:  # Keras 1/2 spelling
            kernel_initializer = kwargs.pop("init")
        if "output_dim" in kwargs:
            units = kwargs.pop("output_dim")
        kwargs.pop("lora_rank", None)
        kwargs.pop("lora_alpha", None)
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = positive_int("Dense", "units", units)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.input_spec = InputSpec(min_ndim=2)
        self.supports_masking = True
        self._linear = self.activation is activations.linear

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(f"Layer '{self.name}' (Dense) needs a known last input axis; received shape {input_shape}.")
        self.kernel = self.add_weight(shape=(input_dim, self.units), initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
                                      name="kernel")
        if self.use_bias:
            self.bias = self.add_weight(shape=(self.units,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        name="bias")
        else:
            self.bias = None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})

    def call(self, inputs):
        kernel = self.kernel
        if not inputs.is_floating_point():
            inputs = inputs.to(kernel.dtype)
        if kernel.dtype != inputs.dtype:  # mixed precision: compute in the input's dtype
            kernel = kernel.to(inputs.dtype)
        bias = self.bias
        if bias is not None and bias.dtype != inputs.dtype:
            bias = bias.to(inputs.dtype)
        if inputs.ndim == 2 and bias is not None:
            outputs = torch.addmm(bias, inputs, kernel)
        else:
            outputs = torch.matmul(inputs, kernel)
            if bias is not None:
                outputs = outputs + bias
        return outputs if self._linear else self.activation(outputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
