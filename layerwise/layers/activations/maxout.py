"""``Maxout``: the maximum of ``pieces`` affine maps per unit (Goodfellow et al., 2013)."""

from __future__ import annotations

from typing import Any

import torch

from layerwise import constraints, initializers, regularizers
from layerwise.api_export import export
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.layer import Layer
from layerwise.utils.argument_validation import positive_int


@export("layerwise.layers.Maxout")
class Maxout(Layer):
    """Maxout units: ``y_j = max_k (x @ W_jk + b_jk)`` over ``pieces`` affine maps per unit.

    From I. J. Goodfellow, D. Warde-Farley, M. Mirza, A. Courville and Y. Bengio, "Maxout Networks"
    (ICML 2013, arXiv:1302.4389). Each unit is a learned convex, piecewise-linear function of its
    affine inputs, so a maxout layer needs no separate activation; two maxout units already
    represent XOR.

    Args:
        units: the number of outputs (maxout units).
        pieces: the number of affine maps each unit takes the maximum of (``pieces=1`` is a
            linear ``Dense``).
        use_bias: whether the affine maps have biases.
        kernel_initializer, bias_initializer: as for ``Dense`` (``"glorot_uniform"``, ``"zeros"``).
        kernel_regularizer, bias_regularizer, activity_regularizer: penalties.
        kernel_constraint, bias_constraint: projections after each optimizer step.

    Weights:
        ``kernel`` of shape ``(input_dim, units * pieces)`` and ``bias`` of shape
        ``(units * pieces,)``, laid out unit-major: column ``j * pieces + k`` is piece ``k`` of
        unit ``j``. The layer is therefore exactly ``Dense(units * pieces)`` followed by a
        reshape of the last axis to ``(units, pieces)`` and a maximum over ``pieces``: the two
        share weights (``set_weights`` copies straight across) and initialisation.

    Input shape:
        ``(batch, ..., input_dim)``.
    Output shape:
        ``(batch, ..., units)``.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.Maxout(units=1, pieces=2, use_bias=False)
        >>> y = layer(torch.tensor([[3.0, -1.0]]))
        >>> layer.set_weights([torch.tensor([[1.0, -1.0], [0.0, 0.0]])])  # max(x0, -x0) = |x0|
        >>> layer(torch.tensor([[3.0, -1.0], [-2.0, 5.0]])).tolist(), tuple(layer.kernel.shape)
        ([[3.0], [2.0]], (2, 2))
    """

    def __init__(self, units: int, pieces: int, use_bias: bool = True, kernel_initializer: Any = "glorot_uniform",
                 bias_initializer: Any = "zeros", kernel_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, kernel_constraint: Any = None, bias_constraint: Any = None,
                 **kwargs):
        units = positive_int("Maxout", "units", units)
        pieces = positive_int("Maxout", "pieces", pieces)
        resolved = {
            "kernel_initializer": initializers.get(kernel_initializer),
            "bias_initializer": initializers.get(bias_initializer),
            "kernel_regularizer": regularizers.get(kernel_regularizer),
            "bias_regularizer": regularizers.get(bias_regularizer),
            "kernel_constraint": constraints.get(kernel_constraint),
            "bias_constraint": constraints.get(bias_constraint),
        }
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = units
        self.pieces = pieces
        self.use_bias = bool(use_bias)
        for key, value in resolved.items():
            setattr(self, key, value)
        self.input_spec = InputSpec(min_ndim=2)

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(f"Layer '{self.name}' (Maxout) needs a known last input axis; received shape "
                             f"{tuple(input_shape)}.")
        width = self.units * self.pieces
        self.kernel = self.add_weight(shape=(input_dim, width), initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
                                      name="kernel")
        if self.use_bias:
            self.bias = self.add_weight(shape=(width,), initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                        name="bias")
        else:
            self.bias = None
        self.input_spec = InputSpec(min_ndim=2, axes={-1: input_dim})

    def call(self, inputs):
        kernel, bias = self.kernel, self.bias
        if not inputs.is_floating_point():
            inputs = inputs.to(kernel.dtype)
        if kernel.dtype != inputs.dtype:  # mixed precision: compute in the input's dtype
            kernel = kernel.to(inputs.dtype)
            bias = None if bias is None else bias.to(inputs.dtype)
        if inputs.ndim == 2 and bias is not None:
            affine = torch.addmm(bias, inputs, kernel)
        else:
            affine = torch.matmul(inputs, kernel)
            if bias is not None:
                affine = affine + bias
        return torch.amax(affine.unflatten(-1, (self.units, self.pieces)), dim=-1)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "units": self.units,
            "pieces": self.pieces,
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
        }
