"""``Bidirectional``: a recurrent layer run forwards and a copy run backwards, outputs merged."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.layers.rnn.base_cell import build_sublayer, follow_weights_dtype
from layerwise.utils import tree
from layerwise.utils.argument_validation import one_of

_MERGE_MODES = ("concat", "sum", "mul", "ave", None)


def _renamed_copy(layer: Layer, prefix: str, **overrides: Any) -> Layer:
    from layerwise.saving.serialization_lib import (
        deserialize_keras_object,
        serialize_keras_object,
    )

    config = serialize_keras_object(layer)
    config.pop("build_config", None)
    name = layer.name.removeprefix(prefix)
    config["config"] = {**config["config"], "name": f"{prefix}{name}", **overrides}
    return deserialize_keras_object(config)


@export("layerwise.layers.Bidirectional")
class Bidirectional(Layer):
    """Runs a recurrent layer over the sequence forwards and a copy of it backwards, then merges.

    Args:
        layer: the recurrent layer (``LSTM``, ``GRU``, ``SimpleRNN``, ``JordanRNN``, ``RNN``...). The
            forward layer is a fresh copy of it named ``forward_<name>``.
        merge_mode: ``"concat"`` (default), ``"sum"``, ``"mul"``, ``"ave"``, or ``None`` for the list
            ``[forward_output, backward_output]``.
        backward_layer: the layer for the backward direction (default: a copy of ``layer`` with
            ``go_backwards`` flipped, named ``backward_<name>``). It must have the opposite
            ``go_backwards`` and the same ``return_sequences``, ``return_state`` and ``stateful``.
        weights: initial weights, forward then backward.

    The backward layer's sequence output is flipped back to the input's time order before the
    merge. With ``return_sequences``, masked steps output zeros in both directions (Keras's
    ``zero_output_for_mask``). With ``return_state`` the result is
    ``[output, *forward_states, *backward_states]``; ``initial_state`` is split the same way.

    Weights:
        the forward layer's, then the backward layer's.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.Bidirectional(keras.layers.LSTM(4, return_sequences=True))
        >>> tuple(layer(torch.randn(2, 5, 3)).shape), len(layer.weights)
        ((2, 5, 8), 6)
    """

    def __init__(self, layer: Layer, merge_mode: str | None = "concat", weights: list | None = None,
                 backward_layer: Layer | None = None, **kwargs):
        if not isinstance(layer, Layer):  # ValueError, as Keras
            raise ValueError(f"`Bidirectional` argument `layer` must be a layerwise layer (an RNN); received "  # noqa: TRY004
                             f"layer={layer!r}.")
        if backward_layer is not None and not isinstance(backward_layer, Layer):
            raise ValueError(f"`Bidirectional` argument `backward_layer` must be a layerwise layer; received "
                             f"backward_layer={backward_layer!r}.")
        for attr in ("go_backwards", "return_sequences", "return_state", "stateful"):
            if not hasattr(layer, attr):
                raise ValueError(f"`Bidirectional` argument `layer` must be a recurrent layer with `{attr}`; "
                                 f"received a {type(layer).__name__}.")
        merge_mode = one_of("Bidirectional", "merge_mode", merge_mode, _MERGE_MODES)
        if backward_layer is not None:
            _check_pair(layer, backward_layer)
        super().__init__(weights=weights, **kwargs)
        self.forward_layer = _renamed_copy(layer, "forward_")
        if backward_layer is None:
            backward_layer = _renamed_copy(layer, "backward_", go_backwards=not layer.go_backwards)
        self.backward_layer = backward_layer
        for sub in (self.forward_layer, self.backward_layer):
            if hasattr(sub, "zero_output_for_mask"):
                sub.zero_output_for_mask = sub.return_sequences
        self.merge_mode = merge_mode
        self.stateful = layer.stateful
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.supports_masking = True
        self.input_spec = layer.input_spec

    def _apply(self, fn, recurse=True):
        result = super()._apply(fn, recurse)
        follow_weights_dtype(self)
        return result

    # ---- shapes and masks ------------------------------------------------------------------------
    def build(self, sequences_shape: Any, initial_state_shape: Any = None) -> None:
        build_sublayer(self, self.forward_layer, sequences_shape)
        build_sublayer(self, self.backward_layer, sequences_shape)

    def compute_output_shape(self, sequences_shape: Any, initial_state_shape: Any = None) -> Any:
        output_shape = self.forward_layer.compute_output_shape(sequences_shape)
        state_shapes: list = []
        if self.return_state:
            output_shape, state_shapes = output_shape[0], list(output_shape[1:])
        output_shape = tuple(output_shape)
        if self.merge_mode == "concat":
            output_shape = output_shape[:-1] + (None if output_shape[-1] is None else 2 * output_shape[-1],)
        outputs = [output_shape, output_shape] if self.merge_mode is None else [output_shape]
        if self.return_state:
            return tuple(outputs + state_shapes * 2)
        return tuple(outputs) if self.merge_mode is None else output_shape

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        mask = previous_mask[0] if isinstance(previous_mask, (list, tuple)) else previous_mask
        output_mask = mask if self.return_sequences else None
        masks = [output_mask, output_mask] if self.merge_mode is None else [output_mask]
        if self.return_state:  # no mask on the states (extra entries are ignored)
            return masks + [None] * (2 * len(tree.flatten(getattr(self.forward_layer, "state_size", []))))
        return masks if self.merge_mode is None else output_mask

    # ---- states ----------------------------------------------------------------------------------
    @property
    def states(self) -> tuple | None:
        forward, backward = self.forward_layer.states, self.backward_layer.states
        if forward and backward:
            return tuple(forward) + tuple(backward)
        return None

    def reset_states(self, states: Any = None) -> None:
        """Reset both directions (``states``: the forward states, then the backward ones)."""
        if not self.stateful:
            raise AttributeError(f"Layer '{self.name}' (Bidirectional) is not stateful; `reset_states()` needs "
                                 "a stateful recurrent layer.")
        if states is None:
            self.forward_layer.reset_states()
            self.backward_layer.reset_states()
            return
        half = len(states) // 2
        self.forward_layer.reset_states(list(states[:half]))
        self.backward_layer.reset_states(list(states[half:]))

    reset_state = reset_states

    # ---- calling ---------------------------------------------------------------------------------
    def call(self, sequences, initial_state=None, mask=None, training=None):
        kwargs: dict = {}
        if self.forward_layer._call_has_training:
            kwargs["training"] = training
        if self.forward_layer._call_has_mask and mask is not None:
            kwargs["mask"] = mask
        forward_kwargs, backward_kwargs = dict(kwargs), dict(kwargs)
        if initial_state is not None:
            initial_state = list(initial_state)
            half = len(initial_state) // 2
            forward_kwargs["initial_state"] = initial_state[:half]
            backward_kwargs["initial_state"] = initial_state[half:]
        y = self.forward_layer(sequences, **forward_kwargs)
        y_rev = self.backward_layer(sequences, **backward_kwargs)
        states: tuple = ()
        if self.return_state:
            states = tuple(y[1:]) + tuple(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        compute = self.dtype_policy.torch_compute_dtype
        y, y_rev = (t if t.dtype == compute else t.to(compute) for t in (y, y_rev))
        if self.return_sequences:
            y_rev = torch.flip(y_rev, dims=[1])
        if self.merge_mode == "concat":
            output = torch.cat([y, y_rev], dim=-1)
        elif self.merge_mode == "sum":
            output = y + y_rev
        elif self.merge_mode == "ave":
            output = (y + y_rev) / 2
        elif self.merge_mode == "mul":
            output = y * y_rev
        else:
            output = (y, y_rev)
        if self.return_state:
            return (*output, *states) if self.merge_mode is None else (output, *states)
        return output

    # ---- configuration ---------------------------------------------------------------------------
    def get_config(self) -> dict:
        from layerwise.saving.serialization_lib import serialize_keras_object

        return {**super().get_config(), "merge_mode": self.merge_mode,
                "layer": serialize_keras_object(self.forward_layer),
                "backward_layer": serialize_keras_object(self.backward_layer)}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> Bidirectional:
        from layerwise.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        config["layer"] = deserialize_keras_object(config["layer"], custom_objects=custom_objects)
        if config.get("backward_layer") is not None:
            config["backward_layer"] = deserialize_keras_object(config["backward_layer"],
                                                                custom_objects=custom_objects)
        return cls(**config)


def _check_pair(layer: Layer, backward_layer: Layer) -> None:
    if getattr(layer, "go_backwards", None) == getattr(backward_layer, "go_backwards", None):
        raise ValueError(f"`Bidirectional` arguments `layer` and `backward_layer` must have different "
                         f"`go_backwards`; received go_backwards={layer.go_backwards} for both.")
    for attr in ("stateful", "return_sequences", "return_state"):
        a, b = getattr(layer, attr, None), getattr(backward_layer, attr, None)
        if a != b:
            raise ValueError(f"`Bidirectional` arguments `layer` and `backward_layer` must have the same `{attr}`; "
                             f"received {attr}={a} and {attr}={b}.")
