"""``model_to_dot`` and ``plot_model``: a model's layer graph drawn by Graphviz, as Keras draws it.

One node per layer (``name (ClassName)``, optionally its output shape, dtype, activation and
whether it trains), one edge per connection between layers; nested models can be expanded into
clusters of their own layers.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

from layerwise.api_export import export
from layerwise.utils.argument_validation import one_of, positive_int

_GRAPHVIZ_HINT = ('install the graphviz Python package (pip install graphviz, or pip install "layerwise[viz]") and '
                  "the Graphviz programs (apt install graphviz, brew install graphviz, conda install graphviz, or "
                  "https://graphviz.org/download/)")


def _require_graphviz(owner: str) -> Any:
    try:
        import graphviz
    except ImportError as error:
        raise ImportError(f"`{owner}` needs the graphviz Python package, which is not installed; "
                          f"{_GRAPHVIZ_HINT}.") from error
    return graphviz


def find_dot() -> str | None:
    """The path of the Graphviz ``dot`` program, or None when it is not installed."""
    return shutil.which("dot")


# ---- walking the model ---------------------------------------------------------------------------
def _graph_nodes(model: Any) -> set | None:
    function = getattr(model, "_function", None)
    if function is None:
        return None
    return {node for nodes in function.nodes_by_depth.values() for node in nodes}


def _layers(model: Any) -> list:
    function = getattr(model, "_function", None)
    if function is not None:
        return list(function.operations)
    return list(getattr(model, "layers", []))


def _is_nested_model(layer: Any) -> bool:
    return getattr(layer, "_function", None) is not None or (hasattr(layer, "layers") and hasattr(layer, "fit"))


def _label(layer: Any, graph: set | None, options: dict) -> str:
    from layerwise.models.summary import _layer_nodes, _output_shape

    class_name = type(layer).__name__
    lines = [f"{layer.name} ({class_name})" if options["show_layer_names"] else class_name]
    if options["show_shapes"]:
        lines.append(f"Output shape: {_output_shape(layer, graph).plain}")
    if options["show_dtype"]:
        nodes = _layer_nodes(layer, graph) or list(getattr(layer, "_inbound_nodes", []))
        dtypes = [str(t.dtype) for t in nodes[-1].outputs] if nodes else []
        lines.append(f"Output dtype: {', '.join(dtypes) if dtypes else '?'}")
    if options["show_layer_activations"] and callable(getattr(layer, "activation", None)):
        lines.append(f"Activation: {getattr(layer.activation, '__name__', type(layer.activation).__name__)}")
    if options["show_trainable"]:
        lines.append(f"Trainable: {'Y' if getattr(layer, 'trainable', False) else 'N'}")
    return "\n".join(lines)


class _Builder:
    """Adds the nodes and edges of one model (and, expanded, its nested models) to a Digraph."""

    def __init__(self, dot: Any, options: dict):
        self.dot = dot
        self.options = options
        self.edges: set[tuple[str, str]] = set()

    def add_model(self, model: Any, target: Any, prefix: str) -> tuple[list[str], list[str]]:
        """Draw ``model``'s layers into ``target``; return the ids of its entry and exit nodes."""
        graph = _graph_nodes(model)
        layers = _layers(model)
        ends: dict[int, tuple[list[str], list[str]]] = {}
        for layer in layers:
            node_id = f"{prefix}{layer.name}"
            if self.options["expand_nested"] and _is_nested_model(layer) and _layers(layer):
                with target.subgraph(name=f"cluster_{node_id}") as cluster:
                    cluster.attr(label=f"{layer.name} ({type(layer).__name__})", style="dashed")
                    ends[id(layer)] = self.add_model(layer, cluster, f"{node_id}/")
            else:
                target.node(node_id, label=_label(layer, graph, self.options))
                ends[id(layer)] = ([node_id], [node_id])
        if graph is not None:
            for layer in layers:
                for node in getattr(layer, "_inbound_nodes", []):
                    if node not in graph:
                        continue
                    for tensor in node.input_tensors:
                        history = tensor._keras_history
                        if history is None or id(history.operation) not in ends:
                            continue
                        for tail in ends[id(history.operation)][1]:
                            for head in ends[id(layer)][0]:
                                self._edge(target, tail, head)
            function = model._function
            entries = [e for t in function.inputs for e in ends[id(t._keras_history.operation)][0]]
            exits = [e for t in function.outputs for e in ends[id(t._keras_history.operation)][1]]
            return list(dict.fromkeys(entries)), list(dict.fromkeys(exits))
        # no graph: a Sequential not built on an Input is a chain; a subclassed model has no known edges
        from layerwise.models.sequential import Sequential

        if isinstance(model, Sequential):
            for before, after in zip(layers, layers[1:]):
                for tail in ends[id(before)][1]:
                    for head in ends[id(after)][0]:
                        self._edge(target, tail, head)
            if layers:
                return ends[id(layers[0])][0], ends[id(layers[-1])][1]
        all_ids = [i for layer in layers for i in ends[id(layer)][0]]
        return all_ids, all_ids

    def _edge(self, target: Any, tail: str, head: str) -> None:
        if (tail, head) not in self.edges:
            self.edges.add((tail, head))
            target.edge(tail, head)


@export("layerwise.viz.model_to_dot", "layerwise.utils.model_to_dot")
def model_to_dot(model: Any, show_shapes: bool = False, show_dtype: bool = False, show_layer_names: bool = True,
                 rankdir: str = "TB", expand_nested: bool = False, dpi: int = 200,
                 show_layer_activations: bool = False, show_trainable: bool = False) -> Any:
    """The layer graph of ``model`` as a ``graphviz.Digraph`` (no Graphviz program needed).

    Node ids are the layer names (``outer/inner`` inside an expanded nested model); labels read
    ``name (ClassName)`` followed by the requested details. See :func:`plot_model` for the arguments.

    Example:
        >>> import layerwise as keras
        >>> inputs = keras.Input((4,), name="x")
        >>> outputs = keras.layers.Dense(2, name="out")(keras.layers.Dense(3, name="hidden")(inputs))
        >>> dot = model_to_dot(keras.Model(inputs, outputs), show_shapes=True)
        >>> print([line.strip() for line in dot.source.splitlines() if "->" in line])
        ['x -> hidden', 'hidden -> out']
    """
    rankdir = one_of("model_to_dot", "rankdir", rankdir, ("TB", "LR", "BT", "RL"), str.upper)
    dpi = positive_int("model_to_dot", "dpi", dpi)
    if not hasattr(model, "layers"):
        raise TypeError(f"`model_to_dot` argument `model` must be a layerwise Model; received model={model!r}.")
    if not _layers(model):
        raise ValueError(f"`model_to_dot` needs a model with layers; model {model.name!r} has none yet.")
    graphviz = _require_graphviz("model_to_dot")
    dot = graphviz.Digraph(name=model.name)
    dot.attr(rankdir=rankdir, concentrate="true", dpi=str(dpi))
    dot.attr("node", shape="box", style="rounded,filled", fillcolor="#e8f0fe", fontname="Helvetica")
    options = {"show_shapes": show_shapes, "show_dtype": show_dtype, "show_layer_names": show_layer_names,
               "expand_nested": expand_nested, "show_layer_activations": show_layer_activations,
               "show_trainable": show_trainable}
    _Builder(dot, options).add_model(model, dot, "")
    return dot


@export("layerwise.viz.plot_model", "layerwise.utils.plot_model")
def plot_model(model: Any, to_file: str | os.PathLike = "model.png", show_shapes: bool = False,
               show_dtype: bool = False, show_layer_names: bool = True, rankdir: str = "TB",
               expand_nested: bool = False, dpi: int = 200, show_layer_activations: bool = False,
               show_trainable: bool = False) -> Any:
    """Draw ``model``'s layer graph to ``to_file`` with Graphviz's ``dot`` (format from the extension).

    Args:
        model: a layerwise model (Sequential, functional; a subclassed model shows its layers only).
        to_file: the image to write: ``.png``, ``.svg``, ``.pdf``, ``.jpg``...
        show_shapes: add each layer's output shape.
        show_dtype: add each layer's output dtype.
        show_layer_names: label nodes ``name (ClassName)`` rather than ``ClassName``.
        rankdir: ``"TB"`` (top to bottom), ``"LR"``, ``"BT"`` or ``"RL"``.
        expand_nested: draw nested models as clusters of their layers.
        dpi: the resolution of bitmap formats.
        show_layer_activations: add the activation of layers that have one.
        show_trainable: add whether each layer is trainable.

    Returns:
        An ``IPython.display`` ``Image`` (or ``SVG``) of the file when IPython is installed, so a
        notebook shows it; else None (always None for formats a notebook cannot show, such as PDF).

    Example:
        >>> import layerwise as keras, tempfile, os
        >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        >>> if find_dot() is not None:  # the Graphviz programs are installed
        ...     with tempfile.TemporaryDirectory() as folder:
        ...         _ = plot_model(model, os.path.join(folder, "model.png"), show_shapes=True)
        ...         assert os.path.getsize(os.path.join(folder, "model.png")) > 0
    """
    dot = model_to_dot(model, show_shapes=show_shapes, show_dtype=show_dtype, show_layer_names=show_layer_names,
                       rankdir=rankdir, expand_nested=expand_nested, dpi=dpi,
                       show_layer_activations=show_layer_activations, show_trainable=show_trainable)
    if not isinstance(to_file, (str, os.PathLike)):
        raise TypeError(f"`plot_model` argument `to_file` must be a file path; received to_file={to_file!r}.")
    to_file = os.fspath(to_file)
    extension = os.path.splitext(to_file)[1].lower().lstrip(".")
    if not extension:
        raise ValueError("`plot_model` argument `to_file` must end with an image extension such as '.png' or "
                         f"'.svg'; received to_file={to_file!r}.")
    import graphviz

    if extension not in graphviz.FORMATS:
        raise ValueError(f"`plot_model` argument `to_file` has extension {extension!r}, which Graphviz cannot "
                         f"write; use one of png, svg, pdf, jpg; received to_file={to_file!r}.")
    if find_dot() is None:
        raise OSError(f"`plot_model` needs the Graphviz `dot` program, which was not found on PATH; {_GRAPHVIZ_HINT}.")
    try:
        data = dot.pipe(format=extension)
    except graphviz.ExecutableNotFound as error:
        raise OSError(f"`plot_model` could not run the Graphviz `dot` program; {_GRAPHVIZ_HINT}.") from error
    with open(to_file, "wb") as file:
        file.write(data)
    try:
        from IPython import display
    except ImportError:
        return None
    if extension == "svg":
        return display.SVG(filename=to_file)
    if extension in ("png", "jpg", "jpeg", "gif"):
        return display.Image(filename=to_file)
    return None
