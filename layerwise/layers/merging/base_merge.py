"""``Merge``: shared logic of the element-wise merge layers (shape rules, rank alignment, masks)."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.layers.layer import Layer
from layerwise.layers.symbolic_call import is_shape_tuple


class Merge(Layer):
    """Base of layers that combine a list of inputs element-wise with broadcasting."""

    min_inputs = 1

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _check_list(self, input_shape: Any) -> list[tuple]:
        if not isinstance(input_shape, (list, tuple)) or not input_shape or is_shape_tuple(input_shape):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) must be called on a list of inputs; "
                f"received input_shape={input_shape}."
            )
        if len(input_shape) < self.min_inputs:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) needs at least {self.min_inputs} inputs; "
                f"received {len(input_shape)}."
            )
        return [tuple(s) for s in input_shape]

    def _broadcast_shape(self, shape1: tuple, shape2: tuple) -> tuple:
        if len(shape1) < len(shape2):
            shape1, shape2 = shape2, shape1
        if not shape2:
            return shape1
        out = list(shape1[: -len(shape2)]) if len(shape1) > len(shape2) else []
        for i, j in zip(shape1[-len(shape2):], shape2):
            if i is None or j is None:
                out.append(None)
            elif i == 1:
                out.append(j)
            elif j == 1 or i == j:
                out.append(i)
            else:
                raise ValueError(
                    f"Layer '{self.name}' ({type(self).__name__}) received inputs with incompatible shapes "
                    f"{shape1} and {shape2}: each axis must have equal sizes, or size 1 in one of them."
                )
        return tuple(out)

    def build(self, input_shape):
        self.compute_output_shape(input_shape)  # raises on incompatible shapes

    def compute_output_shape(self, input_shape):
        shapes = self._check_list(input_shape)
        output = shapes[0][1:]
        for shape in shapes[1:]:
            output = self._broadcast_shape(output, shape[1:])
        batch = [s[0] for s in shapes if s and s[0] is not None]
        return (batch[0] if batch else None,) + tuple(output)

    def _merge_function(self, inputs: list[torch.Tensor]) -> torch.Tensor:
        raise NotImplementedError

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) must be called on a list of inputs.")
        ranks = {x.ndim for x in inputs}
        if len(ranks) > 1:  # align ranks by inserting axes after the batch axis, as Keras does
            top = max(ranks)
            aligned = []
            for x in inputs:
                while x.ndim < top:
                    x = x.unsqueeze(1)
                aligned.append(x)
            inputs = aligned
        return self._merge_function(list(inputs))

    def compute_mask(self, inputs, previous_mask=None):
        if previous_mask is None:
            masks = [getattr(x, "_keras_mask", None) for x in inputs] if isinstance(inputs, (list, tuple)) else []
        else:
            masks = previous_mask if isinstance(previous_mask, (list, tuple)) else [previous_mask]
        masks = [m for m in masks if m is not None]
        if not masks:
            return None
        combined = masks[0]
        for m in masks[1:]:
            combined = combined & m
        return combined
