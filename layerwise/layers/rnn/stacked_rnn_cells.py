"""``StackedRNNCells``: several cells run as one; each step feeds a cell's output to the next cell."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.layers.rnn.base_cell import (
    BaseRNNCell,
    build_sublayer,
    follow_weights_dtype,
)
from layerwise.utils import tree


def _output_size(cell: Any) -> int:
    size = getattr(cell, "output_size", None)
    if size is not None:
        return size
    state_size = cell.state_size
    return state_size[0] if isinstance(state_size, (list, tuple)) else state_size


def _call_cell(cell: Any, x: torch.Tensor, states: list, training: bool) -> tuple:
    if isinstance(cell, Layer):
        kwargs = {"training": training} if cell._call_has_training else {}
        output, new_states = cell(x, states, **kwargs)
    else:
        output, new_states = cell.call(x, states)
    return output, (list(new_states) if tree.is_nested(new_states) else [new_states])


@export("layerwise.layers.StackedRNNCells")
class StackedRNNCells(Layer):
    """A stack of RNN cells that behaves as one cell (``RNN([cell_a, cell_b])`` builds one).

    At each timestep the input goes through ``cells[0]``, whose output is the input of
    ``cells[1]``, and so on; the states are one list per cell.

    Args:
        cells: the cells, bottom first.

    Example:
        >>> import torch, layerwise as keras
        >>> cells = keras.layers.StackedRNNCells([keras.layers.SimpleRNNCell(4), keras.layers.LSTMCell(3)])
        >>> cells.state_size
        [4, [3, 3]]
        >>> tuple(keras.layers.RNN(cells)(torch.randn(2, 5, 6)).shape)
        (2, 3)
    """

    def __init__(self, cells: list, **kwargs):
        if not isinstance(cells, (list, tuple)) or not cells:
            raise ValueError(f"`StackedRNNCells` argument `cells` must be a non-empty list of RNN cells; "
                             f"received cells={cells!r}.")
        for cell in cells:
            if not callable(getattr(cell, "call", None)) or getattr(cell, "state_size", None) is None:
                raise ValueError(f"`StackedRNNCells` argument `cells` must hold RNN cells (with `call` and "
                                 f"`state_size`); received {cell!r}.")
        super().__init__(**kwargs)
        # A ModuleList (not a tracked list) so that `torch.func.functional_call` finds `cells.0...`.
        if all(isinstance(cell, torch.nn.Module) for cell in cells):
            self.cells = torch.nn.ModuleList(cells)
        else:
            self.cells = list(cells)

    @property
    def state_size(self) -> list:
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self) -> int:
        return _output_size(self.cells[-1])

    def get_initial_state(self, batch_size: int | None = None) -> list:
        """One list of zero states per cell."""
        out = []
        for cell in self.cells:
            getter = getattr(cell, "get_initial_state", None)
            if getter is not None:
                states = getter(batch_size=batch_size)
                out.append(list(states) if tree.is_nested(states) else [states])
            else:
                sizes = cell.state_size if isinstance(cell.state_size, (list, tuple)) else [cell.state_size]
                out.append([torch.zeros((batch_size, s), dtype=self.dtype_policy.torch_compute_dtype,
                                        device=self._weight_device()) for s in sizes])
        return out

    def _apply(self, fn, recurse=True):
        result = super()._apply(fn, recurse)
        follow_weights_dtype(self)
        return result

    def build(self, input_shape: Any) -> None:
        shape = tuple(input_shape)
        for cell in self.cells:
            build_sublayer(self, cell, shape)
            shape = (shape[0], _output_size(cell))

    def call(self, inputs, states, training=False):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            cell_states = list(cell_states) if tree.is_nested(cell_states) else [cell_states]
            inputs, cell_states = _call_cell(cell, inputs, cell_states, training)
            new_states.append(cell_states)
        return inputs, new_states

    def _prepare_sequence(self, sequences: torch.Tensor, states: list, training: bool) -> tuple:
        """As :meth:`BaseRNNCell._prepare_sequence`: the first cell's inputs are projected at once."""
        steps = []
        inputs = sequences
        like = sequences[:, 0]
        dtype = sequences.dtype
        for index, (cell, cell_states) in enumerate(zip(self.cells, states)):
            if isinstance(cell, BaseRNNCell):
                input_masks, recurrent_masks = cell._dropout_masks(like, cell_states[0], training)
                weights = cell._step_weights(dtype)
                if index == 0:
                    seq_masks = None if input_masks is None else [m.unsqueeze(1) for m in input_masks]
                    inputs = cell._project(sequences, seq_masks)
                    steps.append(_recur_step(cell, None, weights, recurrent_masks, project=False))
                else:
                    steps.append(_recur_step(cell, input_masks, weights, recurrent_masks, project=True))
            else:
                steps.append(lambda x, s, cell=cell: _call_cell(cell, x, s, training))
            like = sequences.new_empty((sequences.shape[0], _output_size(cell)))

        def step(x_t, step_states):
            new_states = []
            for fn, cell_states in zip(steps, step_states):
                x_t, cell_states = fn(x_t, cell_states)
                new_states.append(cell_states)
            return x_t, new_states

        return inputs, step

    def get_config(self) -> dict:
        from layerwise.saving.serialization_lib import serialize_keras_object

        return {**super().get_config(), "cells": [serialize_keras_object(cell) for cell in self.cells]}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> StackedRNNCells:
        from layerwise.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        cells = [deserialize_keras_object(c, custom_objects=custom_objects) for c in config.pop("cells")]
        return cls(cells, **config)


def _recur_step(cell: BaseRNNCell, input_masks: list | None, weights: dict, recurrent_masks: list | None,
                project: bool):
    def step(x_t, states):
        z = cell._project(x_t, input_masks) if project else x_t
        return cell._recur(z, states, weights, recurrent_masks)

    return step
