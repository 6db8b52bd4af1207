"""Hinge losses for maximum-margin classifiers (Keras 3 formulas).

``hinge`` and ``squared_hinge`` expect labels -1 or 1; labels that are all 0 or 1 are turned into
-1/1 first (decided on the device, with no host sync). ``categorical_hinge`` takes one-hot labels.
"""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.losses.loss import LossFunctionWrapper, float_pair


def binary_labels_to_hinge(y_true: torch.Tensor) -> torch.Tensor:
    """``2 y - 1`` when every label is 0 or 1; the labels unchanged otherwise (e.g. already -1/1)."""
    is_binary = torch.all((y_true == 0) | (y_true == 1))
    return torch.where(is_binary, 2.0 * y_true - 1.0, y_true)


def _margins(y_true, y_pred) -> torch.Tensor:
    y_true, y_pred = float_pair(y_true, y_pred)
    return torch.clamp(1.0 - binary_labels_to_hinge(y_true) * y_pred, min=0.0)


@export("layerwise.losses.hinge", "layerwise.metrics.hinge")
def hinge(y_true, y_pred):
    """``mean(max(1 - y_true * y_pred, 0), axis=-1)`` with labels -1/1 (0/1 labels are converted).

    Example:
        >>> import torch
        >>> hinge(torch.tensor([[1.0, 0.0]]), torch.tensor([[0.5, 0.5]]))
        tensor([1.])
    """
    return torch.mean(_margins(y_true, y_pred), dim=-1)


@export("layerwise.losses.squared_hinge", "layerwise.metrics.squared_hinge")
def squared_hinge(y_true, y_pred):
    """``mean(max(1 - y_true * y_pred, 0) ** 2, axis=-1)`` with labels -1/1 (0/1 labels are converted).

    Example:
        >>> import torch
        >>> squared_hinge(torch.tensor([[1.0, 0.0]]), torch.tensor([[0.5, 0.5]]))
        tensor([1.2500])
    """
    return torch.mean(torch.square(_margins(y_true, y_pred)), dim=-1)


@export("layerwise.losses.categorical_hinge", "layerwise.metrics.categorical_hinge")
def categorical_hinge(y_true, y_pred):
    """``max(neg - pos + 1, 0)`` with ``pos = sum(y_true * y_pred)``, ``neg = max((1 - y_true) * y_pred)``.

    ``pos`` is the score of the true class and ``neg`` the best score among the others.

    Example:
        >>> import torch
        >>> categorical_hinge(torch.tensor([[0.0, 1.0, 0.0]]), torch.tensor([[0.2, 0.5, 0.9]]))
        tensor([1.4000])
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    positive = torch.sum(y_true * y_pred, dim=-1)
    negative = torch.amax((1.0 - y_true) * y_pred, dim=-1)
    return torch.clamp(negative - positive + 1.0, min=0.0)


@export("layerwise.losses.Hinge")
class Hinge(LossFunctionWrapper):
    """The hinge loss ``max(1 - y_true * y_pred, 0)`` averaged over the last axis.

    Args:
        reduction: how to reduce over the batch (see :class:`Loss`).
        name: the loss's name.
        dtype: dtype of the computation (default floatx).

    Example:
        >>> import torch
        >>> Hinge()(torch.tensor([[1.0], [-1.0]]), torch.tensor([[0.25], [0.5]]))
        tensor(1.1250)
    """

    def __init__(self, reduction: Any = "sum_over_batch_size", name: str = "hinge", dtype: Any = None):
        super().__init__(hinge, reduction=reduction, name=name, dtype=dtype)


@export("layerwise.losses.SquaredHinge")
class SquaredHinge(LossFunctionWrapper):
    """The squared hinge loss ``max(1 - y_true * y_pred, 0) ** 2`` averaged over the last axis.

    Example:
        >>> import torch
        >>> SquaredHinge()(torch.tensor([[1.0], [-1.0]]), torch.tensor([[0.25], [0.5]]))
        tensor(1.4062)
    """

    def __init__(self, reduction: Any = "sum_over_batch_size", name: str = "squared_hinge", dtype: Any = None):
        super().__init__(squared_hinge, reduction=reduction, name=name, dtype=dtype)


@export("layerwise.losses.CategoricalHinge")
class CategoricalHinge(LossFunctionWrapper):
    """The categorical hinge loss ``max(best wrong score - true score + 1, 0)`` for one-hot labels.

    Example:
        >>> import torch
        >>> CategoricalHinge()(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.3, 0.8]]))
        tensor(0.5000)
    """

    def __init__(self, reduction: Any = "sum_over_batch_size", name: str = "categorical_hinge", dtype: Any = None):
        super().__init__(categorical_hinge, reduction=reduction, name=name, dtype=dtype)
