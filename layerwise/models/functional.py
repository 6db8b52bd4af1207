"""Functional models: a ``Model`` built from ``Input`` tensors to output tensors.

``Model(inputs, outputs)`` returns a :class:`Functional`. The graph logic lives in functions over
the model so that a ``Model`` subclass calling ``super().__init__(inputs, outputs)`` works too.
The config format follows Keras 3's (``layers`` with ``inbound_nodes``, ``input_layers``,
``output_layers``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from layerwise.api_export import export
from layerwise.graph.function import Function
from layerwise.graph.keras_tensor import KerasTensor
from layerwise.layers.core.input_layer import InputLayer
from layerwise.layers.symbolic_call import specs_from_shapes
from layerwise.models.model import Model
from layerwise.utils import tree
from layerwise.utils.dtype_utils import is_float, to_torch_dtype


def init_graph(model: Model, inputs: Any, outputs: Any) -> None:
    """Turn ``model`` into a graph network from ``inputs`` to ``outputs``."""
    if isinstance(inputs, dict):
        for key, value in inputs.items():
            if not isinstance(value, KerasTensor):
                raise TypeError(f"Model input {key!r} must be a symbolic tensor from `layerwise.Input`; received {value!r}.")
    function = Function(inputs, outputs)
    model._function = function
    model._inputs_struct = _copy_structure(inputs)
    model._outputs_struct = _copy_structure(outputs)
    for operation in function.operations:
        if operation is model:
            raise ValueError(f"Model '{model.name}' cannot contain itself.")
        model.add_module(_module_key(model, operation.name), operation)
    model._graph_layers = list(function.operations)
    model.built = True
    model._build_shapes = [t.shape for t in function.inputs] if len(function.inputs) > 1 else function.inputs[0].shape


def _copy_structure(structure: Any) -> Any:
    if isinstance(structure, dict):
        return dict(structure)
    if isinstance(structure, (list, tuple)):
        return list(structure)
    return structure


def _module_key(model: Model, name: str) -> str:
    key = name.replace(".", "_")
    if hasattr(type(model), key) or key in model.__dict__:
        key = f"layer_{key}"
    return key


def input_names(model: Model) -> list[str]:
    return [t._keras_history.operation.name for t in model._function.inputs]


def output_names(model: Model) -> list[str]:
    """Names of the outputs: the dict keys for dict outputs, else the producing layers' names."""
    if isinstance(model._outputs_struct, dict):
        return sorted(model._outputs_struct)
    return [t._keras_history.operation.name for t in model._function.outputs]


def standardize_inputs(model: Model, inputs: Any) -> list[torch.Tensor]:
    """Flatten ``inputs`` in the model's input order, converted and checked against each ``Input``."""
    refs = model._function.inputs
    struct = model._inputs_struct
    if isinstance(inputs, dict):
        keys = sorted(struct) if isinstance(struct, dict) else None
        names = keys if keys is not None else input_names(model)
        missing = [n for n in names if n not in inputs]
        if missing:
            raise ValueError(
                f"Model '{model.name}' expects inputs named {names}; the dict given lacks {missing} "
                f"(it has keys {sorted(inputs)})."
            )
        flat = [inputs[n] for n in names]
    elif isinstance(inputs, (list, tuple)) and len(refs) > 1:
        flat = list(tree.flatten(inputs))
    elif isinstance(inputs, (list, tuple)) and len(refs) == 1 and len(inputs) == 1:
        flat = [inputs[0]]
    else:
        flat = [inputs]
    if len(flat) != len(refs):
        raise ValueError(f"Model '{model.name}' expects {len(refs)} input(s) but received {len(flat)}.")
    device = model._weight_device()
    return [_conform(model, ref, x, device) for ref, x in zip(refs, flat)]


def _conform(model: Model, ref: KerasTensor, x: Any, device: torch.device) -> torch.Tensor:
    mask = getattr(x, "_keras_mask", None) if isinstance(x, torch.Tensor) else None
    x = _conform_value(model, ref, x, device)
    if mask is not None and getattr(x, "_keras_mask", None) is None:
        x._keras_mask = mask  # a mask given with the input reaches the model's layers
    return x


def _conform_value(model: Model, ref: KerasTensor, x: Any, device: torch.device) -> torch.Tensor:
    if not isinstance(x, torch.Tensor):
        array = np.asarray(x)
        x = torch.from_numpy(np.ascontiguousarray(array)).to(device)
    want = to_torch_dtype(ref.dtype)
    if x.dtype != want and not (x.is_floating_point() and is_float(ref.dtype)):
        x = x.to(want)
    expected = ref.shape
    if x.ndim == len(expected) + 1 and x.shape[-1] == 1:
        x = x.squeeze(-1)
    elif x.ndim == len(expected) - 1 and expected[-1] == 1:
        x = x.unsqueeze(-1)
    received = tuple(x.shape)
    if len(received) != len(expected) or any(e is not None and e != r for e, r in zip(expected[1:], received[1:])):
        layer = ref._keras_history.operation
        raise ValueError(
            f"Input '{layer.name}' of model '{model.name}' expects data of shape {expected}, but received data "
            f"of shape {received}. Check the number of features (the last axes) of the data, or build the "
            "model with the right `Input(shape=...)`."
        )
    return x


def run_graph(model: Model, inputs: Any) -> Any:
    flat = standardize_inputs(model, inputs)
    outputs = model._function.run(flat)
    return tree.pack_sequence_as(model._outputs_struct, outputs)


def graph_output_spec(model: Model, inputs: Any) -> Any:
    specs = [KerasTensor(t.shape, dtype=t.dtype) for t in model._function.outputs]
    return tree.pack_sequence_as(model._outputs_struct, specs)


# ---- config --------------------------------------------------------------------------------------
def _tensor_ref(tensor: KerasTensor, node_keys: dict) -> list:
    history = tensor._keras_history
    node = history.operation._inbound_nodes[history.node_index]
    return [history.operation.name, node_keys.get(id(node), 0), history.tensor_index]


def _serialize_args(value: Any, node_keys: dict) -> Any:
    from layerwise.saving.serialization_lib import serialize_keras_object

    if isinstance(value, KerasTensor):
        return {"class_name": "__keras_tensor__",
                "config": {"shape": list(value.shape), "dtype": value.dtype,
                           "keras_history": _tensor_ref(value, node_keys)}}
    if isinstance(value, (list, tuple)):
        serialized = [_serialize_args(v, node_keys) for v in value]
        return serialized if isinstance(value, list) else {"class_name": "__tuple__", "config": {"value": serialized}}
    if isinstance(value, dict):
        return {k: _serialize_args(v, node_keys) for k, v in value.items()}
    return serialize_keras_object(value)


def graph_config(model: Model) -> dict:
    from layerwise.saving.serialization_lib import serialize_keras_object

    in_graph = set()
    for nodes in model._function.nodes_by_depth.values():
        in_graph.update(id(n) for n in nodes)
    node_keys: dict[int, int] = {}
    for layer in model._graph_layers:
        index = 0
        for node in layer._inbound_nodes:
            if id(node) in in_graph:
                node_keys[id(node)] = index
                index += 1
    layers = []
    for layer in model._graph_layers:
        entry = serialize_keras_object(layer)
        entry["name"] = layer.name
        build = layer.get_build_config() if not isinstance(layer, InputLayer) else None
        if build is not None:
            entry["build_config"] = build
        entry["inbound_nodes"] = [
            {"args": _serialize_args(list(node.call_args), node_keys), "kwargs": _serialize_args(node.call_kwargs, node_keys)}
            for node in layer._inbound_nodes if id(node) in in_graph and not node.is_input
        ]
        layers.append(entry)

    def refs(struct):
        if isinstance(struct, KerasTensor):
            return _tensor_ref(struct, node_keys)
        if isinstance(struct, dict):
            return {k: refs(v) for k, v in struct.items()}
        return [refs(v) for v in struct]

    return {"name": model.name, "trainable": model.trainable, "layers": layers,
            "input_layers": refs(model._inputs_struct), "output_layers": refs(model._outputs_struct)}


def _is_ref(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 3 and isinstance(value[0], str) and isinstance(value[1], int)


def graph_from_config(config: dict, custom_objects: dict | None = None) -> tuple[Any, Any, str]:
    """Rebuild the layers and nodes of a graph config; return ``(inputs, outputs, name)``."""
    from layerwise.saving.serialization_lib import deserialize_keras_object

    created: dict[str, Any] = {}
    pending: list[tuple[Any, list]] = []
    for entry in config["layers"]:
        layer = deserialize_keras_object({k: v for k, v in entry.items() if k not in ("inbound_nodes", "build_config")},
                                         custom_objects=custom_objects)
        name = entry.get("name", layer.name)
        created[name] = layer  # calling it on the recorded inputs below builds it with the same shapes
        pending.append((layer, list(entry.get("inbound_nodes", []))))
    produced: dict[tuple[str, int], list] = {}
    for name, layer in created.items():
        if isinstance(layer, InputLayer):
            produced[(name, 0)] = [layer.output]

    def resolve(value: Any) -> Any:
        if isinstance(value, dict) and value.get("class_name") == "__keras_tensor__":
            layer_name, node_index, tensor_index = value["config"]["keras_history"]
            outputs = produced.get((layer_name, node_index))
            if outputs is None:
                raise LookupError
            return outputs[tensor_index]
        if isinstance(value, dict) and value.get("class_name") == "__tuple__":
            return tuple(resolve(v) for v in value["config"]["value"])
        if isinstance(value, list):
            return [resolve(v) for v in value]
        if isinstance(value, dict) and "class_name" in value:
            return deserialize_keras_object(value, custom_objects=custom_objects)
        if isinstance(value, dict):
            return {k: resolve(v) for k, v in value.items()}
        return value

    progress = True
    while progress and any(nodes for _, nodes in pending):
        progress = False
        for layer, nodes in pending:
            while nodes:
                try:
                    args = resolve(nodes[0]["args"])
                    kwargs = resolve(nodes[0].get("kwargs", {}))
                except LookupError:
                    break
                output = layer(*args, **kwargs)
                index = sum(1 for key in produced if key[0] == layer.name)
                produced[(layer.name, index)] = tree.flatten(output)
                nodes.pop(0)
                progress = True
    if any(nodes for _, nodes in pending):
        stuck = [layer.name for layer, nodes in pending if nodes]
        raise ValueError(f"Cannot rebuild the model graph: the inputs of layers {stuck} are never produced.")

    def tensors(struct):
        if _is_ref(struct):
            return produced[(struct[0], struct[1])][struct[2]]
        if isinstance(struct, dict):
            return {k: tensors(v) for k, v in struct.items()}
        return [tensors(v) for v in struct]

    inputs = tensors(config["input_layers"])
    outputs = tensors(config["output_layers"])
    return inputs, outputs, config.get("name")


@export("layerwise.models.Functional")
class Functional(Model):
    """A model defined by a graph of layer calls from ``Input`` tensors to outputs.

    Created by ``layerwise.Model(inputs, outputs)``.

    Example:
        >>> import layerwise as keras
        >>> inputs = keras.Input((4,))
        >>> outputs = keras.layers.Dense(2)(inputs)
        >>> model = keras.Model(inputs, outputs)
        >>> type(model).__name__, model.output_shape
        ('Functional', (None, 2))
    """

    def __init__(self, inputs: Any, outputs: Any, name: str | None = None, **kwargs):
        trainable = kwargs.pop("trainable", True)
        Model.__init__(self, name=name, trainable=trainable, **kwargs)
        init_graph(self, inputs, outputs)

    def get_config(self) -> dict:
        return graph_config(self)

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> "Functional":
        inputs, outputs, name = graph_from_config(config, custom_objects)
        model = cls(inputs, outputs, name=name)
        if config.get("trainable") is False:
            model.trainable = False
        return model


__all__ = ["Functional", "specs_from_shapes"]
