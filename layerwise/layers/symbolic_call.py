"""Calling a layer on symbolic tensors: build it, infer output shapes, record a graph node.

Output shapes come from the layer's ``compute_output_shape`` when it has one. Otherwise the layer
is run twice on small zero tensors, with the unknown sizes (``None``) replaced by different
values each time; an output size that changes between the two runs is unknown (``None``), one
that stays is fixed. This gives custom layers shape inference with no extra code.
"""

from __future__ import annotations

from typing import Any

import torch

from layerwise.graph.keras_tensor import KerasTensor
from layerwise.layers.call_context import CONTEXT
from layerwise.utils import tree
from layerwise.utils.dtype_utils import standardize_dtype, to_torch_dtype

_TRIAL_SIZES = ((2, 3), (3, 5))  # (batch size, other unknown size) for the two runs


def shape_of(x: Any) -> Any:
    """The shape structure of a structure of tensors (tuples, ``None`` for non-tensors)."""
    return tree.map_structure(lambda t: tuple(t.shape) if hasattr(t, "shape") else None, x)


def is_shape_tuple(value: Any) -> bool:
    return isinstance(value, (tuple, list)) and all(d is None or isinstance(d, int) for d in value)


def map_shapes(fn: Any, shapes: Any) -> Any:
    """Apply ``fn`` to each shape tuple of a structure of shapes (a shape is a leaf, not a list)."""
    if shapes is None:
        return None
    if is_shape_tuple(shapes):
        return fn(tuple(shapes))
    if isinstance(shapes, dict):
        return {k: map_shapes(fn, v) for k, v in shapes.items()}
    if isinstance(shapes, (list, tuple)):
        return [map_shapes(fn, s) for s in shapes]
    raise TypeError(f"Expected a shape tuple or a structure of shape tuples; received {shapes!r}.")


def specs_from_shapes(shapes: Any, dtype: str) -> Any:
    """A KerasTensor (or structure of them) from ``compute_output_shape``'s result."""
    if is_shape_tuple(shapes):
        return KerasTensor(tuple(shapes), dtype=dtype)
    if isinstance(shapes, dict):
        return {k: specs_from_shapes(v, dtype) for k, v in shapes.items()}
    if isinstance(shapes, (list, tuple)):
        return type(shapes)(specs_from_shapes(s, dtype) for s in shapes) if isinstance(shapes, tuple) else [
            specs_from_shapes(s, dtype) for s in shapes]
    raise TypeError(f"`compute_output_shape` must return a shape tuple or a structure of them; received {shapes!r}.")


def _materialize(x: Any, trial: tuple[int, int], device: torch.device) -> Any:
    batch, other = trial
    if not isinstance(x, KerasTensor):
        return x
    shape = [(batch if axis == 0 else other) if d is None else d for axis, d in enumerate(x.shape)]
    return torch.zeros(shape, dtype=to_torch_dtype(x.dtype), device=device)


def trace_output_spec(layer: Any, args: tuple, kwargs: dict) -> Any:
    """Output KerasTensors found by running ``layer`` on two sets of dummy inputs."""
    device = layer._weight_device()
    outputs = []
    kwargs = dict(kwargs)
    kwargs.setdefault("training", False)
    previous_tracing = CONTEXT.tracing
    CONTEXT.tracing = True
    try:
        for trial in _TRIAL_SIZES:
            real_args = tree.map_structure(lambda v: _materialize(v, trial, device), args)
            real_kwargs = tree.map_structure(lambda v: _materialize(v, trial, device), kwargs)
            with torch.no_grad():
                try:
                    outputs.append(layer.forward(*real_args, **real_kwargs))
                except Exception as error:
                    raise ValueError(
                        f"Layer '{layer.name}' ({type(layer).__name__}) failed when called on symbolic inputs "
                        f"of shape {shape_of(args)}: {error}. If the layer cannot run on placeholder data, "
                        "give it a `compute_output_shape(input_shape)` method."
                    ) from error
    finally:
        CONTEXT.tracing = previous_tracing

    def combine(a, b):
        if not isinstance(a, torch.Tensor):
            return a
        shape = tuple(da if da == db else None for da, db in zip(a.shape, b.shape))
        return KerasTensor(shape, dtype=standardize_dtype(a.dtype))

    return tree.map_structure(combine, outputs[0], outputs[1])
