"""``RNN``: runs a cell over the time axis -- states, masks, statefulness, fused or step-by-step."""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
import torch

from layerwise.api_export import export
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.layer import Layer
from layerwise.layers.rnn import fused
from layerwise.layers.rnn.base_cell import (
    BaseRNNCell,
    build_sublayer,
    follow_weights_dtype,
)
from layerwise.layers.rnn.stacked_rnn_cells import StackedRNNCells
from layerwise.layers.rnn.step_loop import run_steps
from layerwise.utils import tree


def _as_list(size: Any) -> list:
    return list(size) if isinstance(size, (list, tuple)) else [size]


@export("layerwise.layers.RNN")
class RNN(Layer):
    """Runs ``cell`` over the timesteps of ``(batch, time, features)`` inputs.

    Args:
        cell: an RNN cell (``SimpleRNNCell``, ``LSTMCell``, ``GRUCell``, ``JordanRNNCell`` or any
            layer with ``call(inputs, states) -> (output, new_states)`` and ``state_size``), or a
            list of cells, which are stacked (``StackedRNNCells``): each cell's output is the next
            one's input at every step.
        return_sequences: return the output of every step ``(batch, time, units)`` instead of the
            last one ``(batch, units)``.
        return_state: also return the final states: ``[output, *states]``.
        go_backwards: process the sequence from the last step to the first; the returned
            sequence is in that (reversed) order, as in Keras.
        stateful: the final states of a batch are the initial states of the next call (sample
            ``i`` continues sample ``i``); ``reset_states()`` sets them back to zero.
        unroll: accepted for Keras compatibility. PyTorch runs eagerly, so there is no graph loop
            to unroll: the step-by-step path is a Python loop already, and the fused path is one
            kernel; the flag changes neither.
        zero_output_for_mask: the output at a masked step is zero instead of the previous output.

    Call arguments:
        sequences: ``(batch, time, ...)``.
        initial_state: a list of state tensors (``[h, c]`` for an LSTM); default zeros.
        mask: ``(batch, time)`` booleans, False at padding (taken from the input's mask, e.g. set by
            ``Embedding(mask_zero=True)`` or ``Masking``). At a masked step the states are carried
            over unchanged and the output repeats the previous one.
        training: enables dropout in the cell.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.RNN([keras.layers.LSTMCell(4), keras.layers.GRUCell(3)], return_sequences=True)
        >>> tuple(layer(torch.randn(2, 5, 6)).shape)
        (2, 5, 3)
    """

    def __init__(self, cell: Any, return_sequences: bool = False, return_state: bool = False,
                 go_backwards: bool = False, stateful: bool = False, unroll: bool = False,
                 zero_output_for_mask: bool = False, **kwargs):
        owner = type(self).__name__
        if isinstance(cell, (list, tuple)):
            cell = StackedRNNCells(list(cell))
        if not callable(getattr(cell, "call", None)) or getattr(cell, "state_size", None) is None:
            raise ValueError(f"`{owner}` argument `cell` must be an RNN cell with a `call(inputs, states)` method "
                             f"and a `state_size` attribute (or a list of them); received cell={cell!r}.")
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.supports_masking = True
        self.input_spec = InputSpec(min_ndim=3)
        self._use_fused: Any = "auto"  # True: require the fused kernel; False: always step by step
        self._states: list | None = None

    def _apply(self, fn, recurse=True):
        result = super()._apply(fn, recurse)
        follow_weights_dtype(self)
        return result

    # ---- states ----------------------------------------------------------------------------------
    @property
    def state_size(self) -> list:
        return _as_list(self.cell.state_size)

    def _state_template(self) -> list:
        """The structure of the states, with sizes as leaves (one list per stacked cell)."""
        if isinstance(self.cell, StackedRNNCells):
            return [_as_list(c.state_size) for c in self.cell.cells]
        return _as_list(self.cell.state_size)

    def get_initial_state(self, batch_size: int) -> list:
        """Zero states for ``batch_size`` sequences (or the cell's own ``get_initial_state``)."""
        cell = self.cell
        custom = getattr(cell, "get_initial_state", None)
        if custom is not None and not isinstance(cell, (BaseRNNCell, StackedRNNCells)):
            states = custom(batch_size=batch_size)
            return list(states) if tree.is_nested(states) else [states]
        device = self._weight_device()
        dtype = self.dtype_policy.torch_compute_dtype
        return tree.map_structure(lambda size: torch.zeros((batch_size, size), dtype=dtype, device=device),
                                  self._state_template())

    @property
    def states(self) -> list | None:
        """The carried-over states of a stateful layer (None before its first call)."""
        return self._states

    def reset_states(self, states: Any = None) -> None:
        """Set the states of a stateful layer to zero (or to the given values)."""
        if not self.stateful:
            raise AttributeError(f"Layer '{self.name}' ({type(self).__name__}) is not stateful; "
                                 "`reset_states()` needs `stateful=True`.")
        if states is None:
            if self._states is not None:
                self._states = [torch.zeros_like(s) for s in self._states]
            return
        template = tree.flatten(self._state_template())
        values = tree.flatten(states) if tree.is_nested(states) else [states]
        batch = None if self._states is None else self._states[0].shape[0]
        self._states = [t.detach() for t in self._check_states(values, template, batch, "states")]

    reset_state = reset_states

    def _check_states(self, values: list, sizes: list, batch: int | None, arg: str) -> list:
        owner = f"Layer '{self.name}' ({type(self).__name__})"
        if len(values) != len(sizes):
            raise ValueError(f"{owner} argument `{arg}` must have {len(sizes)} tensors (state sizes {sizes}); "
                             f"received {len(values)}.")
        device = self._weight_device()
        dtype = self.dtype_policy.torch_compute_dtype
        out = []
        for value, size in zip(values, sizes):
            if not isinstance(value, torch.Tensor):
                value = torch.as_tensor(np.asarray(value))
            value = value.to(device=device, dtype=dtype)
            expected = (batch if batch is not None else value.shape[0], size)
            if value.ndim != 2 or tuple(value.shape) != expected:
                raise ValueError(f"{owner} argument `{arg}` must hold tensors of shape (batch, state size) = "
                                 f"{[(expected[0], s) for s in sizes]}; received shapes "
                                 f"{[tuple(np.shape(v)) for v in values]}.")
            out.append(value)
        return out

    def _initial_states(self, initial_state: Any, sequences: torch.Tensor) -> list:
        batch = sequences.shape[0]
        template = self._state_template()
        if initial_state is not None:
            values = tree.flatten(initial_state) if tree.is_nested(initial_state) else [initial_state]
            flat = self._check_states(values, tree.flatten(template), batch, "initial_state")
            return tree.pack_sequence_as(template, [v.to(sequences.device) for v in flat])
        if not self.stateful:
            return self.get_initial_state(batch)
        if self._states is None:
            self._states = tree.flatten(self.get_initial_state(batch))
        if self._states[0].shape[0] != batch:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) is stateful with batch size "
                             f"{self._states[0].shape[0]}; it received a batch of {batch}. A stateful RNN needs the "
                             "same batch size at every call (or call `reset_states` with new states).")
        return tree.pack_sequence_as(template, [s.to(sequences.device) for s in self._states])

    # ---- building and shapes ---------------------------------------------------------------------
    def build(self, sequences_shape: Any, initial_state_shape: Any = None) -> None:
        if len(sequences_shape) < 3:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) expects inputs of shape (batch, time, "
                             f"features); received shape {tuple(sequences_shape)}.")
        build_sublayer(self, self.cell, (sequences_shape[0],) + tuple(sequences_shape[2:]))

    def compute_output_shape(self, sequences_shape: Any, initial_state_shape: Any = None) -> Any:
        batch, length = sequences_shape[0], sequences_shape[1]
        output_size = getattr(self.cell, "output_size", None) or tree.flatten(self._state_template())[0]
        output = (batch, length, output_size) if self.return_sequences else (batch, output_size)
        if not self.return_state:
            return output
        states = tree.map_structure(lambda size: (batch, size), self._state_template())
        return (output, *states)

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        mask = previous_mask[0] if isinstance(previous_mask, (list, tuple)) else previous_mask
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(tree.flatten(self._state_template()))
        return output_mask

    # ---- calling ---------------------------------------------------------------------------------
    def _standardize_mask(self, mask: Any, sequences: torch.Tensor) -> torch.Tensor | None:
        if mask is None:
            return None
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        if not isinstance(mask, torch.Tensor):
            mask = torch.as_tensor(np.asarray(mask))
        if mask.ndim == 3 and mask.shape[-1] == 1:
            mask = mask.squeeze(-1)
        if tuple(mask.shape) != tuple(sequences.shape[:2]):
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) argument `mask` must have shape "
                             f"(batch, timesteps) = {tuple(sequences.shape[:2])}; received shape {tuple(mask.shape)}.")
        return mask.to(device=sequences.device, dtype=torch.bool)

    # Whether the fused kernel's final states can all be read from its outputs (not an LSTM's c).
    _fused_states_from_outputs = True

    def _fused_ok(self, training: bool) -> bool:
        """Whether this configuration can use PyTorch's fused kernel (subclasses say)."""
        return False

    def _fused_spec(self, sequences: torch.Tensor, training: bool) -> fused.FusedSpec:
        raise NotImplementedError

    def _run_fused(self, sequences, states, mask, training) -> tuple | None:
        if not self._fused_ok(training):
            return None
        lengths = None
        need_states = self.return_state or self.stateful
        if mask is not None:
            if self._use_fused == "auto" and need_states and not self._fused_states_from_outputs \
                    and not sequences.is_cuda:
                return None  # a packed LSTM on the CPU is slower than the step-by-step path
            lengths = fused.right_padded_lengths(mask)
            if lengths is None:
                return None
        return fused.run(self._fused_spec(sequences, training), sequences, list(states), lengths, self.go_backwards,
                         self.zero_output_for_mask, self.return_sequences, need_states=need_states)

    def _generic_step(self, training: bool):
        cell = self.cell
        if isinstance(cell, Layer):
            takes_training = cell._call_has_training
        else:
            takes_training = "training" in inspect.signature(cell.call).parameters
        call = cell if callable(cell) else cell.call
        kwargs = {"training": training} if takes_training else {}

        def step(x_t, states):
            output, new_states = call(x_t, states, **kwargs)
            return output, (list(new_states) if tree.is_nested(new_states) else [new_states])

        return step

    def _run_steps(self, sequences, states, mask, training) -> tuple:
        prepare = getattr(self.cell, "_prepare_sequence", None)
        if prepare is not None:
            inputs, step = prepare(sequences, states, training)
        else:
            inputs, step = sequences, self._generic_step(training)
        return run_steps(step, inputs, states, mask, self.go_backwards, self.zero_output_for_mask,
                         self.return_sequences)

    def call(self, sequences, initial_state=None, mask=None, training=False):
        if not sequences.is_floating_point():
            sequences = sequences.to(self.dtype_policy.torch_compute_dtype)
        if sequences.shape[1] == 0:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) received a sequence with 0 timesteps "
                             f"(input shape {tuple(sequences.shape)}); it needs at least one.")
        states = self._initial_states(initial_state, sequences)
        mask = self._standardize_mask(mask, sequences)
        result = None
        if self._use_fused is not False:
            result = self._run_fused(sequences, states, mask, training)
            if result is None and self._use_fused is True:
                raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) was asked to use the fused kernel "
                                 "(use_cudnn=True), but this call cannot: it needs the standard activations, no "
                                 "recurrent dropout in training, and no mask or a right-padded one. Pass "
                                 "use_cudnn='auto' to fall back to the step-by-step path.")
        if result is None:
            result = self._run_steps(sequences, states, mask, training)
        last, outputs, new_states = result
        if self.stateful:
            self._states = [s.detach() for s in tree.flatten(new_states)]
        output = outputs if self.return_sequences else last
        if self.return_state:
            return (output, *new_states)
        return output

    # ---- configuration ---------------------------------------------------------------------------
    def get_config(self) -> dict:
        from layerwise.saving.serialization_lib import serialize_keras_object

        return {**super().get_config(), "return_sequences": self.return_sequences, "return_state": self.return_state,
                "go_backwards": self.go_backwards, "stateful": self.stateful, "unroll": self.unroll,
                "zero_output_for_mask": self.zero_output_for_mask, "cell": serialize_keras_object(self.cell)}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> RNN:
        from layerwise.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        cell = deserialize_keras_object(config.pop("cell"), custom_objects=custom_objects)
        return cls(cell, **config)
