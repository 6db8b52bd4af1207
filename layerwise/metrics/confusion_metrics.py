"""Thresholded confusion metrics (Keras 3 names, arguments and formulas).

``TruePositives``/``FalsePositives``/``TrueNegatives``/``FalseNegatives``, ``Precision``, ``Recall``
and the metrics read off one point of a curve (``PrecisionAtRecall``, ``RecallAtPrecision``,
``SensitivityAtSpecificity``, ``SpecificityAtSensitivity``). A prediction is positive at a
threshold when it is strictly above it; any non-zero label is positive. ``AUC`` lives in
``auc_metrics.py`` and is re-exported here.
"""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.metrics.auc_metrics import AUC
from layerwise.metrics.metric import Metric
from layerwise.metrics.metrics_utils import (
    NEG_INF,
    Thresholds,
    config_thresholds,
    divide_no_nan,
    evenly_distributed,
    parse_thresholds,
    update_confusion_variables,
)
from layerwise.utils.argument_validation import non_negative_int, number_in_range, positive_int

__all__ = ["AUC", "FalseNegatives", "FalsePositives", "Precision", "PrecisionAtRecall", "Recall",
           "RecallAtPrecision", "SensitivityAtSpecificity", "SpecificityAtSensitivity", "TrueNegatives",
           "TruePositives"]


def _optional(check, owner: str, arg: str, value: Any) -> Any:
    return None if value is None else check(owner, arg, value)


class _ConditionCount(Metric):
    """The weighted count of one cell of the confusion matrix, at each threshold."""

    _condition = "tp"

    def __init__(self, thresholds: Any = None, name: str | None = None, dtype: Any = None):
        parsed = parse_thresholds(type(self).__name__, thresholds, default=0.5)
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = config_thresholds(thresholds)
        self.thresholds = parsed
        self._thresholds = Thresholds(parsed, evenly_distributed(parsed))
        self.accumulator = self.add_variable(shape=(len(parsed),), initializer="zeros", name="accumulator")

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_variables({self._condition: self.accumulator}, type(self).__name__, y_true, y_pred,
                                   self._thresholds, sample_weight=sample_weight)

    def result(self):
        value = self.accumulator.detach()
        return value[0].clone() if len(self.thresholds) == 1 else value.clone()

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self.init_thresholds}


@export("layerwise.metrics.TruePositives")
class TruePositives(_ConditionCount):
    """The (weighted) number of positive labels predicted above the threshold(s).

    Args:
        thresholds: a number or list of numbers in [0, 1] (default 0.5); a list gives one count each.

    Example:
        >>> m = TruePositives(); m.update_state([0, 1, 1, 1], [1, 0, 1, 1]); float(m.result())
        2.0
    """

    _condition = "tp"


@export("layerwise.metrics.FalsePositives")
class FalsePositives(_ConditionCount):
    """The (weighted) number of negative labels predicted above the threshold(s).

    Example:
        >>> m = FalsePositives(); m.update_state([0, 1, 0, 0], [0, 0, 1, 1]); float(m.result())
        2.0
    """

    _condition = "fp"


@export("layerwise.metrics.TrueNegatives")
class TrueNegatives(_ConditionCount):
    """The (weighted) number of negative labels predicted at or below the threshold(s).

    Example:
        >>> m = TrueNegatives(); m.update_state([0, 1, 0, 0], [1, 1, 0, 0]); float(m.result())
        2.0
    """

    _condition = "tn"


@export("layerwise.metrics.FalseNegatives")
class FalseNegatives(_ConditionCount):
    """The (weighted) number of positive labels predicted at or below the threshold(s).

    Example:
        >>> m = FalseNegatives(); m.update_state([0, 1, 1, 1], [0, 1, 0, 0]); float(m.result())
        2.0
    """

    _condition = "fn"


class _PrecisionRecall(Metric):
    """``tp / (tp + other)`` at each threshold, with Keras's ``top_k`` and ``class_id``."""

    _other = "fp"

    def __init__(self, thresholds: Any = None, top_k: int | None = None, class_id: int | None = None,
                 name: str | None = None, dtype: Any = None):
        owner = type(self).__name__
        top_k = _optional(positive_int, owner, "top_k", top_k)
        class_id = _optional(non_negative_int, owner, "class_id", class_id)
        parsed = parse_thresholds(owner, thresholds, default=0.5 if top_k is None else NEG_INF)
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.init_thresholds = config_thresholds(thresholds)
        self.top_k, self.class_id, self.thresholds = top_k, class_id, parsed
        self._thresholds = Thresholds(parsed, evenly_distributed(parsed))
        self.true_positives = self.add_variable(shape=(len(parsed),), initializer="zeros", name="true_positives")
        other = "false_positives" if self._other == "fp" else "false_negatives"
        setattr(self, other, self.add_variable(shape=(len(parsed),), initializer="zeros", name=other))
        self._other_state = getattr(self, other)

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_variables({"tp": self.true_positives, self._other: self._other_state}, type(self).__name__,
                                   y_true, y_pred, self._thresholds, sample_weight=sample_weight, top_k=self.top_k,
                                   class_id=self.class_id)

    def result(self):
        tp = self.true_positives.detach()
        value = divide_no_nan(tp, tp + self._other_state.detach())
        return value[0] if len(self.thresholds) == 1 else value

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self.init_thresholds, "top_k": self.top_k,
                "class_id": self.class_id}


@export("layerwise.metrics.Precision")
class Precision(_PrecisionRecall):
    """``tp / (tp + fp)``: the share of positive predictions whose label is positive.

    Args:
        thresholds: a number or list of numbers in [0, 1]; a prediction above it is positive
            (default 0.5, or "in the top k" when ``top_k`` is set).
        top_k: only the ``k`` largest predictions of each sample count as positive.
        class_id: score only this class (column) of ``(num_samples, num_classes)`` inputs.

    Example:
        >>> m = Precision(); m.update_state([0, 1, 1, 1], [1, 0, 1, 1]); round(float(m.result()), 4)
        0.6667
    """

    _other = "fp"


@export("layerwise.metrics.Recall")
class Recall(_PrecisionRecall):
    """``tp / (tp + fn)``: the share of positive labels predicted positive.

    Takes the same arguments as ``Precision``.

    Example:
        >>> m = Recall(); m.update_state([0, 1, 1, 1], [1, 0, 1, 1]); round(float(m.result()), 4)
        0.6667
    """

    _other = "fn"


class _AtPoint(Metric):
    """Tp/fp/tn/fn at ``num_thresholds`` evenly spaced thresholds; subclasses read one curve point.

    Subclasses set ``_target`` (the constrained rate's argument name) and ``_rates`` (constrained
    rate, reported rate).
    """

    _target = "recall"
    _rates = ("recall", "precision")

    def __init__(self, value: float, num_thresholds: int = 200, class_id: int | None = None, name: str | None = None,
                 dtype: Any = None):
        owner = type(self).__name__
        value = number_in_range(owner, self._target, value, 0, 1)
        num_thresholds = positive_int(owner, "num_thresholds", num_thresholds)
        class_id = _optional(non_negative_int, owner, "class_id", class_id)
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.value, self.num_thresholds, self.class_id = value, num_thresholds, class_id
        setattr(self, self._target, value)
        if num_thresholds == 1:
            self.thresholds, evenly = [0.5], False
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds, evenly = [0.0] + inner + [1.0], True
        self._thresholds = Thresholds(self.thresholds, evenly)
        for state in ("true_positives", "false_positives", "true_negatives", "false_negatives"):
            setattr(self, state, self.add_variable(shape=(num_thresholds,), initializer="zeros", name=state))

    def update_state(self, y_true, y_pred, sample_weight=None):
        update_confusion_variables({"tp": self.true_positives, "fp": self.false_positives, "tn": self.true_negatives,
                                    "fn": self.false_negatives}, type(self).__name__, y_true, y_pred,
                                   self._thresholds, sample_weight=sample_weight, class_id=self.class_id)

    def _rate(self, which: str) -> torch.Tensor:
        tp, fp = self.true_positives.detach(), self.false_positives.detach()
        tn, fn = self.true_negatives.detach(), self.false_negatives.detach()
        if which in ("recall", "sensitivity"):
            return divide_no_nan(tp, tp + fn)
        if which == "specificity":
            return divide_no_nan(tn, tn + fp)
        return divide_no_nan(tp, tp + fp)  # precision

    def result(self):
        constrained, reported = (self._rate(r) for r in self._rates)
        feasible = constrained >= self.value
        return torch.where(feasible, reported, torch.zeros_like(reported)).max().clamp_min(0.0)

    def get_config(self) -> dict:
        return {**super().get_config(), "class_id": self.class_id, "num_thresholds": self.num_thresholds,
                self._target: self.value}


@export("layerwise.metrics.SensitivityAtSpecificity")
class SensitivityAtSpecificity(_AtPoint):
    """The best sensitivity (recall) over the thresholds whose specificity is at least ``specificity``.

    Args:
        specificity: the required specificity ``tn / (tn + fp)``, in [0, 1].
        num_thresholds: how many evenly spaced thresholds in [0, 1] to try (default 200).
        class_id: score only this class of ``(num_samples, num_classes)`` inputs.

    Example:
        >>> m = SensitivityAtSpecificity(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]); float(m.result())
        0.5
    """

    _target, _rates = "specificity", ("specificity", "sensitivity")

    def __init__(self, specificity: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype: Any = None):
        super().__init__(specificity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)


@export("layerwise.metrics.SpecificityAtSensitivity")
class SpecificityAtSensitivity(_AtPoint):
    """The best specificity over the thresholds whose sensitivity is at least ``sensitivity``.

    Example:
        >>> m = SpecificityAtSensitivity(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]); round(float(m.result()), 4)
        0.6667
    """

    _target, _rates = "sensitivity", ("sensitivity", "specificity")

    def __init__(self, sensitivity: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype: Any = None):
        super().__init__(sensitivity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)


@export("layerwise.metrics.PrecisionAtRecall")
class PrecisionAtRecall(_AtPoint):
    """The best precision over the thresholds whose recall is at least ``recall``.

    Example:
        >>> m = PrecisionAtRecall(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8]); float(m.result())
        0.5
    """

    _target, _rates = "recall", ("recall", "precision")

    def __init__(self, recall: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype: Any = None):
        super().__init__(recall, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)


@export("layerwise.metrics.RecallAtPrecision")
class RecallAtPrecision(_AtPoint):
    """The best recall over the thresholds whose precision is at least ``precision``.

    Example:
        >>> m = RecallAtPrecision(0.8)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]); float(m.result())
        0.5
    """

    _target, _rates = "precision", ("precision", "recall")

    def __init__(self, precision: float, num_thresholds: int = 200, class_id: int | None = None,
                 name: str | None = None, dtype: Any = None):
        super().__init__(precision, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype)
