"""``FBetaScore`` and ``F1Score`` (Keras 3 formulas): per-class F-scores and their averages.

``F_beta = (1 + beta^2) * precision * recall / (beta^2 * precision + recall)``, with Keras's
``epsilon`` in every denominator (so a class never predicted nor present scores 0, not nan).
"""

from __future__ import annotations

import numbers
from typing import Any

import torch

from layerwise import config
from layerwise.api_export import export
from layerwise.metrics.metric import Metric
from layerwise.metrics.metrics_utils import add_state_on
from layerwise.ops.core import convert_to_tensor
from layerwise.utils.argument_validation import one_of

_AVERAGES = (None, "micro", "macro", "weighted")
_STATES = ("true_positives", "false_positives", "false_negatives", "intermediate_weights")


@export("layerwise.metrics.FBetaScore")
class FBetaScore(Metric):
    """The F-beta score of multi-class or multi-label predictions ``(num_samples, num_classes)``.

    Args:
        average: ``None`` (one score per class), ``"micro"`` (one score from the counts pooled
            over classes), ``"macro"`` (the mean of the class scores) or ``"weighted"`` (their mean
            weighted by each class's (weighted) number of positive labels).
        beta: how much more recall weighs than precision (a number > 0, default 1).
        threshold: a prediction above it is positive (in (0, 1]); ``None`` (default) makes the
            largest prediction of each sample positive (unless it is 0).

    Example:
        >>> m = FBetaScore(beta=2.0, threshold=0.5)
        >>> m.update_state([[1, 1, 1], [1, 0, 0], [1, 1, 0]], [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]])
        >>> [round(v, 4) for v in m.result().tolist()]
        [0.3846, 0.9091, 0.8333]
    """

    def __init__(self, average: str | None = None, beta: float = 1.0, threshold: float | None = None,
                 name: str = "fbeta_score", dtype: Any = None):
        owner = type(self).__name__
        average = one_of(owner, "average", average, _AVERAGES)
        if isinstance(beta, bool) or not isinstance(beta, numbers.Real) or not beta > 0 or beta == float("inf"):
            raise ValueError(f"`{owner}` argument `beta` must be a finite number > 0; received beta={beta!r}.")
        if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, numbers.Real)
                                      or not 0 < threshold <= 1):
            raise ValueError(f"`{owner}` argument `threshold` must be None or a number in (0, 1]; received "
                             f"threshold={threshold!r}.")
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.average, self.beta = average, float(beta)
        self.threshold = None if threshold is None else float(threshold)
        self.axis = None if average == "micro" else 0
        self._built = False

    def _build(self, y_true_shape: tuple, y_pred_shape: tuple, device: torch.device) -> None:
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(f"`{type(self).__name__}` needs 2D inputs of shape (batch_size, num_classes); received "
                             f"y_true.shape={y_true_shape} and y_pred.shape={y_pred_shape}.")
        shape = () if self.average == "micro" else (y_pred_shape[-1],)
        for state in _STATES:
            setattr(self, state, add_state_on(self, shape, state, device))
        self._num_classes = y_pred_shape[-1]
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        if self._built:
            device = self._variables[0].device
        else:
            device = y_pred.device if isinstance(y_pred, torch.Tensor) else (
                getattr(self, "_placed_on", None) or config.default_device())
        dtype = self._torch_dtype()
        y_pred = convert_to_tensor(y_pred, device=device).to(dtype)
        y_true = convert_to_tensor(y_true, device=device).to(dtype)
        if not self._built:
            self._build(tuple(y_true.shape), tuple(y_pred.shape), device)
        if y_pred.ndim != 2 or y_true.shape != y_pred.shape or y_pred.shape[-1] != self._num_classes:
            raise ValueError(f"`{type(self).__name__}` needs labels and predictions of shape (batch_size, "
                             f"{self._num_classes}); received y_true.shape={tuple(y_true.shape)} and "
                             f"y_pred.shape={tuple(y_pred.shape)}.")
        if self.threshold is None:
            # the largest prediction of each row is positive; a row of zeros stays all negative
            positive = (y_pred >= y_pred.amax(dim=-1, keepdim=True)) & (y_pred.abs() > 1e-9)
        else:
            positive = y_pred > self.threshold
        predicted = positive.to(dtype)
        weight = None
        if sample_weight is not None:
            weight = convert_to_tensor(sample_weight, device=device).to(dtype)
            if weight.ndim == 2 and weight.shape[-1] == 1:
                weight = weight[:, 0]
            if weight.ndim > 1:
                raise ValueError(f"`{type(self).__name__}` argument `sample_weight` must hold one weight per sample; "
                                 f"received sample_weight.shape={tuple(weight.shape)}.")
            weight = weight.reshape(-1, 1) if weight.ndim == 1 else weight  # a scalar weighs every sample

        def weighted_sum(values: torch.Tensor) -> torch.Tensor:
            if weight is not None:
                values = values * weight
            return values.sum() if self.axis is None else values.sum(dim=self.axis)

        with torch.no_grad():
            self.true_positives.add_(weighted_sum(predicted * y_true))
            self.false_positives.add_(weighted_sum(predicted * (1 - y_true)))
            self.false_negatives.add_(weighted_sum((1 - predicted) * y_true))
            self.intermediate_weights.add_(weighted_sum(y_true))

    def result(self):
        if not self._built:
            return torch.zeros((), dtype=self._torch_dtype(), device=config.default_device())
        eps = config.epsilon()
        tp, fp = self.true_positives.detach(), self.false_positives.detach()
        fn, support = self.false_negatives.detach(), self.intermediate_weights.detach()
        precision = tp / (tp + fp + eps)
        recall = tp / (tp + fn + eps)
        beta2 = self.beta ** 2
        score = (1 + beta2) * (precision * recall) / (beta2 * precision + recall + eps)
        if self.average == "weighted":
            return (score * support / (support.sum() + eps)).sum()
        if self.average is not None:  # micro (already one value) and macro
            return score.mean()
        return score

    def get_config(self) -> dict:
        return {**super().get_config(), "average": self.average, "beta": self.beta, "threshold": self.threshold}


@export("layerwise.metrics.F1Score")
class F1Score(FBetaScore):
    """The F1 score, ``2 * precision * recall / (precision + recall)``: ``FBetaScore`` with ``beta=1``.

    Example:
        >>> m = F1Score(threshold=0.5)
        >>> m.update_state([[1, 1, 1], [1, 0, 0], [1, 1, 0]], [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]])
        >>> [round(v, 4) for v in m.result().tolist()]
        [0.5, 0.8, 0.6667]
    """

    def __init__(self, average: str | None = None, threshold: float | None = None, name: str = "f1_score",
                 dtype: Any = None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self) -> dict:
        config_ = super().get_config()
        del config_["beta"]
        return config_
