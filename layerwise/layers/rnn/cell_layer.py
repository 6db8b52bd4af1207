"""Helpers for the recurrent layers that own one built-in cell (SimpleRNN, JordanRNN, LSTM, GRU)."""

from __future__ import annotations

from typing import Any

from layerwise.layers.rnn.rnn import RNN
from layerwise.utils.argument_validation import number_in_range, one_of, positive_int

CELL_PROPERTIES = ("units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer",
                   "bias_initializer", "kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
                   "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout")


def delegate_to_cell(*names: str):
    """Class decorator: read-only properties that return ``self.cell.<name>`` (Keras's LSTM.units...)."""

    def decorate(cls):
        for name in names:
            setattr(cls, name, property(lambda self, _name=name: getattr(self.cell, _name)))
        return cls

    return decorate


def check_layer_args(owner: str, units: Any, dropout: Any, recurrent_dropout: Any, use_cudnn: Any = "auto") -> None:
    """Refuse bad arguments with the layer's name (before the cell is created)."""
    positive_int(owner, "units", units)
    number_in_range(owner, "dropout", dropout, 0, 1)
    number_in_range(owner, "recurrent_dropout", recurrent_dropout, 0, 1)
    one_of(owner, "use_cudnn", use_cudnn, ("auto", True, False))


def cell_kwargs(kwargs: dict, name: str) -> dict:
    """The keyword arguments the layer passes on to its cell (dtype, trainable, a fixed name)."""
    return {"dtype": kwargs.get("dtype"), "trainable": kwargs.get("trainable", True), "name": name}


def set_use_cudnn(layer: RNN, use_cudnn: Any) -> None:
    layer.use_cudnn = use_cudnn
    layer._use_fused = use_cudnn


def layer_config(layer: RNN) -> dict:
    """``RNN.get_config`` without the cell, plus the cell's arguments (Keras's layout)."""
    config = RNN.get_config(layer)
    del config["cell"]
    config.setdefault("activity_regularizer", None)
    config.update(layer.cell._base_config())
    return config
