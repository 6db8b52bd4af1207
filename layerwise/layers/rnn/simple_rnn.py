"""``SimpleRNNCell`` and ``SimpleRNN``: the Elman network, ``h_t = act(x_t W + h_{t-1} U + b)``."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.rnn import fused
from layerwise.layers.rnn.base_cell import (
    BaseRNNCell,
    cast,
    fast_activation,
    is_activation,
)
from layerwise.layers.rnn.cell_layer import (
    CELL_PROPERTIES,
    cell_kwargs,
    check_layer_args,
    delegate_to_cell,
    layer_config,
)
from layerwise.layers.rnn.rnn import RNN


@export("layerwise.layers.SimpleRNNCell")
class SimpleRNNCell(BaseRNNCell):
    """One step of the Elman network: ``h_t = activation(x_t @ kernel + bias + h_{t-1} @ recurrent_kernel)``.

    The output is the new state ``h_t``.

    Args:
        units: the size of the state (and output).
        activation: default ``"tanh"``.
        use_bias: whether to add ``bias``.
        kernel_initializer, recurrent_initializer, bias_initializer: default ``"glorot_uniform"``,
            ``"orthogonal"``, ``"zeros"``.
        kernel_regularizer, recurrent_regularizer, bias_regularizer: penalties.
        kernel_constraint, recurrent_constraint, bias_constraint: projections after each step.
        dropout: fraction of the inputs dropped (one mask per sequence), in training.
        recurrent_dropout: fraction of ``h_{t-1}`` dropped (one mask per sequence), in training.
        seed: seed of the dropout masks.

    Weights:
        ``kernel`` ``(input_dim, units)``, ``recurrent_kernel`` ``(units, units)``, ``bias`` ``(units,)``.

    Example:
        >>> import torch, layerwise as keras
        >>> cell = keras.layers.SimpleRNNCell(3)
        >>> out, [h] = cell(torch.randn(2, 4), [torch.zeros(2, 3)])
        >>> tuple(out.shape), bool(torch.equal(out, h))
        ((2, 3), True)
    """

    def build(self, input_shape: Any) -> None:
        input_dim = self._input_dim(input_shape, "SimpleRNNCell")
        self._add_kernels(input_dim)
        self._add_bias((self.units,))

    def _recur(self, z, states, weights, recurrent_masks):
        h = states[0]
        if recurrent_masks is None:
            z = torch.addmm(z, h, weights["recurrent_kernel"]) if z.ndim == 2 else z + h @ weights["recurrent_kernel"]
        else:
            z = z + self._gate_matmul(h, weights["recurrent_kernel"], recurrent_masks)
        output = fast_activation(self.activation)(z)
        return output, [output]


@export("layerwise.layers.SimpleRNN")
@delegate_to_cell(*CELL_PROPERTIES, "seed")
class SimpleRNN(RNN):
    """A fully connected recurrent layer (the Elman network): the state is fed back.

    ``h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)``; the output at step
    ``t`` is ``h_t``. With ``tanh`` or ``relu`` (and no recurrent dropout in training) it runs
    PyTorch's fused ``rnn_tanh``/``rnn_relu`` kernel; otherwise a step-by-step loop with the same
    results.

    Args:
        units: the size of the state (and output).
        activation, use_bias, *_initializer, *_regularizer, *_constraint, dropout,
            recurrent_dropout, seed: as :class:`SimpleRNNCell`.
        activity_regularizer: penalty on the output.
        return_sequences, return_state, go_backwards, stateful, unroll: as :class:`RNN`.

    Input shape:
        ``(batch, time, features)``.
    Output shape:
        ``(batch, units)``, or ``(batch, time, units)`` with ``return_sequences``; with
        ``return_state``, ``[output, h]``.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.SimpleRNN(4, return_sequences=True, return_state=True)
        >>> seq, h = layer(torch.randn(2, 5, 3))
        >>> tuple(seq.shape), tuple(h.shape), [tuple(w.shape) for w in layer.weights]
        ((2, 5, 4), (2, 4), [(3, 4), (4, 4), (4,)])
    """

    def __init__(self, units: int, activation: Any = "tanh", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", recurrent_initializer: Any = "orthogonal",
                 bias_initializer: Any = "zeros", kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None, kernel_constraint: Any = None,
                 recurrent_constraint: Any = None, bias_constraint: Any = None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, seed: int | None = None, return_sequences: bool = False,
                 return_state: bool = False, go_backwards: bool = False, stateful: bool = False,
                 unroll: bool = False, **kwargs):
        check_layer_args("SimpleRNN", units, dropout, recurrent_dropout)
        cell = SimpleRNNCell(units, activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                             recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer,
                             kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                             bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                             recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
                             dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
                             **cell_kwargs(kwargs, "simple_rnn_cell"))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = InputSpec(ndim=3)

    def _fused_ok(self, training: bool) -> bool:
        cell = self.cell
        return is_activation(cell.activation, "tanh", "relu") and not (training and 0 < cell.recurrent_dropout < 1)

    def _fused_spec(self, sequences: torch.Tensor, training: bool) -> fused.FusedSpec:
        cell = self.cell
        dtype = sequences.dtype
        input_masks, _ = cell._dropout_masks(sequences[:, 0], sequences[:, 0], training)
        params = fused.torch_params(cast(cell.kernel, dtype), cast(cell.recurrent_kernel, dtype),
                                    cast(cell.bias, dtype), None)
        mode = "rnn_tanh" if is_activation(cell.activation, "tanh") else "rnn_relu"
        return fused.FusedSpec(mode, params, cell.use_bias, None if input_masks is None else input_masks[0])

    def get_config(self) -> dict:
        return layer_config(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> SimpleRNN:
        return cls(**config)
