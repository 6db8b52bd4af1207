"""Regression losses: squared and absolute errors (Keras 3 formulas)."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.losses.loss import LossFunctionWrapper, squeeze_or_expand_to_same_rank


def _prepare(y_true: Any, y_pred: Any) -> tuple[torch.Tensor, torch.Tensor]:
    y_pred = torch.as_tensor(y_pred)
    y_true = torch.as_tensor(y_true, device=y_pred.device)
    if y_true.dtype != y_pred.dtype:
        y_true = y_true.to(y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


@export("layerwise.losses.mean_squared_error", "layerwise.losses.mse", "layerwise.metrics.mean_squared_error",
        "layerwise.metrics.mse")
def mean_squared_error(y_true, y_pred):
    """``mean((y_true - y_pred) ** 2, axis=-1)``.

    Example:
        >>> import torch
        >>> mean_squared_error(torch.tensor([[0.0, 1.0]]), torch.tensor([[1.0, 1.0]]))
        tensor([0.5000])
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return torch.mean(torch.square(y_true - y_pred), dim=-1)


@export("layerwise.losses.mean_absolute_error", "layerwise.losses.mae", "layerwise.metrics.mean_absolute_error",
        "layerwise.metrics.mae")
def mean_absolute_error(y_true, y_pred):
    """``mean(|y_true - y_pred|, axis=-1)``.

    Example:
        >>> import torch
        >>> mean_absolute_error(torch.tensor([[0.0, 1.0]]), torch.tensor([[2.0, 1.0]]))
        tensor([1.])
    """
    y_true, y_pred = _prepare(y_true, y_pred)
    return torch.mean(torch.abs(y_true - y_pred), dim=-1)


@export("layerwise.losses.MeanSquaredError")
class MeanSquaredError(LossFunctionWrapper):
    """Mean of squared errors over the last axis, then reduced over the batch.

    Example:
        >>> import torch
        >>> MeanSquaredError()(torch.zeros(2, 2), torch.ones(2, 2))
        tensor(1.)
    """

    def __init__(self, reduction: Any = "sum_over_batch_size", name: str = "mean_squared_error", dtype: Any = None):
        super().__init__(mean_squared_error, reduction=reduction, name=name, dtype=dtype)

    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction}


@export("layerwise.losses.MeanAbsoluteError")
class MeanAbsoluteError(LossFunctionWrapper):
    """Mean of absolute errors over the last axis, then reduced over the batch.

    Example:
        >>> import torch
        >>> MeanAbsoluteError()(torch.zeros(2, 2), torch.full((2, 2), 3.0))
        tensor(3.)
    """

    def __init__(self, reduction: Any = "sum_over_batch_size", name: str = "mean_absolute_error", dtype: Any = None):
        super().__init__(mean_absolute_error, reduction=reduction, name=name, dtype=dtype)

    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction}
