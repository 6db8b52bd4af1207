"""What the built-in recurrent cells share: arguments, weights, dropout masks, the step protocol.

A cell computes one timestep: ``cell(inputs, states) -> (output, new_states)``, as in Keras. For
speed, the built-in cells also split a step in two so the ``RNN`` driver can run a sequence with
one big matrix product for all the inputs:

* ``_project(x, masks)``: ``x @ kernel (+ input bias)``, for one step or for a whole sequence;
* ``_recur(z_t, states, weights, rec_masks)``: the rest of the step given the projected input.

Dropout follows Keras: one mask per call of the layer, shared by every timestep; with
``recurrent_dropout > 0`` each gate gets its own input and recurrent mask (Keras's
``implementation=1``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from layerwise import activations, constraints, initializers, regularizers
from layerwise.layers.call_context import CONTEXT
from layerwise.layers.layer import Layer
from layerwise.utils.argument_validation import number_in_range, positive_int

_FAST = {}


def fast_activation(fn: Callable) -> Callable:
    """The torch function behind a built-in activation (fewer Python layers per timestep)."""
    if not _FAST:
        _FAST.update({id(activations.tanh): torch.tanh, id(activations.sigmoid): torch.sigmoid,
                      id(activations.relu): torch.relu, id(activations.linear): _identity})
    return _FAST.get(id(fn), fn)


def _identity(x):
    return x


def is_activation(fn: Callable, *names: str) -> bool:
    """Whether ``fn`` is one of the named built-in activations (or its torch function)."""
    torch_fns = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu}
    return any(fn is getattr(activations, name) or fn is torch_fns.get(name) for name in names)


def build_sublayer(owner: Layer, layer: Any, input_shape: Any) -> None:
    """Build ``layer`` (a cell or wrapped layer) for ``input_shape`` on ``owner``'s device."""
    if not isinstance(layer, Layer) or layer.built:
        return
    previous = CONTEXT.creation_device
    CONTEXT.creation_device = owner._weight_device()
    try:
        layer._build_with_shapes(input_shape)
    finally:
        CONTEXT.creation_device = previous


def follow_weights_dtype(layer: Layer) -> None:
    """After ``.double()``/``.to(dtype)`` on a wrapper that owns no weights itself (RNN,
    Bidirectional...), take the dtype of its sublayers' weights, as a layer with weights does."""
    first = next((p for p in layer.parameters() if p.is_floating_point()), None)
    if first is not None and first.dtype != layer.dtype_policy.torch_variable_dtype:
        from layerwise import dtype_policies
        from layerwise.utils.dtype_utils import standardize_dtype

        layer.dtype_policy = dtype_policies.DTypePolicy(standardize_dtype(first.dtype))


def cast(weight: torch.Tensor | None, dtype: torch.dtype) -> torch.Tensor | None:
    return weight if weight is None or weight.dtype == dtype else weight.to(dtype)


class BaseRNNCell(Layer):
    """Common arguments of SimpleRNNCell, LSTMCell, GRUCell and JordanRNNCell (not public)."""

    _num_gates = 1  # blocks of ``units`` columns in ``kernel``
    _per_gate_dropout = False  # Keras's implementation=1 (one mask per gate) when recurrent_dropout > 0

    def __init__(self, units: int, activation: Any = "tanh", use_bias: bool = True,
                 kernel_initializer: Any = "glorot_uniform", recurrent_initializer: Any = "orthogonal",
                 bias_initializer: Any = "zeros", kernel_regularizer: Any = None, recurrent_regularizer: Any = None,
                 bias_regularizer: Any = None, kernel_constraint: Any = None, recurrent_constraint: Any = None,
                 bias_constraint: Any = None, dropout: float = 0.0, recurrent_dropout: float = 0.0,
                 seed: int | None = None, **kwargs):
        owner = type(self).__name__
        kwargs.pop("implementation", None)
        units = positive_int(owner, "units", units)
        dropout = number_in_range(owner, "dropout", dropout, 0, 1)
        recurrent_dropout = number_in_range(owner, "recurrent_dropout", recurrent_dropout, 0, 1)
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ValueError(f"`{owner}` argument `seed` must be an integer or None; received seed={seed!r}.")
        super().__init__(**kwargs)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.recurrent_regularizer = regularizers.get(recurrent_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = dropout
        self.recurrent_dropout = recurrent_dropout
        self.seed = seed
        self._generator: torch.Generator | None = None

    # ---- Keras's cell interface ------------------------------------------------------------------
    @property
    def state_size(self) -> Any:
        return self.units

    @property
    def output_size(self) -> int:
        return self.units

    def get_initial_state(self, batch_size: int | None = None) -> list[torch.Tensor]:
        """Zero states: one ``(batch_size, size)`` tensor per entry of ``state_size``."""
        sizes = self.state_size if isinstance(self.state_size, (list, tuple)) else [self.state_size]
        device = self._weight_device()
        dtype = self.dtype_policy.torch_compute_dtype
        return [torch.zeros((batch_size, size), dtype=dtype, device=device) for size in sizes]

    def _input_dim(self, input_shape: Any, owner: str) -> int:
        input_dim = input_shape[-1] if input_shape else None
        if input_dim is None:
            raise ValueError(f"Layer '{self.name}' ({owner}) needs a known last input axis; received shape "
                             f"{input_shape}.")
        return int(input_dim)

    def _add_kernels(self, input_dim: int, recurrent_rows: int | None = None) -> None:
        columns = self.units * self._num_gates
        self.kernel = self.add_weight(shape=(input_dim, columns), initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer, constraint=self.kernel_constraint,
                                      name="kernel")
        rows = self.units if recurrent_rows is None else recurrent_rows
        self.recurrent_kernel = self.add_weight(shape=(rows, columns), initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint, name="recurrent_kernel")

    def _add_bias(self, shape: tuple, initializer: Any = None) -> None:
        if not self.use_bias:
            self.bias = None
            return
        self.bias = self.add_weight(shape=shape, initializer=initializer or self.bias_initializer,
                                    regularizer=self.bias_regularizer, constraint=self.bias_constraint, name="bias")

    # ---- dropout ---------------------------------------------------------------------------------
    def _seeded(self, device: torch.device) -> torch.Generator | None:
        if self.seed is None:
            return None
        if self._generator is None or self._generator.device != device:
            self._generator = torch.Generator(device=device).manual_seed(int(self.seed))
        return self._generator

    def _masks(self, like: torch.Tensor, rate: float, count: int) -> list[torch.Tensor]:
        shape = (count,) + tuple(like.shape)
        keep = torch.empty(shape, dtype=like.dtype, device=like.device)
        keep.bernoulli_(1.0 - rate, generator=self._seeded(like.device))
        return list((keep / (1.0 - rate)).unbind(0))

    def _dropout_masks(self, step_input: torch.Tensor, state: torch.Tensor, training: bool) -> tuple:
        """``(input_masks, recurrent_masks)`` for one call: lists of tensors, or None (as Keras, a
        rate of exactly 0 or 1 drops nothing)."""
        count = self._num_gates if (self._per_gate_dropout and self.recurrent_dropout > 0) else 1
        input_masks = recurrent_masks = None
        if training and 0.0 < self.dropout < 1.0:
            input_masks = self._masks(step_input, self.dropout, count)
        if training and 0.0 < self.recurrent_dropout < 1.0:
            recurrent_masks = self._masks(state, self.recurrent_dropout, count)
        return input_masks, recurrent_masks

    def _gate_matmul(self, x: torch.Tensor, weight: torch.Tensor, masks: list | None) -> torch.Tensor:
        """``x @ weight`` where gate ``k`` (a block of ``units`` columns) sees ``x * masks[k]``."""
        if masks is None:
            return torch.matmul(x, weight)
        if len(masks) == 1:
            return torch.matmul(x * masks[0], weight)
        blocks = weight.split(self.units, dim=-1)
        return torch.cat([torch.matmul(x * m, w) for m, w in zip(masks, blocks)], dim=-1)

    # ---- the step protocol -----------------------------------------------------------------------
    def _input_bias(self) -> torch.Tensor | None:
        return self.bias

    def _project(self, x: torch.Tensor, masks: list | None) -> torch.Tensor:
        """The input half of a step for every position of ``x`` (``(..., input_dim)``)."""
        kernel = cast(self.kernel, x.dtype)
        z = self._gate_matmul(x, kernel, masks)
        bias = self._input_bias()
        return z if bias is None else z + cast(bias, x.dtype)

    def _recur(self, z: torch.Tensor, states: list, weights: dict, recurrent_masks: list | None) -> tuple:
        raise NotImplementedError

    def _step_weights(self, dtype: torch.dtype) -> dict:
        return {"recurrent_kernel": cast(self.recurrent_kernel, dtype)}

    def _prepare_sequence(self, sequences: torch.Tensor, states: list, training: bool) -> tuple:
        """``(projected_inputs, step)``: the projected inputs ``(batch, time, ...)`` of every timestep
        and ``step(z_t, states) -> (output, new_states)``, with this call's dropout masks."""
        input_masks, recurrent_masks = self._dropout_masks(sequences[:, 0], states[0], training)
        if input_masks is not None:
            input_masks = [m.unsqueeze(1) for m in input_masks]
        projected = self._project(sequences, input_masks)
        weights = self._step_weights(sequences.dtype)

        def step(z_t, step_states):
            return self._recur(z_t, step_states, weights, recurrent_masks)

        return projected, step

    def call(self, inputs, states, training=False):
        single = not isinstance(states, (list, tuple))
        states = [states] if single else list(states)
        if not inputs.is_floating_point():
            inputs = inputs.to(self.dtype_policy.torch_compute_dtype)
        input_masks, recurrent_masks = self._dropout_masks(inputs, states[0], training)
        z = self._project(inputs, input_masks)
        output, new_states = self._recur(z, states, self._step_weights(inputs.dtype), recurrent_masks)
        return output, (new_states[0] if single else new_states)

    # ---- configuration ---------------------------------------------------------------------------
    def _base_config(self) -> dict:
        return {
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "recurrent_regularizer": regularizers.serialize(self.recurrent_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }

    def get_config(self) -> dict:
        return {**super().get_config(), **self._base_config()}
