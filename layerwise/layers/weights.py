"""The weights half of ``Layer``: ``add_weight`` and Keras's weight lists, in Keras's order.

A layer's ``weights`` are its own trainable weights in creation order, then its own
non-trainable ones, then those of its sublayers in attribute order -- the order Keras 3 uses, so
``model.set_weights(keras_model.get_weights())`` is a straight copy.
"""

from __future__ import annotations

from typing import Any, Iterator

import numpy as np
import torch

from layerwise import constraints, initializers, regularizers
from layerwise.utils.dtype_utils import is_float, standardize_dtype, to_torch_dtype
from layerwise.variables import Variable


def _is_trainable(p: torch.nn.Parameter) -> bool:
    return p._keras_trainable if isinstance(p, Variable) else p.requires_grad


def _standardize_weight_shape(owner: str, shape: Any) -> tuple[int, ...]:
    if shape is None:
        return ()
    if isinstance(shape, (int, np.integer)):
        shape = (int(shape),)
    try:
        dims = tuple(shape)
    except TypeError:
        raise ValueError(f"`{owner}.add_weight` argument `shape` must be a tuple of ints; received shape={shape!r}.") from None
    if any(d is None for d in dims):
        raise ValueError(
            f"`{owner}.add_weight` argument `shape` must be fully defined (no None); received shape={dims}. "
            "Create weights in `build(input_shape)`, where the input sizes are known."
        )
    return tuple(int(d) for d in dims)


class WeightsMixin:
    """Weight creation and the Keras weight API; mixed into :class:`layerwise.layers.Layer`."""

    # ---- creation ------------------------------------------------------------------------------
    def add_weight(self, shape: Any = None, initializer: Any = None, dtype: Any = None, trainable: bool = True,
                   autocast: bool = True, regularizer: Any = None, constraint: Any = None,
                   aggregation: str = "none", overwrite_with_gradient: bool = False, name: str | None = None,
                   **kwargs) -> Variable:
        """Create a weight, register it on this module, and return it.

        Args:
            shape: the weight's shape (a tuple of ints).
            initializer: name, initializer object or callable (default ``glorot_uniform`` for
                floats, ``zeros`` otherwise).
            dtype: defaults to the layer's variable dtype.
            trainable: whether optimizers update it.
            regularizer: penalty added to the training loss (``"l2"``, a ``Regularizer``...).
            constraint: projection applied after each optimizer step.
            name: the Keras name (``"kernel"``); also the ``state_dict`` key.

        Example:
            >>> import layerwise as keras
            >>> layer = keras.layers.Layer()
            >>> w = layer.add_weight(shape=(2, 3), initializer="ones", name="w")
            >>> tuple(w.shape), [v.name for v in layer.weights]
            ((2, 3), ['w'])
        """
        owner = type(self).__name__
        if isinstance(shape, str):  # Keras-2 order: add_weight(name, shape, ...)
            shape, name = (initializer if isinstance(initializer, (tuple, list)) else kwargs.pop("shape", None)), shape
            initializer = kwargs.pop("initializer", None) if isinstance(initializer, (tuple, list)) else initializer
        kwargs.pop("use_resource", None)
        kwargs.pop("synchronization", None)
        if kwargs:
            raise TypeError(f"`{owner}.add_weight` got unexpected keyword arguments: {sorted(kwargs)}.")
        shape = _standardize_weight_shape(owner, shape)
        dtype = standardize_dtype(dtype if dtype is not None else self.variable_dtype)
        if initializer is None:
            initializer = "glorot_uniform" if is_float(dtype) else "zeros"
        init = initializers.get(initializer)
        value = init(shape, dtype=dtype)
        if not isinstance(value, torch.Tensor):
            value = torch.as_tensor(np.asarray(value))
        if tuple(value.shape) != shape:
            raise ValueError(f"Initializer {init!r} returned shape {tuple(value.shape)} for weight shape {shape}.")
        value = value.to(device=self._weight_device(), dtype=to_torch_dtype(dtype))
        variable = Variable(value, trainable=trainable, name=name or "variable",
                            regularizer=regularizers.get(regularizer), constraint=constraints.get(constraint))
        variable._layer_frozen = not self._trainable
        variable._sync_requires_grad()
        key = self._unique_weight_key(name or "variable")
        variable._keras_path = f"{self.name}/{variable.name}"
        self.register_parameter(key, variable)
        return variable

    add_variable = add_weight

    def _unique_weight_key(self, name: str) -> str:
        key = name.replace(".", "_").replace("/", "_")
        taken = set(self._parameters) | set(self._modules) | set(self._buffers)
        if key in taken or (hasattr(type(self), key)):
            index = 1
            while f"{key}_{index}" in taken or hasattr(type(self), f"{key}_{index}"):
                index += 1
            key = f"{key}_{index}"
        return key

    def _weight_device(self) -> torch.device:
        if self._creation_device is not None:
            return self._creation_device
        for p in self.parameters():
            return p.device
        from layerwise import config
        from layerwise.layers.call_context import CONTEXT

        if CONTEXT.creation_device is not None:
            return CONTEXT.creation_device

        return config.default_device()

    # ---- listing -------------------------------------------------------------------------------
    def _own_weights(self) -> tuple[list, list]:
        trainable, frozen = [], []
        for p in self._parameters.values():
            if p is not None:
                (trainable if _is_trainable(p) else frozen).append(p)
        return trainable, frozen

    def _direct_sublayers(self) -> Iterator[torch.nn.Module]:
        """Direct children, looking through torch containers (ModuleList, ModuleDict, Sequential)."""
        from layerwise.layers.layer import Layer

        def walk(module):
            for child in module._modules.values():
                if child is None:
                    continue
                if isinstance(child, Layer):
                    yield child
                elif type(child) in (torch.nn.ModuleList, torch.nn.ModuleDict, torch.nn.Sequential):
                    yield from walk(child)
                else:
                    yield child

        seen = set()
        for child in walk(self):
            if id(child) not in seen:
                seen.add(id(child))
                yield child

    def _collect(self, which: str) -> list:
        from layerwise.layers.layer import Layer

        out: list = []
        seen: set[int] = set()

        def add(values):
            for v in values:
                if id(v) not in seen:
                    seen.add(id(v))
                    out.append(v)

        own_trainable, own_frozen = self._own_weights()
        if which == "all":
            add(own_trainable)
            add(own_frozen)
        elif which == "trainable":
            if not self._trainable:
                return []
            add(own_trainable)
        else:  # non-trainable
            if not self._trainable:
                return self._collect("all")
            add(own_frozen)
        for child in self._direct_sublayers():
            if isinstance(child, Layer):
                add(child._collect(which))
            else:  # a plain torch module inside a Keras layer
                params = list(child.parameters())
                if which == "all":
                    add(params)
                elif which == "trainable":
                    add(p for p in params if p.requires_grad)
                else:
                    add(p for p in params if not p.requires_grad)
        return out

    @property
    def weights(self) -> list:
        """All weights: trainable first, then non-trainable, own before sublayers'."""
        return self._collect("all")

    @property
    def trainable_weights(self) -> list:
        """The weights optimizers update (empty when ``layer.trainable`` is False)."""
        return self._collect("trainable")

    @property
    def non_trainable_weights(self) -> list:
        """The weights optimizers leave alone (moving statistics, frozen layers)."""
        return self._collect("non_trainable")

    variables = weights
    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    # ---- trainable flag ------------------------------------------------------------------------
    @property
    def trainable(self) -> bool:
        """Whether this layer's weights are updated by training; setting it recurses into sublayers."""
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        from layerwise.layers.layer import Layer

        value = bool(value)
        for module in self.modules():
            if isinstance(module, Layer):
                module._trainable = value
                for p in module._parameters.values():
                    if isinstance(p, Variable):
                        p._layer_frozen = not value
                        p._sync_requires_grad()
                    elif p is not None and p.is_floating_point():
                        p.requires_grad_(value)

    # ---- values --------------------------------------------------------------------------------
    def get_weights(self) -> list[np.ndarray]:
        """The weights as NumPy arrays, in Keras's order and layouts.

        Example:
            >>> import numpy as np, layerwise as keras
            >>> layer = keras.layers.Dense(2)
            >>> _ = layer(np.zeros((1, 3), dtype="float32"))
            >>> [w.shape for w in layer.get_weights()]
            [(3, 2), (2,)]
        """
        from layerwise.ops.core import convert_to_numpy

        # Copies: on the CPU, .numpy() would share memory with the live weights.
        return [np.array(convert_to_numpy(w), copy=True) for w in self.weights]

    def set_weights(self, weights: list) -> None:
        """Copy values into the weights, in :meth:`get_weights`'s order; all shapes are checked first.

        Example:
            >>> import numpy as np
            >>> import layerwise as keras
            >>> layer = keras.layers.Dense(1)
            >>> _ = layer(np.zeros((1, 2), dtype="float32"))
            >>> layer.set_weights([np.ones((2, 1)), np.zeros(1)])
            >>> layer(np.array([[1.0, 2.0]])).tolist()
            [[3.0]]
        """
        own = self.weights
        weights = list(weights)
        if len(weights) != len(own):
            raise ValueError(
                f"You called `set_weights(weights)` on layer '{self.name}' ({type(self).__name__}) with a list "
                f"of {len(weights)} weights, but the layer has {len(own)} weights"
                + ("" if self.built else " (it is not built yet: call it on data or `build(input_shape)` first)")
                + f": {[(w.name if isinstance(w, Variable) else 'param', tuple(w.shape)) for w in own]}."
            )
        values = []
        for variable, value in zip(own, weights):
            if isinstance(value, torch.Tensor):
                tensor = value.detach()
            else:
                array = np.asarray(value)
                if array.dtype == object:
                    raise ValueError(f"Layer '{self.name}': a weight value is not a numeric array ({type(value).__name__}).")
                tensor = torch.from_numpy(np.ascontiguousarray(array))
            if tuple(tensor.shape) != tuple(variable.shape):
                name = variable.name if isinstance(variable, Variable) else "parameter"
                raise ValueError(
                    f"Layer '{self.name}' ({type(self).__name__}) weight '{name}' has shape "
                    f"{tuple(variable.shape)}, but the value given for it has shape {tuple(tensor.shape)}."
                )
            values.append(tensor)
        with torch.no_grad():
            for variable, tensor in zip(own, values):
                variable.copy_(tensor.to(device=variable.device, dtype=variable.dtype))

    def count_params(self) -> int:
        """The number of scalars in all weights; the layer must be built.

        Example:
            >>> import layerwise as keras
            >>> keras.Sequential([keras.Input((3,)), keras.layers.Dense(4)]).count_params()
            16
        """
        if not self.built:
            raise ValueError(
                f"You called `count_params()` on layer '{self.name}' ({type(self).__name__}), but the layer "
                "isn't built. Build it with `layer.build(input_shape)` or by calling it on data."
            )
        return int(sum(w.numel() for w in self.weights))
