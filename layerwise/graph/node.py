"""``Node``: one call of a layer on symbolic tensors; the edges of the functional graph."""

from __future__ import annotations

from typing import Any

from layerwise.graph.keras_tensor import KerasHistory, KerasTensor
from layerwise.utils import tree


class Node:
    """Records ``operation(*call_args, **call_kwargs) -> outputs`` on symbolic tensors.

    Creating a node stamps each output with its history and appends the node to the
    operation's ``_inbound_nodes``; the operations that produced the inputs get it in their
    ``_outbound_nodes``.
    """

    def __init__(self, operation: Any, call_args: tuple = (), call_kwargs: dict | None = None, outputs: Any = None):
        self.operation = operation
        self.call_args = tuple(call_args)
        self.call_kwargs = dict(call_kwargs or {})
        self.outputs = [] if outputs is None else tree.flatten(outputs)
        self.input_tensors = [x for x in tree.flatten((self.call_args, self.call_kwargs)) if isinstance(x, KerasTensor)]
        self.is_input = not self.input_tensors
        node_index = len(operation._inbound_nodes)
        for tensor_index, tensor in enumerate(self.outputs):
            tensor._keras_history = KerasHistory(operation, node_index, tensor_index)
        operation._inbound_nodes.append(self)
        for tensor in self.input_tensors:
            if tensor._keras_history is not None:
                tensor._keras_history.operation._outbound_nodes.append(self)

    @property
    def parent_nodes(self) -> list["Node"]:
        """The nodes that produced this node's inputs."""
        parents = []
        for tensor in self.input_tensors:
            history = tensor._keras_history
            if history is not None:
                parents.append(history.operation._inbound_nodes[history.node_index])
        return parents

    def fill_in(self, values: dict[int, Any]) -> tuple[tuple, dict]:
        """The call's arguments with each KerasTensor replaced by ``values[id(tensor)]``."""

        def replace(x):
            return values[id(x)] if isinstance(x, KerasTensor) else x

        return tree.map_structure(replace, self.call_args), tree.map_structure(replace, self.call_kwargs)

    def __repr__(self) -> str:
        return f"<Node {getattr(self.operation, 'name', self.operation)} inputs={len(self.input_tensors)}>"
