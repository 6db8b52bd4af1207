"""The graph half of ``Layer``: the symbolic tensors a layer was called on in a functional model."""

from __future__ import annotations

from typing import Any

from layerwise.graph.keras_tensor import KerasTensor


class ConnectivityMixin:
    """``input``, ``output``, ``input_shape`` and ``output_shape`` from the layer's first graph node."""

    def _node_output(self, attribute: str) -> Any:
        if not self._inbound_nodes:
            raise AttributeError(
                f"Layer '{self.name}' has never been called on a symbolic input, so it has no `{attribute}`."
            )
        node = self._inbound_nodes[0]
        tensors = node.input_tensors if attribute.startswith("input") else node.outputs
        value = tensors[0] if len(tensors) == 1 else list(tensors)
        return value

    @property
    def input(self) -> Any:
        return self._node_output("input")

    @property
    def output(self) -> Any:
        return self._node_output("output")

    @property
    def input_shape(self) -> Any:
        value = self._node_output("input_shape")
        return value.shape if isinstance(value, KerasTensor) else [v.shape for v in value]

    @property
    def output_shape(self) -> Any:
        value = self._node_output("output_shape")
        return value.shape if isinstance(value, KerasTensor) else [v.shape for v in value]
