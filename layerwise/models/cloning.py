"""Models from configs and JSON, and ``clone_model``."""

from __future__ import annotations

import json
from typing import Any, Callable

from layerwise.api_export import export


@export("layerwise.models.model_from_config")
def model_from_config(config: dict, custom_objects: dict | None = None) -> Any:
    """A model (or layer) from a serialized config ``{"class_name": ..., "config": ...}``.

    Example:
        >>> import layerwise as keras
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> keras.saving.serialize_keras_object(model)["class_name"]
        'Sequential'
    """
    from layerwise.saving.serialization_lib import deserialize_keras_object

    return deserialize_keras_object(config, custom_objects=custom_objects)


@export("layerwise.models.model_from_json")
def model_from_json(json_string: str, custom_objects: dict | None = None) -> Any:
    """A model from :meth:`Model.to_json`'s output (new weights).

    Example:
        >>> import layerwise as keras
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> keras.models.model_from_json(model.to_json()).output_shape
        (None, 1)
    """
    try:
        config = json.loads(json_string)
    except ValueError as error:
        raise ValueError(f"`model_from_json` received text that is not valid JSON: {error}.") from None
    return model_from_config(config, custom_objects=custom_objects)


@export("layerwise.models.clone_model")
def clone_model(model: Any, input_tensors: Any = None, clone_function: Callable | None = None,
                custom_objects: dict | None = None) -> Any:
    """A new model with the same architecture and freshly initialised weights.

    Args:
        model: a ``Sequential`` or functional model.
        clone_function: ``layer -> new layer`` used for each layer (default: the layer rebuilt
            from its config).

    Example:
        >>> import layerwise as keras
        >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        >>> clone = keras.models.clone_model(model)
        >>> clone.output_shape, clone.layers[0] is model.layers[0]
        ((None, 2), False)
    """
    from layerwise.layers.core.input_layer import InputLayer
    from layerwise.models.functional import Functional
    from layerwise.models.sequential import Sequential
    from layerwise.saving.object_registration import CustomObjectScope

    if input_tensors is not None:
        raise ValueError("`clone_model` does not support `input_tensors`; call the clone on new inputs instead.")

    def default_clone(layer):
        return type(layer).from_config(layer.get_config())

    clone = clone_function or default_clone
    with CustomObjectScope(custom_objects or {}):
        if isinstance(model, Sequential):
            layers = [layer if isinstance(layer, InputLayer) else clone(layer) for layer in model._stack]
            if layers and isinstance(layers[0], InputLayer):
                layers[0] = InputLayer(batch_shape=layers[0].batch_shape, dtype=layers[0].dtype,
                                       name=layers[0].name)
            new = Sequential(layers, name=model.name)
            if not new.built and model.built and model._build_shapes is not None:
                new.build(model._build_shapes)
            return new
        if model._function is None:
            raise ValueError(
                f"`clone_model` works on Sequential and functional models; model '{model.name}' is a subclassed "
                "model. Create a new instance of its class instead."
            )
        return _clone_graph(model, clone, Functional)


def _clone_graph(model: Any, clone: Callable, functional_cls: type) -> Any:
    from layerwise.graph.keras_tensor import KerasTensor
    from layerwise.layers.core.input_layer import InputLayer
    from layerwise.utils import tree

    function = model._function
    new_values: dict[int, Any] = {}
    new_layers: dict[int, Any] = {}
    for tensor in function.inputs:
        layer = tensor._keras_history.operation
        fresh = InputLayer(batch_shape=layer.batch_shape, dtype=layer.dtype, name=layer.name)
        new_values[id(tensor)] = fresh.output
    for depth in sorted(function.nodes_by_depth, reverse=True):
        for node in function.nodes_by_depth[depth]:
            if node.is_input:
                continue
            layer = node.operation
            if id(layer) not in new_layers:
                new_layers[id(layer)] = clone(layer)
            args, kwargs = node.fill_in(new_values)
            outputs = new_layers[id(layer)](*args, **kwargs)
            for old, new in zip(node.outputs, tree.flatten(outputs)):
                new_values[id(old)] = new

    def remap(struct):
        return tree.map_structure(lambda t: new_values[id(t)] if isinstance(t, KerasTensor) else t, struct)

    return functional_cls(remap(model._inputs_struct), remap(model._outputs_struct), name=model.name)
