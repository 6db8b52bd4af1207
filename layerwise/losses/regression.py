"""Regression losses: squared, absolute, percentage and squared-logarithmic errors (Keras 3 formulas).

Each function returns one value per sample: the mean over the last axis. Labels of shape ``(n,)``
against predictions ``(n, 1)`` (or the reverse) give ``n`` values, never an ``(n, n)`` broadcast.
"""

from __future__ import annotations

from typing import Any

import torch

from layerwise import config
from layerwise.api_export import export
from layerwise.losses.loss import LossFunctionWrapper, float_pair


@export("layerwise.losses.mean_squared_error", "layerwise.losses.mse", "layerwise.losses.MSE",
        "layerwise.metrics.mean_squared_error", "layerwise.metrics.mse", "layerwise.metrics.MSE")
def mean_squared_error(y_true, y_pred):
    """``mean((y_true - y_pred) ** 2, axis=-1)``.

    Example:
        >>> import torch
        >>> mean_squared_error(torch.tensor([[0.0, 1.0]]), torch.tensor([[1.0, 1.0]]))
        tensor([0.5000])
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    return torch.mean(torch.square(y_true - y_pred), dim=-1)


@export("layerwise.losses.mean_absolute_error", "layerwise.losses.mae", "layerwise.losses.MAE",
        "layerwise.metrics.mean_absolute_error", "layerwise.metrics.mae", "layerwise.metrics.MAE")
def mean_absolute_error(y_true, y_pred):
    """``mean(|y_true - y_pred|, axis=-1)``.

    Example:
        >>> import torch
        >>> mean_absolute_error(torch.tensor([[0.0, 1.0]]), torch.tensor([[2.0, 1.0]]))
        tensor([1.])
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    return torch.mean(torch.abs(y_true - y_pred), dim=-1)


@export("layerwise.losses.mean_absolute_percentage_error", "layerwise.losses.mape", "layerwise.losses.MAPE",
        "layerwise.metrics.mean_absolute_percentage_error", "layerwise.metrics.mape", "layerwise.metrics.MAPE")
def mean_absolute_percentage_error(y_true, y_pred):
    """``100 * mean(|y_true - y_pred| / max(|y_true|, epsilon), axis=-1)``.

    A label of 0 is divided by ``epsilon()`` (1e-7) instead, so the result stays finite.

    Example:
        >>> import torch
        >>> mean_absolute_percentage_error(torch.tensor([[2.0, 4.0]]), torch.tensor([[1.0, 5.0]]))
        tensor([37.5000])
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    denominator = torch.clamp(torch.abs(y_true), min=config.epsilon())
    return 100.0 * torch.mean(torch.abs((y_true - y_pred) / denominator), dim=-1)


@export("layerwise.losses.mean_squared_logarithmic_error", "layerwise.losses.msle", "layerwise.losses.MSLE",
        "layerwise.metrics.mean_squared_logarithmic_error", "layerwise.metrics.msle", "layerwise.metrics.MSLE")
def mean_squared_logarithmic_error(y_true, y_pred):
    """``mean((log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)) ** 2, axis=-1)``.

    Values below ``epsilon()`` (negative ones included) count as ``epsilon()``.

    Example:
        >>> import torch, math
        >>> out = mean_squared_logarithmic_error(torch.tensor([[0.0]]), torch.tensor([[math.e - 1]]))
        >>> round(float(out), 4)
        1.0
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    eps = config.epsilon()
    difference = torch.log(torch.clamp(y_pred, min=eps) + 1.0) - torch.log(torch.clamp(y_true, min=eps) + 1.0)
    return torch.mean(torch.square(difference), dim=-1)


@export("layerwise.losses.MeanSquaredError")
class MeanSquaredError(LossFunctionWrapper):
    """Mean of squared errors over the last axis, then reduced over the batch.

    Args:
        reduction: ``"sum_over_batch_size"`` (default), ``"sum"``, ``"mean"``,
            ``"mean_with_sample_weight"``, ``"none"`` or ``None``.
        name: the loss's name.
        dtype: dtype of the computation (default floatx).

    Example:
        >>> import torch
        >>> MeanSquaredError()(torch.zeros(2, 2), torch.ones(2, 2))
        tensor(1.)
    """

    def __init__(self, reduction: Any = "sum_over_batch_size", name: str = "mean_squared_error", dtype: Any = None):
        super().__init__(mean_squared_error, reduction=reduction, name=name, dtype=dtype)


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


@export("layerwise.losses.MeanAbsolutePercentageError")
class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Mean absolute percentage error (see :func:`mean_absolute_percentage_error`), reduced over the batch.

    Example:
        >>> import torch
        >>> MeanAbsolutePercentageError()(torch.tensor([[2.0], [4.0]]), torch.tensor([[1.0], [5.0]]))
        tensor(37.5000)
    """

    def __init__(self, reduction: Any = "sum_over_batch_size", name: str = "mean_absolute_percentage_error",
                 dtype: Any = None):
        super().__init__(mean_absolute_percentage_error, reduction=reduction, name=name, dtype=dtype)


@export("layerwise.losses.MeanSquaredLogarithmicError")
class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Mean squared logarithmic error (see :func:`mean_squared_logarithmic_error`), reduced over the batch.

    Example:
        >>> import torch
        >>> round(float(MeanSquaredLogarithmicError()(torch.tensor([[1.0]]), torch.tensor([[3.0]]))), 4)
        0.4805
    """

    def __init__(self, reduction: Any = "sum_over_batch_size", name: str = "mean_squared_logarithmic_error",
                 dtype: Any = None):
        super().__init__(mean_squared_logarithmic_error, reduction=reduction, name=name, dtype=dtype)
