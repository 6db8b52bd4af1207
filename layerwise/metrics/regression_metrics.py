"""Regression metrics: running (weighted) means of the regression losses, RMSE, cosine similarity.

Each metric keeps ``total`` and ``count`` on the device (see :class:`Mean`); ``result()`` is the
only read. The values match Keras 3's metrics of the same names.
"""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.losses.loss import float_pair, squeeze_or_expand_to_same_rank
from layerwise.losses.regression import (
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from layerwise.losses.robust import log_cosh
from layerwise.losses.similarity import l2_normalize
from layerwise.metrics.reduction_metrics import Mean, MeanMetricWrapper
from layerwise.ops.core import convert_to_tensor


def cosine_similarity(y_true, y_pred, axis: int = -1):
    """``sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)``: the metric's (not negated) similarity."""
    y_true, y_pred = float_pair(y_true, y_pred)
    return torch.sum(l2_normalize(y_true, axis) * l2_normalize(y_pred, axis), dim=axis)


@export("layerwise.metrics.MeanSquaredError")
class MeanSquaredError(MeanMetricWrapper):
    """The mean of ``mean((y_true - y_pred) ** 2, axis=-1)`` over all samples seen.

    Args:
        name: the name in logs (default ``"mean_squared_error"``).
        dtype: dtype of the state (default floatx).

    Example:
        >>> m = MeanSquaredError()
        >>> m.update_state([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]]); float(m.result())
        0.25
    """

    def __init__(self, name: str = "mean_squared_error", dtype: Any = None):
        super().__init__(mean_squared_error, name=name, dtype=dtype)
        self._direction = "down"


@export("layerwise.metrics.MeanAbsoluteError")
class MeanAbsoluteError(MeanMetricWrapper):
    """The mean of ``mean(|y_true - y_pred|, axis=-1)`` over all samples seen.

    Example:
        >>> m = MeanAbsoluteError()
        >>> m.update_state([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]]); float(m.result())
        0.25
    """

    def __init__(self, name: str = "mean_absolute_error", dtype: Any = None):
        super().__init__(mean_absolute_error, name=name, dtype=dtype)
        self._direction = "down"


@export("layerwise.metrics.MeanAbsolutePercentageError")
class MeanAbsolutePercentageError(MeanMetricWrapper):
    """The mean absolute percentage error (labels of 0 are divided by ``epsilon()``).

    Example:
        >>> m = MeanAbsolutePercentageError()
        >>> m.update_state([[2.0], [4.0]], [[1.0], [5.0]]); float(m.result())
        37.5
    """

    def __init__(self, name: str = "mean_absolute_percentage_error", dtype: Any = None):
        super().__init__(mean_absolute_percentage_error, name=name, dtype=dtype)
        self._direction = "down"


@export("layerwise.metrics.MeanSquaredLogarithmicError")
class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """The mean of ``(log(1 + y_pred) - log(1 + y_true)) ** 2`` (values below ``epsilon()`` clipped).

    Example:
        >>> m = MeanSquaredLogarithmicError()
        >>> m.update_state([[1.0]], [[3.0]]); round(float(m.result()), 4)
        0.4805
    """

    def __init__(self, name: str = "mean_squared_logarithmic_error", dtype: Any = None):
        super().__init__(mean_squared_logarithmic_error, name=name, dtype=dtype)
        self._direction = "down"


@export("layerwise.metrics.RootMeanSquaredError")
class RootMeanSquaredError(Mean):
    """``sqrt`` of the (weighted) mean of the squared errors seen so far.

    The square root is taken of the running mean, not averaged per batch.

    Example:
        >>> m = RootMeanSquaredError()
        >>> m.update_state([[0.0], [0.0]], [[3.0], [0.0]]); m.update_state([[0.0]], [[3.0]])
        >>> round(float(m.result()), 6)  # sqrt((9 + 0 + 9) / 3)
        2.44949
    """

    def __init__(self, name: str = "root_mean_squared_error", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self._direction = "down"

    def update_state(self, y_true, y_pred, sample_weight=None):
        dtype = self._torch_dtype()
        y_pred = convert_to_tensor(y_pred, device=self.total.device).to(dtype)
        y_true = convert_to_tensor(y_true, device=y_pred.device).to(dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        super().update_state(torch.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return torch.sqrt(super().result())


@export("layerwise.metrics.CosineSimilarity")
class CosineSimilarity(MeanMetricWrapper):
    """The mean cosine similarity between labels and predictions along ``axis`` (1 = same direction).

    Unlike the loss :class:`layerwise.losses.CosineSimilarity`, the metric is not negated.

    Args:
        name: the name in logs.
        dtype: dtype of the state (default floatx).
        axis: the features axis (default -1).

    Example:
        >>> m = CosineSimilarity()
        >>> m.update_state([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]]); round(float(m.result()), 4)
        0.5
    """

    def __init__(self, name: str = "cosine_similarity", dtype: Any = None, axis: int = -1):
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise ValueError(f"`{type(self).__name__}` argument `axis` must be an integer; received axis={axis!r}.")
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)
        self.axis = axis
        self._direction = "up"


@export("layerwise.metrics.LogCoshError")
class LogCoshError(MeanMetricWrapper):
    """The mean of ``log(cosh(y_pred - y_true))`` over the last axis and all samples seen.

    Example:
        >>> m = LogCoshError()
        >>> m.update_state([[0.0, 0.0]], [[1.0, -1.0]]); round(float(m.result()), 4)
        0.4338
    """

    def __init__(self, name: str = "logcosh", dtype: Any = None):
        super().__init__(log_cosh, name=name, dtype=dtype)
        self._direction = "down"
