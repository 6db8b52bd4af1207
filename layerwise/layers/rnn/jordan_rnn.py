"""``JordanRNNCell`` and ``JordanRNN``: the Jordan network, where the previous *output* is fed back.

    h_t = activation(x_t @ kernel + y_{t-1} @ recurrent_kernel + bias)
    y_t = output_activation(h_t @ output_kernel + output_bias)

The Elman network (``SimpleRNN``) feeds back the hidden state ``h_{t-1}``; the Jordan network feeds
back the output ``y_{t-1}``, so its state *is* its last output. Keras has no such layer; the
weight names and layout follow Keras's conventions (``(inputs, outputs)`` kernels).
"""

from __future__ import annotations

from typing import Any

import torch

from layerwise import activations, constraints, initializers, regularizers
from layerwise.api_export import export
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.rnn.base_cell import BaseRNNCell, cast, fast_activation
from layerwise.layers.rnn.cell_layer import (
    CELL_PROPERTIES,
    cell_kwargs,
    check_layer_args,
    delegate_to_cell,
    layer_config,
)
from layerwise.layers.rnn.rnn import RNN
from layerwise.utils.argument_validation import positive_int


@export("layerwise.layers.JordanRNNCell")
class JordanRNNCell(BaseRNNCell):
    """One step of the Jordan network (see the module docstring for the two equations).

    Args:
        units: the size of the hidden layer ``h``.
        output_units: the size of the output ``y``, which is also the state (default ``units``).
        activation: of the hidden layer, default ``"tanh"``.
        output_activation: of the output, default ``"linear"`` (``None``).
        use_bias: whether to add ``bias`` and ``output_bias``.
        kernel_initializer, recurrent_initializer, bias_initializer: default ``"glorot_uniform"``,
            ``"orthogonal"``, ``"zeros"`` (``bias_initializer`` initialises both biases).
        output_kernel_initializer: default ``"glorot_uniform"``.
        kernel_regularizer, recurrent_regularizer, output_kernel_regularizer, bias_regularizer
            (both biases): penalties. The ``*_constraint`` arguments likewise.
        dropout: fraction of the inputs dropped, in training (one mask per sequence).
        recurrent_dropout: fraction of the fed-back ``y_{t-1}`` dropped, in training.
        seed: seed of the dropout masks.

    Weights (in this order):
        ``kernel`` ``(input_dim, units)``, ``recurrent_kernel`` ``(output_units, units)``, ``bias``
        ``(units,)``, ``output_kernel`` ``(units, output_units)``, ``output_bias`` ``(output_units,)``.

    State:
        ``[y_{t-1}]``, shape ``(batch, output_units)``, zeros at the start.

    Example:
        >>> import torch, layerwise as keras
        >>> cell = keras.layers.JordanRNNCell(8, output_units=2)
        >>> y, [state] = cell(torch.randn(3, 4), [torch.zeros(3, 2)])
        >>> tuple(y.shape), [w.name for w in cell.weights]
        ((3, 2), ['kernel', 'recurrent_kernel', 'bias', 'output_kernel', 'output_bias'])
    """

    def __init__(self, units: int, output_units: int | None = None, activation: Any = "tanh",
                 output_activation: Any = None, use_bias: bool = True,
                 output_kernel_initializer: Any = "glorot_uniform", output_kernel_regularizer: Any = None,
                 output_kernel_constraint: Any = None, **kwargs):
        owner = type(self).__name__
        output_units = units if output_units is None else positive_int(owner, "output_units", output_units)
        super().__init__(units, activation=activation, use_bias=use_bias, **kwargs)
        self.output_units = int(output_units)
        self.output_activation = activations.get(output_activation)
        self.output_kernel_initializer = initializers.get(output_kernel_initializer)
        self.output_kernel_regularizer = regularizers.get(output_kernel_regularizer)
        self.output_kernel_constraint = constraints.get(output_kernel_constraint)

    @property
    def state_size(self) -> int:
        return self.output_units

    @property
    def output_size(self) -> int:
        return self.output_units

    def build(self, input_shape: Any) -> None:
        self._add_kernels(self._input_dim(input_shape, "JordanRNNCell"), recurrent_rows=self.output_units)
        self._add_bias((self.units,))
        self.output_kernel = self.add_weight(shape=(self.units, self.output_units),
                                             initializer=self.output_kernel_initializer,
                                             regularizer=self.output_kernel_regularizer,
                                             constraint=self.output_kernel_constraint, name="output_kernel")
        if self.use_bias:
            self.output_bias = self.add_weight(shape=(self.output_units,), initializer=self.bias_initializer,
                                               regularizer=self.bias_regularizer, constraint=self.bias_constraint,
                                               name="output_bias")
        else:
            self.output_bias = None

    def _step_weights(self, dtype: torch.dtype) -> dict:
        return {"recurrent_kernel": cast(self.recurrent_kernel, dtype),
                "output_kernel": cast(self.output_kernel, dtype), "output_bias": cast(self.output_bias, dtype)}

    def _recur(self, z, states, weights, recurrent_masks):
        y_prev = states[0]
        if recurrent_masks is not None:
            y_prev = y_prev * recurrent_masks[0]
        hidden = fast_activation(self.activation)(torch.addmm(z, y_prev, weights["recurrent_kernel"]))
        bias = weights["output_bias"]
        out = hidden @ weights["output_kernel"] if bias is None else torch.addmm(bias, hidden, weights["output_kernel"])
        y = fast_activation(self.output_activation)(out)
        return y, [y]

    def _base_config(self) -> dict:
        return {**super()._base_config(), "output_units": self.output_units,
                "output_activation": activations.serialize(self.output_activation),
                "output_kernel_initializer": initializers.serialize(self.output_kernel_initializer),
                "output_kernel_regularizer": regularizers.serialize(self.output_kernel_regularizer),
                "output_kernel_constraint": constraints.serialize(self.output_kernel_constraint)}


@export("layerwise.layers.JordanRNN")
@delegate_to_cell(*CELL_PROPERTIES, "output_units", "output_activation", "output_kernel_initializer",
                  "output_kernel_regularizer", "output_kernel_constraint", "seed")
class JordanRNN(RNN):
    """The Jordan network: a recurrent layer whose previous output ``y_{t-1}`` (not its hidden state)
    is fed back.

    ``h_t = activation(x_t @ kernel + y_{t-1} @ recurrent_kernel + bias)`` and
    ``y_t = output_activation(h_t @ output_kernel + output_bias)``; the layer outputs ``y_t``
    (``(batch, output_units)``, or every step with ``return_sequences``) and its state is ``[y_t]``.
    It runs step by step (PyTorch has no fused kernel for it), with the input projections of all
    steps computed in one matrix product.

    Args:
        units: the hidden size. output_units: the output (and state) size, default ``units``.
        activation, output_activation, use_bias, *_initializer, *_regularizer, *_constraint,
            dropout, recurrent_dropout, seed: as :class:`JordanRNNCell`.
        activity_regularizer: penalty on the output.
        return_sequences, return_state, go_backwards, stateful, unroll: as :class:`RNN`.

    Weights:
        ``kernel`` ``(input_dim, units)``, ``recurrent_kernel`` ``(output_units, units)``, ``bias``
        ``(units,)``, ``output_kernel`` ``(units, output_units)``, ``output_bias`` ``(output_units,)``.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.JordanRNN(16, output_units=3, output_activation="softmax", return_state=True)
        >>> y, state = layer(torch.randn(2, 7, 5))
        >>> tuple(y.shape), bool(torch.equal(y, state)), round(y[0].sum().item(), 4)
        ((2, 3), True, 1.0)
    """

    def __init__(self, units: int, output_units: int | None = None, activation: Any = "tanh",
                 output_activation: Any = None, use_bias: bool = True, kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", output_kernel_initializer: Any = "glorot_uniform",
                 bias_initializer: Any = "zeros", kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                 output_kernel_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, kernel_constraint: Any = None, recurrent_constraint: Any = None,
                 output_kernel_constraint: Any = None, bias_constraint: Any = None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, seed: int | None = None, return_sequences: bool = False,
                 return_state: bool = False, go_backwards: bool = False, stateful: bool = False,
                 unroll: bool = False, **kwargs):
        check_layer_args("JordanRNN", units, dropout, recurrent_dropout)
        if output_units is not None:
            positive_int("JordanRNN", "output_units", output_units)
        cell = JordanRNNCell(units, output_units=output_units, activation=activation,
                             output_activation=output_activation, use_bias=use_bias,
                             kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
                             output_kernel_initializer=output_kernel_initializer, bias_initializer=bias_initializer,
                             kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                             output_kernel_regularizer=output_kernel_regularizer, bias_regularizer=bias_regularizer,
                             kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
                             output_kernel_constraint=output_kernel_constraint, bias_constraint=bias_constraint,
                             dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
                             **cell_kwargs(kwargs, "jordan_rnn_cell"))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = InputSpec(ndim=3)

    def get_config(self) -> dict:
        return layer_config(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> JordanRNN:
        return cls(**config)
