"""``GRUCell`` and ``GRU``: gated recurrent units, Keras's gate order z, r, h and ``reset_after``."""

from __future__ import annotations

from typing import Any

import torch

from layerwise import activations
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
    set_use_cudnn,
)
from layerwise.layers.rnn.rnn import RNN


@export("layerwise.layers.GRUCell")
class GRUCell(BaseRNNCell):
    """One GRU step, with Keras's weight layout (gates z, r, h side by side).

    ``z = recurrent_activation(x W_z + h U_z + b_z)`` (update gate), ``r`` likewise (reset gate),
    candidate ``hh = activation(x W_h + r * (h U_h + b'_h) + b_h)`` with ``reset_after=True`` (the
    default, cuDNN's form, two bias rows) or ``activation(x W_h + (r * h) U_h + b_h)`` with
    ``reset_after=False``; then ``h_t = z * h_{t-1} + (1 - z) * hh``.

    Args:
        units: the size of the state.
        activation: default ``"tanh"``. recurrent_activation: default ``"sigmoid"``.
        reset_after: where the reset gate applies (see above).
        use_bias, *_initializer, *_regularizer, *_constraint, dropout, recurrent_dropout, seed:
            as :class:`SimpleRNNCell`.

    Weights:
        ``kernel`` ``(input_dim, 3 * units)``, ``recurrent_kernel`` ``(units, 3 * units)``, ``bias``
        ``(2, 3 * units)`` (input and recurrent biases) with ``reset_after``, else ``(3 * units,)``.

    Example:
        >>> import torch, layerwise as keras
        >>> cell = keras.layers.GRUCell(3)
        >>> h, [state] = cell(torch.randn(2, 4), [torch.zeros(2, 3)])
        >>> tuple(h.shape), tuple(cell.bias.shape)
        ((2, 3), (2, 9))
    """

    _num_gates = 3
    _per_gate_dropout = True

    def __init__(self, units: int, activation: Any = "tanh", recurrent_activation: Any = "sigmoid",
                 use_bias: bool = True, reset_after: bool = True, **kwargs):
        super().__init__(units, activation=activation, use_bias=use_bias, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = bool(reset_after)

    def build(self, input_shape: Any) -> None:
        self._add_kernels(self._input_dim(input_shape, "GRUCell"))
        self._add_bias((2, 3 * self.units) if self.reset_after else (3 * self.units,))

    def _input_bias(self) -> torch.Tensor | None:
        if self.bias is None:
            return None
        return self.bias[0] if self.reset_after else self.bias

    def _step_weights(self, dtype: torch.dtype) -> dict:
        weights = {"recurrent_kernel": cast(self.recurrent_kernel, dtype), "recurrent_bias": None}
        if self.reset_after and self.bias is not None:
            weights["recurrent_bias"] = cast(self.bias[1], dtype)
        return weights

    def _recur(self, z, states, weights, recurrent_masks):
        h = states[0]
        kernel = weights["recurrent_kernel"]
        units = self.units
        gate = fast_activation(self.recurrent_activation)
        act = fast_activation(self.activation)
        x_z, x_r, x_h = z.chunk(3, dim=-1)
        if self.reset_after:
            inner = self._gate_matmul(h, kernel, recurrent_masks)
            if weights["recurrent_bias"] is not None:
                inner = inner + weights["recurrent_bias"]
            i_z, i_r, i_h = inner.chunk(3, dim=-1)
            update = gate(x_z + i_z)
            reset = gate(x_r + i_r)
            candidate = act(x_h + reset * i_h)
        else:
            masks = recurrent_masks
            h_gates = [h] * 3 if masks is None else [h * masks[min(k, len(masks) - 1)] for k in range(3)]
            i_z = h_gates[0] @ kernel[:, :units]
            i_r = h_gates[1] @ kernel[:, units:2 * units]
            update = gate(x_z + i_z)
            reset = gate(x_r + i_r)
            candidate = act(x_h + (reset * h_gates[2]) @ kernel[:, 2 * units:])
        h = update * h + (1.0 - update) * candidate
        return h, [h]

    def _base_config(self) -> dict:
        return {**super()._base_config(), "recurrent_activation": activations.serialize(self.recurrent_activation),
                "reset_after": self.reset_after}


@export("layerwise.layers.GRU")
@delegate_to_cell(*CELL_PROPERTIES, "recurrent_activation", "reset_after", "seed")
class GRU(RNN):
    """Gated recurrent unit (Cho et al., 2014), in Keras's weight layout (``reset_after=True``).

    With ``tanh``/``sigmoid``, ``reset_after=True`` and no recurrent dropout in training, it runs
    PyTorch's fused GRU kernel (the gates are reordered from Keras's z, r, h to torch's r, z, n at
    call time); otherwise a step-by-step loop with the same results.

    Args:
        units, activation, recurrent_activation, use_bias, reset_after, *_initializer,
            *_regularizer, *_constraint, dropout, recurrent_dropout, seed: as :class:`GRUCell`.
        activity_regularizer: penalty on the output.
        return_sequences, return_state, go_backwards, stateful, unroll: as :class:`RNN`.
        use_cudnn: ``"auto"``, ``False`` or ``True``, as :class:`LSTM`.

    Input shape:
        ``(batch, time, features)``.
    Output shape:
        ``(batch, units)`` or ``(batch, time, units)``; with ``return_state``, ``[output, h]``.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.GRU(4, return_sequences=True)
        >>> tuple(layer(torch.randn(2, 5, 3)).shape), [tuple(w.shape) for w in layer.weights]
        ((2, 5, 4), [(3, 12), (4, 12), (2, 12)])
    """

    def __init__(self, units: int, activation: Any = "tanh", recurrent_activation: Any = "sigmoid",
                 use_bias: bool = True, kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 kernel_regularizer: Any = None, recurrent_regularizer: Any = None, bias_regularizer: Any = None,
                 activity_regularizer: Any = None, kernel_constraint: Any = None, recurrent_constraint: Any = None,
                 bias_constraint: Any = None, dropout: float = 0.0, recurrent_dropout: float = 0.0,
                 seed: int | None = None, return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False, reset_after: bool = True,
                 use_cudnn: Any = "auto", **kwargs):
        check_layer_args("GRU", units, dropout, recurrent_dropout, use_cudnn)
        kwargs.pop("implementation", None)
        cell = GRUCell(units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
                       kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
                       bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                       recurrent_regularizer=recurrent_regularizer, bias_regularizer=bias_regularizer,
                       kernel_constraint=kernel_constraint, recurrent_constraint=recurrent_constraint,
                       bias_constraint=bias_constraint, dropout=dropout, recurrent_dropout=recurrent_dropout,
                       reset_after=reset_after, seed=seed, **cell_kwargs(kwargs, "gru_cell"))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = InputSpec(ndim=3)
        set_use_cudnn(self, use_cudnn)

    def _fused_ok(self, training: bool) -> bool:
        cell = self.cell
        return (cell.reset_after and is_activation(cell.activation, "tanh")
                and is_activation(cell.recurrent_activation, "sigmoid")
                and not (training and 0 < cell.recurrent_dropout < 1))

    def _fused_spec(self, sequences: torch.Tensor, training: bool) -> fused.FusedSpec:
        cell = self.cell
        dtype = sequences.dtype
        input_masks, _ = cell._dropout_masks(sequences[:, 0], sequences[:, 0], training)
        bias = cast(cell.bias, dtype)
        params = fused.torch_params(cast(cell.kernel, dtype), cast(cell.recurrent_kernel, dtype),
                                    None if bias is None else bias[0], None if bias is None else bias[1],
                                    order=[1, 0, 2])  # Keras z, r, h -> torch r, z, n
        return fused.FusedSpec("gru", params, cell.use_bias, None if input_masks is None else input_masks[0])

    def get_config(self) -> dict:
        return layer_config(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> GRU:
        return cls(**config)
