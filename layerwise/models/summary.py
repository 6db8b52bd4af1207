"""``print_summary``: the table ``Model.summary()`` prints, drawn with rich as Keras 3 draws it.

One row per layer (``name (ClassName)``, output shape, parameter count; ``Connected to`` for
functional models that are not a plain chain; ``Trainable`` on request), then the parameter
totals with their sizes in bytes.

Example:
    >>> import layerwise as keras
    >>> model = keras.Sequential([keras.layers.Dense(32, input_shape=(784,)),
    ...                           keras.layers.Activation("relu"), keras.layers.Dense(10)])
    >>> captured = []
    >>> model.summary(print_fn=captured.append)
    >>> " Total params: 25,450 (99.41 KB)" in captured[0]
    True
    >>> readable_memory_size(68), format_count(25450)
    ('68.00 B', '25,450')
"""

from __future__ import annotations

import io
import re
import shutil
from typing import Any, Callable, Iterable

from rich.console import Console
from rich.table import Column, Table
from rich.text import Text

_NUMBER_STYLE = "color(34)"
_NONE_STYLE = "color(45)"
_SYMBOL_STYLE = "color(33)"
_NESTED_INDENT = "   "


def format_count(count: int) -> str:
    """``25450`` -> ``'25,450'``."""
    return f"{int(count):,}"


def readable_memory_size(num_bytes: float) -> str:
    """A byte count with a unit in 1024 steps and two decimals, e.g. ``'99.41 KB'``."""
    units = ["B", "KB", "MB", "GB", "TB", "PB"]
    size = float(num_bytes)
    for unit in units[:-1]:
        if size < 1024:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} {units[-1]}"


def weights_stats(weights: Iterable[Any]) -> tuple[int, int]:
    """``(number of scalars, bytes)`` of ``weights``, each tensor counted once."""
    unique = {id(w): w for w in weights}.values()
    count = 0
    size = 0
    for w in unique:
        numel = int(w.numel())
        count += numel
        size += numel * int(w.element_size())
    return count, size


# ---- cells ---------------------------------------------------------------------------------------
def _number(value: Any) -> Text:
    return Text(str(value), style=_NONE_STYLE if value is None else _NUMBER_STYLE)


def _shape_text(shape: Any) -> Text:
    return Text("(").append_text(Text(", ").join(_number(d) for d in shape)).append(")")


def _graph_nodes(model: Any) -> set | None:
    """The nodes of ``model``'s own graph, or None when it has no graph (subclassed, unbuilt)."""
    function = getattr(model, "_function", None)
    if function is None:
        return None
    return {node for nodes in function.nodes_by_depth.values() for node in nodes}


def _layer_nodes(layer: Any, graph: set | None) -> list:
    nodes = list(getattr(layer, "_inbound_nodes", []))
    return nodes if graph is None else [node for node in nodes if node in graph]


def _output_shape(layer: Any, graph: set | None) -> Text:
    nodes = _layer_nodes(layer, graph) or list(getattr(layer, "_inbound_nodes", []))
    if nodes:
        shapes = [tensor.shape for tensor in nodes[-1].outputs]
    else:
        shapes = _shapes_from_build(layer)
    if not shapes:
        return Text("?")
    if len(shapes) == 1:
        return _shape_text(shapes[0])
    return Text("[").append_text(Text(", ").join(_shape_text(s) for s in shapes)).append("]")


def _shapes_from_build(layer: Any) -> list:
    """Output shapes of a built layer with its own ``compute_output_shape`` (no trial run)."""
    from layerwise.layers import symbolic_call
    from layerwise.layers.layer import Layer

    build_shapes = getattr(layer, "_build_shapes", None)
    if (not isinstance(layer, Layer) or not layer.built or build_shapes is None
            or type(layer).compute_output_shape is Layer.compute_output_shape):
        return []
    try:
        shapes = layer.compute_output_shape(build_shapes)
    except Exception:  # a summary never fails because one shape cannot be inferred
        return []
    if symbolic_call.is_shape_tuple(shapes):
        return [tuple(shapes)]
    if isinstance(shapes, (list, tuple)) and all(symbolic_call.is_shape_tuple(s) for s in shapes):
        return [tuple(s) for s in shapes]
    return []


def _param_cell(layer: Any) -> Text:
    if not hasattr(layer, "built"):
        return _number(0)
    if not layer.built:
        return _number(0).append(" (unbuilt)")
    return Text(format_count(layer.count_params()), style=_NUMBER_STYLE)


def _connections(layer: Any, graph: set | None) -> Text:
    links = []
    for node in _layer_nodes(layer, graph):
        for tensor in node.input_tensors:
            history = tensor._keras_history
            if history is None:
                continue
            links.append(Text(history.operation.name).append("[").append_text(_number(history.node_index))
                         .append("][").append_text(_number(history.tensor_index)).append("]"))
    return Text(", ").join(links) if links else Text("-")


def _trainable_cell(layer: Any) -> Text:
    if not getattr(layer, "weights", None):
        return Text("-", style="bold")
    return Text("Y", style=f"bold {_NUMBER_STYLE}") if layer.trainable else Text("N", style="bold color(9)")


def _nested_layers(layer: Any) -> list:
    from layerwise.layers.layer import Layer

    try:
        layers = getattr(layer, "layers", None)
    except Exception:  # a `layers` property that cannot answer means nothing to expand
        return []
    if not isinstance(layers, (list, tuple)):
        return []
    return [sub for sub in layers if isinstance(sub, Layer)]


# ---- layout --------------------------------------------------------------------------------------
def _is_sequential_like(model: Any) -> bool:
    """Keras's rule: a graph with one node per depth, each with one input, and no shared layer."""
    from layerwise.models.sequential import Sequential

    function = getattr(model, "_function", None)
    if isinstance(model, Sequential) or function is None:
        return True
    graph = set()
    for nodes in function.nodes_by_depth.values():
        if len(nodes) > 1 or (nodes and len(nodes[0].input_tensors) > 1):
            return False
        graph.update(nodes)
    return all(len(_layer_nodes(op, graph)) <= 1 for op in function.operations)


def _column_widths(line_length: int, positions: Any, columns: int, show_trainable: bool,
                   custom: bool) -> list[int]:
    try:
        positions = [float(p) for p in positions]
    except (TypeError, ValueError):
        raise ValueError(f"`positions` must be a list of numbers; received positions={positions!r}.") from None
    if len(positions) < columns:
        raise ValueError(
            f"`positions` needs one entry per column ({columns} here); received positions={positions!r}."
        )
    positions = positions[:columns]
    relative = positions[-1] <= 1.0
    if custom:  # the last column always reaches the end of the line
        positions[-1] = 1.0 if relative else float(line_length)
    if show_trainable:
        positions = [p * 0.9 for p in positions] + [1.0 if relative else float(line_length)]
    widths = []
    current = 0
    for position in positions:
        end = int(position * line_length) if relative else int(position)
        width = end - current
        if width < 4:
            raise ValueError(
                f"`line_length`={line_length} with `positions`={positions!r} leaves a column narrower than 4 "
                "characters; pass a larger `line_length` or increasing `positions`."
            )
        widths.append(width)
        current = end
    return widths


def _layer_range_bounds(layers: list, layer_range: Any) -> tuple[int, int]:
    if layer_range is None:
        return 0, len(layers)
    if not isinstance(layer_range, (list, tuple)) or len(layer_range) != 2:
        raise ValueError(f"`layer_range` must be a list or tuple of two layer names; received {layer_range!r}.")
    if not all(isinstance(name, str) for name in layer_range):
        raise ValueError(f"`layer_range` must contain strings (names or regexes); received {layer_range!r}.")
    starts = [i for i, layer in enumerate(layers) if re.match(layer_range[0], layer.name)]
    ends = [i for i, layer in enumerate(layers) if re.match(layer_range[1], layer.name)]
    if not starts or not ends:
        raise ValueError(
            f"`layer_range` {layer_range!r} does not match the model's layer names "
            f"{[layer.name for layer in layers]}."
        )
    if min(starts) > max(ends):
        return min(ends), max(starts) + 1
    return min(starts), max(ends) + 1


def _top_level_layers(model: Any) -> list:
    from layerwise.models.sequential import Sequential

    function = getattr(model, "_function", None)
    if function is not None and not isinstance(model, Sequential):
        return list(function.operations)
    return list(model.layers)


# ---- printing ------------------------------------------------------------------------------------
def print_summary(model: Any, line_length: int | None = None, positions: Any = None,
                  print_fn: Callable[..., Any] | None = None, expand_nested: bool = False,
                  show_trainable: bool = False, layer_range: Any = None) -> None:
    """Print ``model``'s summary table and parameter totals.

    Args:
        model: a layerwise ``Model`` (Sequential, functional or subclassed).
        line_length: total width of the table (default: Keras's, capped by the terminal width).
        positions: right edges of the columns, as fractions of ``line_length`` (all <= 1) or as
            absolute character positions.
        print_fn: called once with the whole summary as plain text; default: print to stdout.
        expand_nested: also list the layers of nested models, indented under them.
        show_trainable: add a ``Trainable`` column (``Y``/``N``, ``-`` for layers without weights).
        layer_range: ``(first_name, last_name)``, names or regexes, both inclusive.
    """
    if line_length is not None and (isinstance(line_length, bool) or not isinstance(line_length, int)
                                    or line_length <= 0):
        raise ValueError(f"`line_length` must be a positive integer; received line_length={line_length!r}.")
    if print_fn is not None and not callable(print_fn):
        raise ValueError(f"`print_fn` must be callable; received print_fn={print_fn!r}.")

    sequential_like = _is_sequential_like(model)
    header = ["Layer (type)", "Output Shape", "Param #"]
    justify = ["left", "left", "right"]
    default_length, default_positions = 88, [0.45, 0.80, 1.0]
    if not sequential_like:
        header.append("Connected to")
        justify.append("left")
        default_length, default_positions = 108, [0.3, 0.56, 0.74, 1.0]
    if show_trainable:
        default_length += 12
    base_columns = len(header)
    if show_trainable:
        header.append("Trainable")
        justify.append("center")
    line_length = line_length or min(default_length, shutil.get_terminal_size().columns - 4)
    widths = _column_widths(line_length, default_positions if positions is None else positions,
                            base_columns, show_trainable, custom=positions is not None)

    columns = [Column(name, justify=align, width=width) for name, align, width in zip(header, justify, widths)]
    table = Table(*columns, width=line_length, show_lines=True)

    def rows_for(layer: Any, graph: set | None, level: int) -> list[list[Text]]:
        prefix = f"{_NESTED_INDENT * level}└ " if level else ""
        name = Text(f"{prefix}{layer.name} (").append(type(layer).__name__, style=_SYMBOL_STYLE).append(")")
        row = [name, _output_shape(layer, graph), _param_cell(layer)]
        if not sequential_like:
            row.append(_connections(layer, graph))
        if show_trainable:
            row.append(_trainable_cell(layer))
        rows = [row]
        if expand_nested:
            inner_graph = _graph_nodes(layer)
            for sub in _nested_layers(layer):
                rows.extend(rows_for(sub, inner_graph, level + 1))
        return rows

    layers = _top_level_layers(model)
    graph = _graph_nodes(model)
    start, stop = _layer_range_bounds(layers, layer_range)
    for layer in layers[start:stop]:
        for row in rows_for(layer, graph, 0):
            table.add_row(*row)

    total = list(model.weights)
    trainable_count, trainable_bytes = weights_stats(model.trainable_weights)
    frozen_count, frozen_bytes = weights_stats(model.non_trainable_weights)
    optimizer = getattr(model, "optimizer", None)
    optimizer_built = bool(getattr(model, "compiled", False) and optimizer is not None
                           and getattr(optimizer, "built", False))
    optimizer_count, optimizer_bytes = weights_stats(optimizer.variables) if optimizer_built else (0, 0)
    weight_count, weight_bytes = weights_stats(total)

    def totals_line(label: str, count: int, num_bytes: int) -> Text:
        return (Text(f" {label}: ", style="bold").append(format_count(count), style=_NUMBER_STYLE)
                .append(f" ({readable_memory_size(num_bytes)})"))

    lines = [
        Text(f'Model: "{model.name}"', style="bold"),
        table,
        totals_line("Total params", weight_count + optimizer_count, weight_bytes + optimizer_bytes),
        totals_line("Trainable params", trainable_count, trainable_bytes),
        totals_line("Non-trainable params", frozen_count, frozen_bytes),
    ]
    if optimizer_built:
        lines.append(totals_line("Optimizer params", optimizer_count, optimizer_bytes))

    if print_fn is None:
        console = Console(highlight=False, width=line_length)
    else:
        console = Console(file=io.StringIO(), width=line_length, highlight=False, force_terminal=False,
                          force_jupyter=False, color_system=None, legacy_windows=False)
    for item in lines:
        console.print(item, soft_wrap=isinstance(item, Text))
    if print_fn is not None:
        print_fn(console.file.getvalue())
