"""Similarity losses: cosine similarity (negated) and the Dice overlap loss (Keras 3 formulas)."""

from __future__ import annotations

from typing import Any

import torch

from layerwise import config
from layerwise.api_export import export
from layerwise.losses.loss import LossFunctionWrapper, check_axis, float_pair


def l2_normalize(x: torch.Tensor, axis: Any) -> torch.Tensor:
    """``x / max(||x||, eps)`` along ``axis``: a zero vector stays zero (and its gradient finite)."""
    eps = config.epsilon()
    squared_norm = torch.sum(torch.square(x), dim=axis, keepdim=True)
    return x * torch.rsqrt(torch.clamp(squared_norm, min=eps * eps))


@export("layerwise.losses.cosine_similarity")
def cosine_similarity(y_true, y_pred, axis: int = -1):
    """``-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)``: -1 for the same direction, 1 for opposite.

    A zero vector on either side gives 0.

    Example:
        >>> import torch
        >>> cosine_similarity(torch.tensor([[1.0, 0.0], [1.0, 1.0], [0.0, 0.0]]),
        ...                   torch.tensor([[2.0, 0.0], [-1.0, -1.0], [1.0, 0.0]]))
        tensor([-1.,  1., -0.])
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    return -torch.sum(l2_normalize(y_true, axis) * l2_normalize(y_pred, axis), dim=axis)


@export("layerwise.losses.dice")
def dice(y_true, y_pred, axis: Any = None):
    """``1 - 2 sum(y_true * y_pred) / (sum(y_true) + sum(y_pred) + eps)``, the sums taken over ``axis``.

    With ``axis=None`` (Keras's default) the sums run over every axis, batch included, and the
    result is one number; pass the non-batch axes (``axis=(1, 2, 3)``) for one value per sample.

    Example:
        >>> import torch
        >>> y_true = torch.tensor([[1.0, 1.0, 0.0, 0.0]])
        >>> dice(y_true, torch.tensor([[1.0, 0.0, 1.0, 0.0]]), axis=1)
        tensor([0.5000])
    """
    y_true, y_pred = float_pair(y_true, y_pred, squeeze=False)
    dims = tuple(range(y_pred.ndim)) if axis is None else axis
    intersection = torch.sum(y_true * y_pred, dim=dims)
    total = torch.sum(y_true, dim=dims) + torch.sum(y_pred, dim=dims) + config.epsilon()
    return 1.0 - 2.0 * intersection / total


@export("layerwise.losses.CosineSimilarity")
class CosineSimilarity(LossFunctionWrapper):
    """The negated cosine similarity along ``axis``: minimising it aligns predictions with labels.

    Args:
        axis: the features axis (default -1).
        reduction: how to reduce over the batch (see :class:`Loss`).
        name: the loss's name.
        dtype: dtype of the computation (default floatx).

    Example:
        >>> import torch
        >>> CosineSimilarity()(torch.tensor([[0.0, 1.0], [1.0, 1.0]]), torch.tensor([[1.0, 0.0], [1.0, 1.0]]))
        tensor(-0.5000)
    """

    def __init__(self, axis: int = -1, reduction: Any = "sum_over_batch_size", name: str = "cosine_similarity",
                 dtype: Any = None):
        axis = check_axis(type(self).__name__, "axis", axis)
        super().__init__(cosine_similarity, reduction=reduction, name=name, dtype=dtype, axis=axis)
        self.axis = axis


@export("layerwise.losses.Dice")
class Dice(LossFunctionWrapper):
    """The Dice loss ``1 - 2|A n B| / (|A| + |B|)`` for (soft) segmentation masks.

    Args:
        reduction: how to reduce (see :class:`Loss`).
        name: the loss's name.
        axis: the axes summed over; ``None`` (default, as in Keras) sums over everything, batch
            included; a tuple such as ``(1, 2)`` gives one loss per sample.
        dtype: dtype of the computation (default floatx).

    Example:
        >>> import torch
        >>> y_true = torch.tensor([[1.0, 1.0], [0.0, 1.0]])
        >>> Dice(axis=(1,), reduction="none")(y_true, torch.tensor([[1.0, 0.0], [0.0, 1.0]]))
        tensor([0.3333, 0.0000])
    """

    def __init__(self, reduction: Any = "sum_over_batch_size", name: str = "dice", axis: Any = None,
                 dtype: Any = None):
        axis = check_axis(type(self).__name__, "axis", axis, allow_none=True, allow_tuple=True)
        super().__init__(dice, reduction=reduction, name=name, dtype=dtype, axis=axis)
        self.axis = axis
