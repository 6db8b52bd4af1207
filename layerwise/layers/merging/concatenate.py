"""``Concatenate``: join inputs along one axis."""

from __future__ import annotations

import torch

from layerwise.api_export import export
from layerwise.layers.merging.base_merge import Merge


@export("layerwise.layers.Concatenate")
class Concatenate(Merge):
    """Joins a list of inputs along ``axis``; every other axis must match.

    Args:
        axis: the axis to join along (default the last).

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.Concatenate()([torch.zeros(2, 3), torch.ones(2, 1)]).shape
        torch.Size([2, 4])
    """

    def __init__(self, axis: int = -1, **kwargs):
        super().__init__(**kwargs)
        self.axis = int(axis)

    def _axis(self, rank: int) -> int:
        axis = self.axis if self.axis >= 0 else rank + self.axis
        if not 0 <= axis < rank:
            raise ValueError(f"Layer '{self.name}' (Concatenate) axis {self.axis} is out of range for inputs of rank {rank}.")
        return axis

    def _check(self, shapes: list[tuple]) -> tuple:
        ranks = {len(s) for s in shapes}
        if len(ranks) != 1:
            raise ValueError(
                f"Layer '{self.name}' (Concatenate) needs inputs of the same rank; received shapes {shapes}."
            )
        rank = ranks.pop()
        axis = self._axis(rank)
        out = list(shapes[0])
        for shape in shapes[1:]:
            for i, (a, b) in enumerate(zip(out, shape)):
                if i == axis or i == 0:
                    continue
                if a is not None and b is not None and a != b:
                    raise ValueError(
                        f"Layer '{self.name}' (Concatenate) needs inputs whose shapes match except on the "
                        f"concatenation axis {self.axis}; received shapes {shapes}."
                    )
                if a is None:
                    out[i] = b
        sizes = [s[axis] for s in shapes]
        out[axis] = None if any(s is None for s in sizes) else sum(sizes)
        return tuple(out)

    def build(self, input_shape):
        self._check(self._check_list(input_shape))

    def compute_output_shape(self, input_shape):
        return self._check(self._check_list(input_shape))

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise ValueError(f"Layer '{self.name}' (Concatenate) must be called on a list of inputs.")
        return torch.cat(list(inputs), dim=self.axis)

    def compute_mask(self, inputs, previous_mask=None):
        if not isinstance(inputs, (list, tuple)):
            return None
        masks = previous_mask if isinstance(previous_mask, (list, tuple)) else [getattr(x, "_keras_mask", None) for x in inputs]
        if all(m is None for m in masks):
            return None
        axis = self.axis if self.axis >= 0 else inputs[0].ndim + self.axis
        if axis != inputs[0].ndim - 1:
            full = [torch.ones(x.shape[: x.ndim - 1], dtype=torch.bool, device=x.device) if m is None else m
                    for x, m in zip(inputs, masks)]
            return torch.cat(full, dim=axis)
        combined = None
        for x, m in zip(inputs, masks):
            m = torch.ones(x.shape[:-1], dtype=torch.bool, device=x.device) if m is None else m
            combined = m if combined is None else combined & m
        return combined

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}


@export("layerwise.layers.concatenate")
def concatenate(inputs, axis: int = -1, **kwargs):
    """Functional form of :class:`Concatenate`.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.concatenate([torch.zeros(2, 3), torch.ones(2, 1)]).shape
        torch.Size([2, 4])
    """
    return Concatenate(axis=axis, **kwargs)(inputs)
