"""Helpers the normalization layers share: axis checks, the ``(A, C, B)`` channel view, and
Keras's masked moments."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch

from layerwise import config


def check_axes_in_range(layer: Any, axes: Sequence[int], input_shape: Sequence[Any]) -> list[int]:
    """The axes as non-negative ints, or an error naming the layer when one is out of range.

    Example:
        >>> import layerwise as keras
        >>> check_axes_in_range(keras.layers.Layer(name="norm"), [-1, 1], (None, 4, 5))
        [2, 1]
    """
    rank = len(input_shape)
    out = []
    for axis in axes:
        if not -rank <= axis < rank:
            raise ValueError(f"Layer '{layer.name}' ({type(layer).__name__}) argument `axis` is out of range for "
                             f"inputs of rank {rank}: received axis={getattr(layer, 'axis', axis)!r} and input "
                             f"shape {tuple(input_shape)}.")
        out.append(axis % rank)
    return out


def channel_view(x: torch.Tensor, axis: int) -> tuple[torch.Tensor, tuple[int, ...]]:
    """``x`` seen with the channel ``axis`` at position 1, and the other axes of that view.

    ``(N, C, ...)`` inputs are returned as they are (memory format included); otherwise the axes
    before the channel axis are merged into one and those after it into another, which is a view
    (no copy) of a contiguous tensor.

    Example:
        >>> import torch
        >>> view, dims = channel_view(torch.zeros(2, 3, 4, 5), -1)
        >>> tuple(view.shape), dims
        ((24, 5), (0,))
    """
    axis = axis % x.ndim
    if axis == 1:
        return x, (0,) + tuple(range(2, x.ndim))
    channels = x.shape[axis]
    before = math.prod(x.shape[:axis])
    after = math.prod(x.shape[axis + 1:])
    if after == 1:
        return x.reshape(before, channels), (0,)
    return x.reshape(before, channels, after), (0, 2)


def masked_moments(view: torch.Tensor, mask: torch.Tensor, dims: tuple[int, ...]) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean and biased variance per channel of the positions where ``mask`` (same shape) is true,
    with Keras's formulas (``config.epsilon()`` keeps an all-false channel finite).

    Example:
        >>> import torch
        >>> x = torch.tensor([[1.0], [3.0], [100.0]])
        >>> mean, var = masked_moments(x, torch.tensor([[True], [True], [False]]), (0,))
        >>> round(float(mean), 4), round(float(var), 4)
        (2.0, 1.0)
    """
    weights = mask.to(view.dtype)
    count = weights.sum(dims) + config.epsilon()
    mean = torch.where(mask, view, 0).sum(dims) / count
    shape = (1, -1) + (1,) * (view.ndim - 2)
    deviation = torch.where(mask, view - mean.reshape(shape), 0)
    variance = deviation.square().sum(dims) / count
    return mean, variance
