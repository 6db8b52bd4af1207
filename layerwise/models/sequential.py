"""``Sequential``: a plain stack of layers, each with one input and one output."""

from __future__ import annotations

from typing import Any

import torch

from layerwise import config
from layerwise.api_export import export
from layerwise.graph.function import Function
from layerwise.graph.keras_tensor import KerasTensor
from layerwise.layers.call_context import CONTEXT
from layerwise.layers.core.input_layer import InputLayer
from layerwise.layers.direct_call import NOT_DIRECT, call_directly
from layerwise.layers.layer import Layer
from layerwise.models.model import Model
from layerwise.utils.dtype_utils import standardize_dtype


@export("layerwise.Sequential", "layerwise.models.Sequential")
class Sequential(Model):
    """Layers applied one after the other.

    The model is built as soon as its input shape is known: from an ``Input`` first layer, from
    ``input_shape=`` / ``input_dim=`` on the first layer, from ``build(input_shape)``, or from the
    first batch of data.

    Args:
        layers: a list of layers (``Input(...)`` may come first).
        name: the model's name.

    Example:
        >>> import layerwise as keras
        >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu")])
        >>> model.add(keras.layers.Dense(1))
        >>> model.output_shape, [layer.name.split("_")[0] for layer in model.layers]
        ((None, 1), ['dense', 'dense'])
    """

    def __init__(self, layers: list | None = None, trainable: bool = True, name: str | None = None, **kwargs):
        Model.__init__(self, trainable=trainable, name=name, **kwargs)
        self._stack: list[Layer] = []
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._maybe_rebuild()

    # ---- structure -------------------------------------------------------------------------------
    def add(self, layer: Any, rebuild: bool = True) -> None:
        """Append a layer (or an ``Input`` tensor, as the first element)."""
        if isinstance(layer, KerasTensor) and layer._keras_history is not None:
            origin = layer._keras_history.operation
            if isinstance(origin, InputLayer):
                layer = origin
        if not isinstance(layer, Layer):
            raise ValueError(
                f"Only layerwise layers can be added to a Sequential model; received {layer!r} "
                f"of type {type(layer).__name__}."
            )
        if isinstance(layer, InputLayer) and self._stack:
            raise ValueError(
                f"An `Input` can only be the first element of Sequential model '{self.name}'; it already has "
                f"layers {[l.name for l in self._stack]}."
            )
        if any(existing.name == layer.name for existing in self._stack):
            raise ValueError(
                f"All layers added to a Sequential model should have unique names. Name {layer.name!r} is "
                f"already the name of a layer in model '{self.name}'."
            )
        self._stack.append(layer)
        self.add_module(self._key(layer.name), layer)
        self.built = False
        self._function = None
        if rebuild:
            self._maybe_rebuild()

    def _key(self, name: str) -> str:
        key = name.replace(".", "_")
        return f"layer_{key}" if hasattr(type(self), key) else key

    def pop(self, rebuild: bool = True) -> Layer:
        """Remove and return the last layer."""
        if not self.layers:
            raise TypeError(f"There are no layers in Sequential model '{self.name}' to pop.")
        layer = self._stack.pop()
        del self._modules[self._key(layer.name)]
        self.built = False
        self._function = None
        if rebuild:
            self._maybe_rebuild()
        return layer

    @property
    def layers(self) -> list[Layer]:
        """The layers, without the ``InputLayer``."""
        return [layer for layer in self._stack if not isinstance(layer, InputLayer)]

    def __getitem__(self, key: int | str) -> Layer:
        """``model[0]`` or ``model["dense"]``."""
        if isinstance(key, str):
            return self.get_layer(name=key)
        return self.layers[key]

    # ---- building --------------------------------------------------------------------------------
    def _known_input(self) -> tuple[tuple | None, str | None]:
        if not self._stack:
            return None, None
        first = self._stack[0]
        if isinstance(first, InputLayer):
            return first.batch_shape, first.dtype
        if first._input_shape_arg is not None:
            return (first._batch_size_arg,) + tuple(first._input_shape_arg), None
        return None, None

    def _maybe_rebuild(self) -> None:
        self.built = False
        self._function = None
        batch_shape, dtype = self._known_input()
        if batch_shape is not None and self.layers:
            self._build_graph(batch_shape, dtype)

    def _build_graph(self, batch_shape: tuple, dtype: str | None) -> None:
        first = self._stack[0]
        if isinstance(first, InputLayer):
            inputs = first.output
        else:
            input_layer = InputLayer(batch_shape=batch_shape, dtype=dtype or config.floatx())
            inputs = input_layer.output
        x = inputs
        for layer in self.layers:
            x = layer(x)
            if not isinstance(x, KerasTensor):
                raise ValueError(
                    f"All layers in a Sequential model should have a single output tensor; layer '{layer.name}' "
                    f"returned {type(x).__name__}. Use the functional API for layers with several outputs."
                )
        self._function = Function(inputs, x)
        self._inputs_struct = inputs
        self._outputs_struct = x
        self._build_shapes = tuple(batch_shape)
        self.built = True

    def build(self, input_shape: Any = None) -> None:
        """Build for ``input_shape`` (with the batch axis, e.g. ``(None, 784)``)."""
        if input_shape is None:
            batch_shape, dtype = self._known_input()
            if batch_shape is None:
                raise ValueError(f"Sequential model '{self.name}' cannot be built without an `input_shape`.")
            self._build_graph(batch_shape, dtype)
            return
        if isinstance(input_shape, list) and input_shape and isinstance(input_shape[0], (list, tuple)):
            raise ValueError("A Sequential model has one input; `build` needs a single shape tuple.")
        self._build_graph(tuple(input_shape), None)

    def _maybe_build(self, args: tuple) -> None:
        x = args[0] if args else None
        if not isinstance(x, torch.Tensor):
            raise ValueError(f"Sequential model '{self.name}' takes a single tensor input; received {type(x).__name__}.")
        dtype = standardize_dtype(x.dtype) if not x.is_floating_point() else None
        previous = CONTEXT.creation_device
        CONTEXT.creation_device = x.device
        try:
            self._build_graph((None,) + tuple(x.shape[1:]), dtype)
        finally:
            CONTEXT.creation_device = previous

    # ---- calling ---------------------------------------------------------------------------------
    def call(self, inputs):
        if self._function is not None:
            expected = self._function.inputs[0].shape
            received = tuple(inputs.shape)
            if len(received) != len(expected) or any(
                e is not None and e != r for e, r in zip(expected[1:], received[1:])
            ):
                raise ValueError(
                    f"Sequential model '{self.name}' expects input of shape {expected}, but received input of "
                    f"shape {received}. Check the number of features of the data, or the model's input shape."
                )
        x = inputs
        training, running = CONTEXT.training, CONTEXT.depth > 0  # running: called through forward
        for layer in self._stack:
            if not isinstance(layer, InputLayer):
                out = call_directly(layer, x, training) if running else NOT_DIRECT
                x = layer(x) if out is NOT_DIRECT else out  # the direct call skips bookkeeping that does nothing
        return x

    def compute_output_spec(self, inputs, **kwargs):
        x = inputs
        for layer in self.layers:
            if not layer.built:
                layer._build_with_shapes(x.shape)
            x = layer.compute_output_spec(x)
        return x

    # ---- configuration ---------------------------------------------------------------------------
    def get_config(self) -> dict:
        from layerwise.saving.serialization_lib import serialize_keras_object

        layers = []
        for layer in self._stack:
            entry = serialize_keras_object(layer)
            build = layer.get_build_config() if not isinstance(layer, InputLayer) else None
            if build is not None:
                entry["build_config"] = build
            layers.append(entry)
        config = {"name": self.name, "trainable": self.trainable, "layers": layers}
        if self.built and self._build_shapes is not None:
            config["build_input_shape"] = list(self._build_shapes)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> "Sequential":
        from layerwise.saving.serialization_lib import deserialize_keras_object

        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for entry in config["layers"]:
            model.add(deserialize_keras_object(entry, custom_objects=custom_objects), rebuild=False)
        model._maybe_rebuild()
        shape = config.get("build_input_shape")
        if not model.built and shape is not None:
            model.build(tuple(shape))
        return model
