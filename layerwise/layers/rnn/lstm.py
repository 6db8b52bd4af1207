"""``LSTMCell`` and ``LSTM``: long short-term memory, Keras's gate order i, f, c, o."""

from __future__ import annotations

from typing import Any

import torch

from layerwise import initializers
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


class _UnitForgetBias:
    """Bias initializer: the given one, with ones for the forget gate (Keras's ``unit_forget_bias``)."""

    def __init__(self, base: Any, units: int):
        self.base = base
        self.units = units

    def __call__(self, shape, dtype=None):
        units = self.units
        parts = [self.base((units,), dtype=dtype), initializers.get("ones")((units,), dtype=dtype),
                 self.base((2 * units,), dtype=dtype)]
        return torch.cat([torch.as_tensor(p) for p in parts])


@export("layerwise.layers.LSTMCell")
class LSTMCell(BaseRNNCell):
    """One LSTM step, with Keras's weight layout (gates i, f, c, o side by side).

    ``z = x_t @ kernel + h_{t-1} @ recurrent_kernel + bias``, split in four ``units``-wide blocks:
    ``i, f, o = recurrent_activation(z_i, z_f, z_o)``, ``c_t = f * c_{t-1} + i * activation(z_c)``,
    ``h_t = o * activation(c_t)``. The output is ``h_t``; the states are ``[h_t, c_t]``.

    Args:
        units: the size of ``h`` and ``c``.
        activation: default ``"tanh"``. recurrent_activation: default ``"sigmoid"``.
        use_bias: whether to add ``bias``.
        unit_forget_bias: initialise the forget-gate bias to 1 (and the rest with
            ``bias_initializer``), as Jozefowicz et al. recommend.
        kernel_initializer, recurrent_initializer, bias_initializer, *_regularizer, *_constraint,
            dropout, recurrent_dropout, seed: as :class:`SimpleRNNCell`.

    Weights:
        ``kernel`` ``(input_dim, 4 * units)``, ``recurrent_kernel`` ``(units, 4 * units)``,
        ``bias`` ``(4 * units,)``.

    Example:
        >>> import torch, layerwise as keras
        >>> cell = keras.layers.LSTMCell(3)
        >>> h, (h2, c) = cell(torch.randn(2, 4), [torch.zeros(2, 3), torch.zeros(2, 3)])
        >>> tuple(h.shape), tuple(c.shape), cell.bias.tolist()[3:6]
        ((2, 3), (2, 3), [1.0, 1.0, 1.0])
    """

    _num_gates = 4
    _per_gate_dropout = True

    def __init__(self, units: int, activation: Any = "tanh", recurrent_activation: Any = "sigmoid",
                 use_bias: bool = True, kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 unit_forget_bias: bool = True, **kwargs):
        from layerwise import activations

        super().__init__(units, activation=activation, use_bias=use_bias, kernel_initializer=kernel_initializer,
                         recurrent_initializer=recurrent_initializer, bias_initializer=bias_initializer, **kwargs)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)

    @property
    def state_size(self) -> list:
        return [self.units, self.units]

    def build(self, input_shape: Any) -> None:
        self._add_kernels(self._input_dim(input_shape, "LSTMCell"))
        init = _UnitForgetBias(self.bias_initializer, self.units) if self.unit_forget_bias else None
        self._add_bias((4 * self.units,), init)

    def _recur(self, z, states, weights, recurrent_masks):
        h, c = states
        if recurrent_masks is None:
            z = torch.addmm(z, h, weights["recurrent_kernel"])
        else:
            z = z + self._gate_matmul(h, weights["recurrent_kernel"], recurrent_masks)
        gate = fast_activation(self.recurrent_activation)
        act = fast_activation(self.activation)
        z_i, z_f, z_c, z_o = z.chunk(4, dim=-1)
        c = gate(z_f) * c + gate(z_i) * act(z_c)
        h = gate(z_o) * act(c)
        return h, [h, c]

    def _base_config(self) -> dict:
        from layerwise import activations

        return {**super()._base_config(), "recurrent_activation": activations.serialize(self.recurrent_activation),
                "unit_forget_bias": self.unit_forget_bias}


@export("layerwise.layers.LSTM")
@delegate_to_cell(*CELL_PROPERTIES, "recurrent_activation", "unit_forget_bias", "seed")
class LSTM(RNN):
    """Long short-term memory (Hochreiter & Schmidhuber, 1997), in Keras's weight layout.

    With the default ``tanh``/``sigmoid`` activations and no recurrent dropout in training, it
    runs PyTorch's fused LSTM kernel (cuDNN on CUDA; a right-padded mask becomes a packed
    sequence); otherwise a step-by-step loop with the same results. Weights copied from a Keras
    ``LSTM`` with ``set_weights`` give Keras's outputs.

    Args:
        units, activation, recurrent_activation, use_bias, unit_forget_bias, *_initializer,
            *_regularizer, *_constraint, dropout, recurrent_dropout, seed: as :class:`LSTMCell`.
        activity_regularizer: penalty on the output.
        return_sequences, return_state, go_backwards, stateful, unroll: as :class:`RNN`.
        use_cudnn: ``"auto"`` uses the fused kernel when the call allows it, ``False`` never,
            ``True`` requires it (an error otherwise).

    Input shape:
        ``(batch, time, features)``.
    Output shape:
        ``(batch, units)`` or ``(batch, time, units)``; with ``return_state``, ``[output, h, c]``.

    Example:
        >>> import torch, layerwise as keras
        >>> out, h, c = keras.layers.LSTM(4, return_state=True)(torch.randn(2, 5, 3))
        >>> tuple(out.shape), bool(torch.equal(out, h)), tuple(c.shape)
        ((2, 4), True, (2, 4))
    """

    def __init__(self, units: int, activation: Any = "tanh", recurrent_activation: Any = "sigmoid",
                 use_bias: bool = True, kernel_initializer: Any = "glorot_uniform",
                 recurrent_initializer: Any = "orthogonal", bias_initializer: Any = "zeros",
                 unit_forget_bias: bool = True, kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                 bias_regularizer: Any = None, activity_regularizer: Any = None, kernel_constraint: Any = None,
                 recurrent_constraint: Any = None, bias_constraint: Any = None, dropout: float = 0.0,
                 recurrent_dropout: float = 0.0, seed: int | None = None, return_sequences: bool = False,
                 return_state: bool = False, go_backwards: bool = False, stateful: bool = False,
                 unroll: bool = False, use_cudnn: Any = "auto", **kwargs):
        check_layer_args("LSTM", units, dropout, recurrent_dropout, use_cudnn)
        kwargs.pop("implementation", None)
        cell = LSTMCell(units, activation=activation, recurrent_activation=recurrent_activation, use_bias=use_bias,
                        kernel_initializer=kernel_initializer, recurrent_initializer=recurrent_initializer,
                        bias_initializer=bias_initializer, unit_forget_bias=unit_forget_bias,
                        kernel_regularizer=kernel_regularizer, recurrent_regularizer=recurrent_regularizer,
                        bias_regularizer=bias_regularizer, kernel_constraint=kernel_constraint,
                        recurrent_constraint=recurrent_constraint, bias_constraint=bias_constraint,
                        dropout=dropout, recurrent_dropout=recurrent_dropout, seed=seed,
                        **cell_kwargs(kwargs, "lstm_cell"))
        super().__init__(cell, return_sequences=return_sequences, return_state=return_state,
                         go_backwards=go_backwards, stateful=stateful, unroll=unroll,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.input_spec = InputSpec(ndim=3)
        set_use_cudnn(self, use_cudnn)

    _fused_states_from_outputs = False

    def _fused_ok(self, training: bool) -> bool:
        cell = self.cell
        return (is_activation(cell.activation, "tanh") and is_activation(cell.recurrent_activation, "sigmoid")
                and not (training and 0 < cell.recurrent_dropout < 1))

    def _fused_spec(self, sequences: torch.Tensor, training: bool) -> fused.FusedSpec:
        cell = self.cell
        dtype = sequences.dtype
        input_masks, _ = cell._dropout_masks(sequences[:, 0], sequences[:, 0], training)
        params = fused.torch_params(cast(cell.kernel, dtype), cast(cell.recurrent_kernel, dtype),
                                    cast(cell.bias, dtype), None)
        return fused.FusedSpec("lstm", params, cell.use_bias, None if input_masks is None else input_masks[0])

    def get_config(self) -> dict:
        return layer_config(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> LSTM:
        return cls(**config)
