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
    probability rows, which are arg-maxed; float labels are rounded. A negative label, or one
    ``>= num_classes``, is refused (this function reads its inputs on the host).

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
    if num_classes is not None:  # a given count must itself be valid (0 or -1 is not silently "1")
        num_classes = positive_int("confusion_matrix", "num_classes", num_classes)
    for arg, labels in (("y_true", true), ("y_pred", pred)):
        if labels.numel() and int(labels.min()) < 0:
            raise ValueError(f"`confusion_matrix` argument `{arg}` must hold non-negative class labels; received "
                             f"label {int(labels.min())}.")
    if num_classes is None:
        num_classes = max(int(true.max()) + 1 if true.numel() else 1, int(pred.max()) + 1 if pred.numel() else 1)
    for arg, labels in (("y_true", true), ("y_pred", pred)):
        if labels.numel() and int(labels.max()) >= num_classes:
            raise ValueError(f"`confusion_matrix` argument `{arg}` holds label {int(labels.max())}, outside "
                             f"[0, {num_classes}) for num_classes={num_classes}.")
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

    ``result()`` returns the matrix of (weighted) counts (rows: true class, columns: predicted
    class). Inputs are read as by :func:`confusion_matrix`, but ``update_state`` never waits for
    the device, so it cannot refuse bad labels: a sample whose label or prediction lies outside
    ``[0, num_classes)`` is left out of the matrix (not moved into an edge class). Check the labels
    beforehand (``confusion_matrix`` does) if they may be out of range.

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
        if true.shape != pred.shape:
            raise ValueError(f"`ConfusionMatrix` needs as many predictions as labels; received {true.numel()} labels "
                             f"and {pred.numel()} predictions.")
        inside = (true >= 0) & (true < n) & (pred >= 0) & (pred < n)
        flat = torch.where(inside, true * n + pred, n * n)  # out-of-range samples go to a discarded bin
        if sample_weight is None:
            weights = torch.ones(flat.shape, dtype=self.matrix.dtype, device=device)
        else:
            weights = convert_to_tensor(sample_weight, device=device).to(self.matrix.dtype)
            weights = weights.reshape(-1) if weights.ndim else weights
            if weights.ndim and weights.shape != flat.shape:
                raise ValueError(f"`ConfusionMatrix` needs one weight per sample; received {weights.numel()} weights "
                                 f"for {flat.numel()} samples.")
            weights = torch.broadcast_to(weights, flat.shape)
        # index_add_ into a fixed-size buffer: unlike bincount it needs no read of the largest index
        counts = torch.zeros(n * n + 1, dtype=self.matrix.dtype, device=device).index_add_(0, flat, weights)
        with torch.no_grad():
            self.matrix.add_(counts[:-1].reshape(n, n))

    def result(self):
        return self.matrix.detach().clone()

    def get_config(self) -> dict:
        return {**super().get_config(), "num_classes": self.num_classes}
