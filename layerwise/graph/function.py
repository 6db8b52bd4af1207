"""``Function``: a graph from input KerasTensors to output KerasTensors, and the code that runs it.

The nodes are ordered as Keras 3 orders them (a depth-first walk back from the outputs, then by
depth), so a functional model lists its layers -- and therefore its weights -- in Keras's order.
"""

from __future__ import annotations

import collections
from typing import Any

from layerwise.graph.keras_tensor import KerasTensor
from layerwise.layers import direct_call
from layerwise.layers.call_context import CONTEXT
from layerwise.utils import tree


def _walk(inputs: list, outputs: list) -> tuple[list, dict]:
    """Nodes from inputs to outputs (topological) and each operation's first-visit index."""
    finished: set = set()
    in_progress: set = set()
    ordered: list = []
    op_index: dict = {}
    input_ids = {id(t) for t in inputs}

    def visit(tensor: KerasTensor) -> None:
        history = tensor._keras_history
        if history is None:
            return
        node = history.operation._inbound_nodes[history.node_index]
        if node in finished:
            return
        if not node.is_input and id(tensor) in input_ids:
            finished.add(node)
            return
        if node in in_progress:
            raise ValueError(f"Tensor {tensor} from layer '{history.operation.name}' is part of a cycle.")
        op_index.setdefault(history.operation, len(op_index))
        in_progress.add(node)
        if not node.is_input:
            for parent_tensor in node.input_tensors:
                visit(parent_tensor)
        finished.add(node)
        in_progress.remove(node)
        ordered.append(node)

    for output in outputs:
        visit(output)
    return ordered, op_index


def map_graph(inputs: list, outputs: list) -> tuple[dict, list]:
    """``(nodes_by_depth, operations)``: depth 0 holds the output nodes; operations run inputs first."""
    ordered, op_index = _walk(inputs, outputs)
    in_graph = set(ordered)
    node_depth: dict = {}
    op_depth: dict = {}
    for node in reversed(ordered):
        depth = node_depth.setdefault(node, 0)
        depth = max(depth, op_depth.get(node.operation, 0))
        op_depth[node.operation] = depth
        node_depth[node] = depth
        for parent in node.parent_nodes:
            if parent in in_graph:
                node_depth[parent] = max(depth + 1, node_depth.get(parent, 0))
    for tensor in inputs:  # inputs that no output depends on still belong to the model
        history = tensor._keras_history
        if history is not None and history.operation not in op_depth:
            node = history.operation._inbound_nodes[history.node_index]
            if node.is_input:
                op_depth[history.operation] = 0
                op_index[history.operation] = -1
                node_depth[node] = 0

    nodes_by_depth: dict = collections.defaultdict(list)
    for node, depth in node_depth.items():
        nodes_by_depth[depth].append(node)
    ops_by_depth: dict = collections.defaultdict(list)
    for op, depth in op_depth.items():
        ops_by_depth[depth].append(op)
    operations = []
    for depth in sorted(ops_by_depth, reverse=True):
        operations.extend(sorted(ops_by_depth[depth], key=lambda op: op_index[op]))

    computable = {id(t) for t in inputs}
    seen_ops: list = []
    for depth in sorted(nodes_by_depth, reverse=True):
        for node in nodes_by_depth[depth]:
            if node.is_input:
                continue  # an Input is computable only when it is one of the declared inputs
            for tensor in node.input_tensors:
                if id(tensor) not in computable:
                    raise ValueError(
                        f"Graph disconnected: cannot obtain the value of {tensor} needed by layer "
                        f"'{node.operation.name}'. The model's inputs do not lead to it. Layers reached so far: "
                        f"{seen_ops}. Pass every `Input` the outputs depend on to `Model(inputs=...)`."
                    )
            seen_ops.append(node.operation.name)
            computable.update(id(t) for t in node.outputs)

    names = collections.Counter(op.name for op in operations)
    duplicated = [name for name, count in names.items() if count > 1]
    if duplicated:
        raise ValueError(
            f"The name {duplicated[0]!r} is used {names[duplicated[0]]} times in the model. "
            "All layer names must be unique."
        )
    return dict(nodes_by_depth), operations


class Function:
    """Runs a graph of layer calls.

    Example:
        >>> import torch, layerwise as keras
        >>> x = keras.Input((2,))
        >>> y = keras.layers.Dense(3)(x)
        >>> fn = Function([x], [y])
        >>> [op.name.split("_")[0] for op in fn.operations]
        ['input', 'dense']
    """

    def __init__(self, inputs: Any, outputs: Any):
        self.inputs = tree.flatten(inputs)
        self.outputs = tree.flatten(outputs)
        for kind, tensors in (("inputs", self.inputs), ("outputs", self.outputs)):
            for t in tensors:
                if not isinstance(t, KerasTensor):
                    raise TypeError(
                        f"Model {kind} must be symbolic tensors from `layerwise.Input(...)` and layer calls; "
                        f"received {t!r} of type {type(t).__name__}."
                    )
        for t in self.inputs:
            if t._keras_history is None:
                raise ValueError(f"Model input {t} was not created by `layerwise.Input`.")
        self.nodes_by_depth, self.operations = map_graph(self.inputs, self.outputs)
        plan = []
        for depth in sorted(self.nodes_by_depth, reverse=True):
            for node in self.nodes_by_depth[depth]:
                if node.is_input:
                    continue
                single_input = (len(node.call_args) == 1 and not node.call_kwargs
                                and isinstance(node.call_args[0], KerasTensor))
                plan.append((node, id(node.call_args[0]) if single_input else None,
                             id(node.outputs[0]) if len(node.outputs) == 1 else None))
        self._plan = plan
        self._input_ids = [id(t) for t in self.inputs]
        self._output_ids = [id(t) for t in self.outputs]

    def run(self, flat_inputs: list) -> list:
        """Values of the outputs, given values of the inputs in ``self.inputs`` order."""
        values = dict(zip(self._input_ids, flat_inputs))
        training, running = CONTEXT.training, CONTEXT.depth > 0  # running: inside the model's forward
        for node, input_id, output_id in self._plan:
            if input_id is not None:
                x = values[input_id]
                # a single-tensor node skips the layer's bookkeeping where it would do nothing
                result = direct_call.call_directly(node.operation, x, training) if running else direct_call.NOT_DIRECT
                if result is direct_call.NOT_DIRECT:
                    result = node.operation(x)
            else:
                args, kwargs = node.fill_in(values)
                result = node.operation(*args, **kwargs)
            if output_id is not None:
                values[output_id] = result
            else:
                for tensor, value in zip(node.outputs, tree.flatten(result)):
                    values[id(tensor)] = value
        return [values[i] for i in self._output_ids]
