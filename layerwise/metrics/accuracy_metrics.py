"""Accuracy metrics (Keras 3 formulas): exact, binary, categorical, sparse categorical."""

from __future__ import annotations

from typing import Any

import torch

from layerwise import config
from layerwise.api_export import export
from layerwise.losses.loss import squeeze_or_expand_to_same_rank
from layerwise.metrics.reduction_metrics import MeanMetricWrapper
from layerwise.utils.dtype_utils import to_torch_dtype


def _floatx() -> torch.dtype:
    return to_torch_dtype(config.floatx())


def _tensors(y_true, y_pred):
    y_pred = torch.as_tensor(y_pred)
    y_true = torch.as_tensor(y_true, device=y_pred.device)
    return y_true, y_pred


@export("layerwise.metrics.accuracy")
def accuracy(y_true, y_pred):
    """1 where ``y_true == y_pred`` exactly, else 0.

    Example:
        >>> import torch
        >>> accuracy(torch.tensor([1, 2]), torch.tensor([1, 3]))
        tensor([1., 0.])
    """
    y_true, y_pred = _tensors(y_true, y_pred)
    y_true = y_true.to(y_pred.dtype)  # Keras compares in the predictions' dtype (1.4 is not 1)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return torch.eq(y_true, y_pred).to(_floatx())


@export("layerwise.metrics.binary_accuracy")
def binary_accuracy(y_true, y_pred, threshold: float = 0.5):
    """1 where ``(y_pred > threshold) == y_true``, else 0, element by element (as Keras 3).

    Example:
        >>> import torch
        >>> binary_accuracy(torch.tensor([1.0, 0.0]), torch.tensor([[0.7], [0.6]]))
        tensor([[1.],
                [0.]])
    """
    y_true, y_pred = _tensors(y_true, y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    predicted = (y_pred > threshold).to(y_true.dtype)
    return torch.eq(y_true, predicted).to(_floatx())


@export("layerwise.metrics.categorical_accuracy")
def categorical_accuracy(y_true, y_pred):
    """1 where ``argmax(y_pred) == argmax(y_true)`` (one-hot labels).

    Example:
        >>> import torch
        >>> categorical_accuracy(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.2, 0.8]]))
        tensor([1.])
    """
    y_true, y_pred = _tensors(y_true, y_pred)
    return torch.eq(torch.argmax(y_true, dim=-1), torch.argmax(y_pred, dim=-1)).to(_floatx())


@export("layerwise.metrics.sparse_categorical_accuracy")
def sparse_categorical_accuracy(y_true, y_pred):
    """1 where ``argmax(y_pred) == y_true`` (integer labels).

    Example:
        >>> import torch
        >>> sparse_categorical_accuracy(torch.tensor([1, 0]), torch.tensor([[0.2, 0.8], [0.3, 0.7]]))
        tensor([1., 0.])
    """
    y_true, y_pred = _tensors(y_true, y_pred)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = y_true.squeeze(-1)  # labels (n, 1) give matches (n,), as in Keras
    predicted = torch.argmax(y_pred, dim=-1)
    if y_true.is_floating_point():
        predicted = predicted.to(y_true.dtype)  # a label 1.5 matches nothing
    elif y_true.dtype != predicted.dtype:
        y_true = y_true.long()
    return torch.eq(y_true, predicted).to(_floatx())


@export("layerwise.metrics.Accuracy")
class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly.

    Example:
        >>> m = Accuracy(); m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]]); float(m.result())
        0.75
    """

    def __init__(self, name: str = "accuracy", dtype: Any = None):
        super().__init__(accuracy, name=name, dtype=dtype)
        self._direction = "up"


@export("layerwise.metrics.BinaryAccuracy")
class BinaryAccuracy(MeanMetricWrapper):
    """How often ``y_pred > threshold`` matches the 0/1 labels.

    Example:
        >>> m = BinaryAccuracy(); m.update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]])
        >>> float(m.result())
        0.75
    """

    def __init__(self, name: str = "binary_accuracy", dtype: Any = None, threshold: float = 0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self._direction = "up"
        self.threshold = threshold

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}


@export("layerwise.metrics.CategoricalAccuracy")
class CategoricalAccuracy(MeanMetricWrapper):
    """How often the arg-max of the predictions matches that of one-hot labels.

    Example:
        >>> m = CategoricalAccuracy(); m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
        >>> float(m.result())
        0.5
    """

    def __init__(self, name: str = "categorical_accuracy", dtype: Any = None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"


@export("layerwise.metrics.SparseCategoricalAccuracy")
class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the arg-max of the predictions equals the integer label.

    Example:
        >>> m = SparseCategoricalAccuracy(); m.update_state([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
        >>> float(m.result())
        0.5
    """

    def __init__(self, name: str = "sparse_categorical_accuracy", dtype: Any = None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)
        self._direction = "up"
