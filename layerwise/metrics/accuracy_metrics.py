"""Accuracy metrics (Keras 3 formulas): exact, binary, categorical, sparse categorical, top-k."""

from __future__ import annotations

from typing import Any

import torch

from layerwise import config
from layerwise.api_export import export
from layerwise.losses.loss import squeeze_or_expand_to_same_rank
from layerwise.metrics.reduction_metrics import MeanMetricWrapper
from layerwise.utils.argument_validation import positive_int
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


def _in_top_k(targets: torch.Tensor, scores: torch.Tensor, k: int) -> torch.Tensor:
    """Whether each target's score is at least the k-th largest of its row (ties count as in).

    A target outside ``[0, num_classes)`` is a miss; ``k`` above the number of classes means all.
    """
    classes = scores.shape[-1]
    kth = torch.topk(scores, min(k, classes), dim=-1).values[..., -1:]
    valid = (targets >= 0) & (targets < classes)
    picked = torch.take_along_dim(scores, targets.clamp(0, classes - 1).unsqueeze(-1), dim=-1)
    return (picked >= kth).squeeze(-1) & valid


def _rows(y_true: torch.Tensor, y_pred: torch.Tensor):
    """Predictions as ``(samples, classes)`` and labels flat, remembering the labels' shape."""
    shape = y_true.shape
    if y_pred.ndim > 2:
        y_pred = y_pred.reshape(-1, y_pred.shape[-1])
    return y_true.reshape(-1), y_pred, shape


@export("layerwise.metrics.top_k_categorical_accuracy")
def top_k_categorical_accuracy(y_true, y_pred, k: int = 5):
    """1 where the arg-max of the one-hot label is among the ``k`` largest predictions, else 0.

    Example:
        >>> import torch
        >>> top_k_categorical_accuracy(torch.tensor([[0, 0, 1], [0, 1, 0]]),
        ...                            torch.tensor([[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]]), k=1)
        tensor([0., 1.])
    """
    k = positive_int("top_k_categorical_accuracy", "k", k)
    y_true, y_pred = _tensors(y_true, y_pred)
    targets, scores, shape = _rows(torch.argmax(y_true, dim=-1), y_pred)
    return _in_top_k(targets, scores, k).reshape(shape).to(_floatx())


@export("layerwise.metrics.sparse_top_k_categorical_accuracy")
def sparse_top_k_categorical_accuracy(y_true, y_pred, k: int = 5, from_sorted_ids: bool = False):
    """1 where the integer label is among the ``k`` largest predictions, else 0.

    With ``from_sorted_ids=True``, ``y_pred`` holds the class ids sorted by decreasing score
    (``(samples, N)``, ``N >= k``) and a label matches if it is among the first ``k``.

    Example:
        >>> import torch
        >>> sparse_top_k_categorical_accuracy(torch.tensor([2, 1]), torch.tensor([[0.1, 0.9, 0.8], [0.05, 0.95, 0]]),
        ...                                   k=1)
        tensor([0., 1.])
    """
    k = positive_int("sparse_top_k_categorical_accuracy", "k", k)
    y_true, y_pred = _tensors(y_true, y_pred)
    if from_sorted_ids:
        targets, ids, shape = _rows(y_true.to(y_pred.dtype), y_pred)
        matches = torch.any(targets.unsqueeze(-1) == ids[:, :k], dim=-1)
    else:
        targets, scores, shape = _rows(y_true.long(), y_pred)  # float labels are truncated, as Keras's int cast
        matches = _in_top_k(targets, scores, k)
    return matches.reshape(shape).to(_floatx())


@export("layerwise.metrics.TopKCategoricalAccuracy")
class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot label's class is among the ``k`` largest predictions.

    Example:
        >>> m = TopKCategoricalAccuracy(k=1)
        >>> m.update_state([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]); float(m.result())
        0.5
    """

    def __init__(self, k: int = 5, name: str = "top_k_categorical_accuracy", dtype: Any = None):
        k = positive_int("TopKCategoricalAccuracy", "k", k)
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self._direction = "up"
        self.k = k

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


@export("layerwise.metrics.SparseTopKCategoricalAccuracy")
class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer label is among the ``k`` largest predictions (or the first ``k`` ids).

    Example:
        >>> m = SparseTopKCategoricalAccuracy(k=1)
        >>> m.update_state([2, 1], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]); float(m.result())
        0.5
    """

    def __init__(self, k: int = 5, name: str = "sparse_top_k_categorical_accuracy", dtype: Any = None,
                 from_sorted_ids: bool = False):
        k = positive_int("SparseTopKCategoricalAccuracy", "k", k)
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k,
                         from_sorted_ids=bool(from_sorted_ids))
        self._direction = "up"
        self.k = k
        self.from_sorted_ids = bool(from_sorted_ids)

    def get_config(self) -> dict:
        config_ = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config_["from_sorted_ids"] = True
        return config_
