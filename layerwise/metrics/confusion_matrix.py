"""The confusion matrix: a function, and a stateful metric that accumulates it on the device."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from layerwise.api_export import export
from layerwise.metrics.metric import Metric
from layerwise.ops.core import convert_to_tensor
from layerwise.utils.argument_validation import positive_int


def _labels(values: Any, device=None) -> torch.Tensor:
    tensor = convert_to_tensor(values, device=device)
    if tensor.ndim >= 2 and tensor.shape[-1] > 1:
        tensor = tensor.argmax(dim=-1)  # one-hot labels or probabilities
    elif tensor.ndim >= 2:
        tensor = tensor.squeeze(-1)
    if tensor.is_floating_point():
        tensor = tensor.round()
    return tensor.reshape(-1).long()


@export("layerwise.metrics.confusion_matrix")
def confusion_matrix(y_true: Any, y_pred: Any, num_classes: int | None = None, weights: Any = None) -> np.ndarray:
    """Counts ``C[i, j]`` of samples with true class ``i`` predicted as class ``j``.

    ``y_true`` and ``y_pred`` may be integer labels, one-hot rows, or (for ``y_pred``)
    probability rows, which are arg-maxed.

    Args:
        num_classes: the number of classes (default: the largest label + 1).
        weights: optional per-sample weights (counts become sums of weights).

    Example:
        >>> confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2])
        array([[1, 0, 0],
               [0, 1, 1],
               [0, 0, 1]])
    """
    true = _labels(y_true, device="cpu")
    pred = _labels(y_pred, device="cpu")
    if true.shape != pred.shape:
        raise ValueError(f"`confusion_matrix` needs as many predictions as labels; received {true.numel()} labels "
                         f"and {pred.numel()} predictions.")
    if true.numel() and (int(true.min()) < 0 or int(pred.min()) < 0):
        raise ValueError("`confusion_matrix` needs non-negative class labels.")
    if num_classes is None:
        num_classes = max(int(true.max()) + 1 if true.numel() else 1, int(pred.max()) + 1 if pred.numel() else 1)
    else:  # a given count must itself be valid (0 or -1 is not silently "1")
        num_classes = positive_int("confusion_matrix", "num_classes", num_classes)
    largest = int(max(true.max(), pred.max())) if true.numel() else -1
    if largest >= num_classes:
        raise ValueError(f"`confusion_matrix` received label {largest}, outside [0, {num_classes}) for num_classes={num_classes}.")
    flat = true * num_classes + pred
    if weights is None:
        counts = torch.bincount(flat, minlength=num_classes * num_classes)
        return counts.reshape(num_classes, num_classes).numpy()
    w = convert_to_tensor(weights, device="cpu").reshape(-1).to(torch.float64)
    if w.numel() != flat.numel():
        raise ValueError(f"`confusion_matrix` needs one weight per sample; received {w.numel()} weights for "
                         f"{flat.numel()} samples.")
    counts = torch.bincount(flat, weights=w, minlength=num_classes * num_classes)
    return counts.reshape(num_classes, num_classes).numpy()


@export("layerwise.metrics.ConfusionMatrix")
class ConfusionMatrix(Metric):
    """Accumulates a ``num_classes x num_classes`` confusion matrix over batches.

    ``result()`` returns the matrix of counts (rows: true class, columns: predicted class).

    Example:
        >>> m = ConfusionMatrix(num_classes=2)
        >>> m.update_state([0, 1, 1], [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
        >>> m.result().tolist()
        [[1.0, 0.0], [1.0, 1.0]]
    """

    def __init__(self, num_classes: int, name: str = "confusion_matrix", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.num_classes = positive_int("ConfusionMatrix", "num_classes", num_classes)
        self.matrix = self.add_variable(shape=(self.num_classes, self.num_classes), initializer="zeros", name="matrix")

    def update_state(self, y_true, y_pred, sample_weight=None):
        device = self.matrix.device
        true = _labels(y_true, device)
        pred = _labels(y_pred, device)
        n = self.num_classes
        flat = true.clamp(0, n - 1) * n + pred.clamp(0, n - 1)
        weights = None if sample_weight is None else convert_to_tensor(sample_weight, device=device).reshape(-1).to(
            self.matrix.dtype)
        counts = torch.bincount(flat, weights=weights, minlength=n * n).to(self.matrix.dtype)
        with torch.no_grad():
            self.matrix.add_(counts.reshape(n, n))

    def result(self):
        return self.matrix.detach().clone()

    def get_config(self) -> dict:
        return {**super().get_config(), "num_classes": self.num_classes}
