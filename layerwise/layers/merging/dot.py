"""``Dot``: batched dot products between two inputs (cosine similarity with ``normalize=True``)."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.layers.merging.base_merge import Merge


@export("layerwise.layers.Dot")
class Dot(Merge):
    """Dot product of two inputs along ``axes``, sample by sample.

    Args:
        axes: an axis (the same for both inputs) or a pair of axes; axis 0 is the batch.
        normalize: L2-normalise both inputs along the axes first (giving cosine similarity).

    Example:
        >>> import torch, layerwise as keras
        >>> a = torch.tensor([[1.0, 2.0]]); b = torch.tensor([[3.0, 4.0]])
        >>> keras.layers.Dot(axes=1)([a, b])
        tensor([[11.]])
    """

    min_inputs = 2

    def __init__(self, axes: Any, normalize: bool = False, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axes, int):
            axes = (axes, axes)
        axes = tuple(int(a) for a in axes)
        if len(axes) != 2:
            raise ValueError(f"`Dot` argument `axes` must be an int or a pair of ints; received axes={axes}.")
        self.axes = axes
        self.normalize = bool(normalize)
        self.supports_masking = False

    def _resolved_axes(self, rank1: int, rank2: int) -> tuple[int, int]:
        a1 = self.axes[0] % rank1
        a2 = self.axes[1] % rank2
        if a1 == 0 or a2 == 0:
            raise ValueError(f"Layer '{self.name}' (Dot) cannot take the dot product over the batch axis; axes={self.axes}.")
        return a1, a2

    def compute_output_shape(self, input_shape):
        shapes = self._check_list(input_shape)
        if len(shapes) != 2:
            raise ValueError(f"Layer '{self.name}' (Dot) needs exactly 2 inputs; received {len(shapes)}.")
        s1, s2 = list(shapes[0]), list(shapes[1])
        a1, a2 = self._resolved_axes(len(s1), len(s2))
        if s1[a1] is not None and s2[a2] is not None and s1[a1] != s2[a2]:
            raise ValueError(
                f"Layer '{self.name}' (Dot) needs equal sizes on the dot axes; received shapes {tuple(s1)} "
                f"(axis {a1} has size {s1[a1]}) and {tuple(s2)} (axis {a2} has size {s2[a2]})."
            )
        s1.pop(a1)
        s2.pop(a2)
        s2.pop(0)
        out = s1 + s2
        if len(out) == 1:
            out.append(1)
        return tuple(out)

    def build(self, input_shape):
        self.compute_output_shape(input_shape)

    def call(self, inputs):
        if len(inputs) != 2:
            raise ValueError(f"Layer '{self.name}' (Dot) needs exactly 2 inputs; received {len(inputs)}.")
        x, y = inputs
        a1, a2 = self._resolved_axes(x.ndim, y.ndim)
        if self.normalize:
            x = torch.nn.functional.normalize(x, p=2, dim=a1, eps=1e-12)
            y = torch.nn.functional.normalize(y, p=2, dim=a2, eps=1e-12)
        x = torch.movedim(x, a1, -1)  # (batch, ..., k)
        y = torch.movedim(y, a2, 1)  # (batch, k, ...)
        batch = x.shape[0]
        x_rest, y_rest = x.shape[1:-1], y.shape[2:]
        out = torch.bmm(x.reshape(batch, -1, x.shape[-1]), y.reshape(batch, y.shape[1], -1))
        out = out.reshape((batch,) + tuple(x_rest) + tuple(y_rest))
        if out.ndim == 1:
            out = out.unsqueeze(-1)
        return out

    def get_config(self) -> dict:
        return {**super().get_config(), "axes": list(self.axes), "normalize": self.normalize}


@export("layerwise.layers.dot")
def dot(inputs, axes: Any = -1, normalize: bool = False, **kwargs):
    """Functional form of :class:`Dot`.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.dot([torch.ones(1, 3), torch.ones(1, 3)], axes=1)
        tensor([[3.]])
    """
    return Dot(axes=axes, normalize=normalize, **kwargs)(inputs)
