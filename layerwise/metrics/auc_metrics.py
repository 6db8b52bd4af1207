"""``AUC``: the area under the ROC or precision-recall curve, from counts at fixed thresholds.

The curve is sampled at ``num_thresholds`` thresholds (``-epsilon``, evenly spaced inner ones,
``1 + epsilon``); the state is the tp/fp/tn/fn count at each, and ``result()`` sums the area with a
Riemann sum (or, for ``PR`` with ``"interpolation"``, Davis & Goadrich's interpolation), as Keras 3.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from layerwise import config
from layerwise.api_export import export
from layerwise.metrics.metric import Metric
from layerwise.metrics.metrics_utils import (
    DeviceConstant,
    Thresholds,
    add_state_on,
    divide_no_nan,
    evenly_distributed,
    parse_thresholds,
    update_confusion_variables,
)
from layerwise.ops.core import convert_to_tensor
from layerwise.utils.argument_validation import one_of, positive_int

_CURVES = ("ROC", "PR", "PRGAIN")
_SUMMATIONS = ("interpolation", "majoring", "minoring")
_STATES = ("true_positives", "false_positives", "true_negatives", "false_negatives")


@export("layerwise.metrics.AUC")
class AUC(Metric):
    """The area under the ROC (``curve="ROC"``) or precision-recall (``curve="PR"``) curve.

    Args:
        num_thresholds: how many thresholds sample the curve (default 200, at least 2).
        curve: ``"ROC"``, ``"PR"`` or ``"PRGAIN"``.
        summation_method: ``"interpolation"`` (trapezoids; interpolated precision for PR),
            ``"minoring"`` (lower Riemann sum) or ``"majoring"`` (upper Riemann sum).
        thresholds: inner thresholds in [0, 1] to use instead of ``num_thresholds`` evenly spaced ones.
        multi_label: inputs ``(num_samples, num_labels)`` are separate binary problems; the result
            is the mean of their AUCs (weighted by ``label_weights`` when given). When ``False``
            every element is pooled into one problem.
        num_labels: the number of labels with ``multi_label`` (else taken from the first batch).
        label_weights: one weight per label (last axis): the averaging weights with
            ``multi_label``, else weights of each label's contributions to the pooled counts.
        from_logits: apply a sigmoid to the predictions first.

    Example:
        >>> m = AUC(num_thresholds=3); m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]); float(m.result())
        0.75
    """

    def __init__(self, num_thresholds: int = 200, curve: str = "ROC", summation_method: str = "interpolation",
                 name: str | None = None, dtype: Any = None, thresholds: Any = None, multi_label: bool = False,
                 num_labels: int | None = None, label_weights: Any = None, from_logits: bool = False):
        curve = one_of("AUC", "curve", curve, _CURVES, str.upper)
        summation_method = one_of("AUC", "summation_method", summation_method, _SUMMATIONS, str.lower)
        if thresholds is not None:
            inner = sorted(parse_thresholds("AUC", thresholds, default=0.5))
            num_thresholds = len(inner) + 2
            evenly = evenly_distributed([0.0] + inner + [1.0])
        else:
            num_thresholds = positive_int("AUC", "num_thresholds", num_thresholds)
            if num_thresholds < 2:
                raise ValueError(f"`AUC` argument `num_thresholds` must be an integer > 1; received "
                                 f"num_thresholds={num_thresholds}.")
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            evenly = True
        if num_labels is not None and not multi_label:
            raise ValueError(f"`AUC` argument `num_labels` is used only with `multi_label=True`; received "
                             f"num_labels={num_labels!r} with multi_label={multi_label!r}.")
        num_labels = None if num_labels is None else positive_int("AUC", "num_labels", num_labels)
        weights = None
        if label_weights is not None:
            weights = [float(w) for w in np.asarray(convert_to_tensor(label_weights, device="cpu").detach().cpu(),
                                                    dtype=np.float64).reshape(-1)]
            if any(not np.isfinite(w) or w < 0 for w in weights) or (num_labels and len(weights) != num_labels):
                raise ValueError(f"`AUC` argument `label_weights` must be non-negative finite numbers, one per label"
                                 f"{f' ({num_labels})' if num_labels else ''}; received label_weights={weights}.")
        super().__init__(name=name, dtype=dtype)
        self._direction = "up"
        self.num_thresholds, self.curve, self.summation_method = num_thresholds, curve, summation_method
        self._init_from_thresholds = thresholds is not None
        epsilon = config.epsilon()
        self._thresholds = Thresholds([0.0 - epsilon] + inner + [1.0 + epsilon], evenly)
        self.multi_label, self.num_labels = bool(multi_label), num_labels
        self.label_weights = weights
        self._label_weights = None if weights is None else DeviceConstant(weights)
        self._from_logits = bool(from_logits)
        self._built = False
        if not self.multi_label:
            self._build(None, config.default_device())
        elif num_labels:
            self._build(num_labels, config.default_device())

    @property
    def thresholds(self) -> list[float]:
        """All thresholds, ``-epsilon`` and ``1 + epsilon`` included."""
        return list(self._thresholds.values)

    def _build(self, num_labels: int | None, device: torch.device) -> None:
        self._num_labels = num_labels
        shape = (self.num_thresholds,) if num_labels is None else (self.num_thresholds, num_labels)
        for state in _STATES:
            setattr(self, state, add_state_on(self, shape, state, device))
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self._built:
            shape = tuple(getattr(y_pred, "shape", np.shape(y_pred)))
            if len(shape) != 2:
                raise ValueError(f"`AUC` with `multi_label=True` needs predictions of shape (num_samples, "
                                 f"num_labels); received y_pred.shape={shape}.")
            device = y_pred.device if isinstance(y_pred, torch.Tensor) else self._device()
            self._build(int(shape[1]), device)
        if self.multi_label and tuple(getattr(y_pred, "shape", np.shape(y_pred)))[-1:] != (self._num_labels,):
            raise ValueError(f"`AUC` was built for {self._num_labels} labels; received predictions of shape "
                             f"{tuple(getattr(y_pred, 'shape', np.shape(y_pred)))}.")
        if self._from_logits:
            y_pred = torch.sigmoid(convert_to_tensor(y_pred, device=self.true_positives.device).to(
                self.true_positives.dtype))
        label_weights = None
        if self._label_weights is not None and not self.multi_label:
            label_weights = self._label_weights.on(self.true_positives.device, self.true_positives.dtype)
        update_confusion_variables({"tp": self.true_positives, "fp": self.false_positives, "tn": self.true_negatives,
                                    "fn": self.false_negatives}, "AUC", y_true, y_pred, self._thresholds,
                                   sample_weight=sample_weight, multi_label=self.multi_label,
                                   label_weights=label_weights)

    def _device(self) -> torch.device:
        if self._variables:
            return self._variables[0].device
        return getattr(self, "_placed_on", None) or config.default_device()

    def _counts(self) -> tuple[torch.Tensor, ...]:
        return tuple(getattr(self, state).detach() for state in _STATES)

    def _over_labels(self, per_threshold: torch.Tensor) -> torch.Tensor:
        """Sum over thresholds; with ``multi_label``, then the (weighted) mean over labels."""
        by_label = per_threshold.sum(0)
        if not self.multi_label:
            return by_label
        if self._label_weights is None:
            return by_label.mean()
        weights = self._label_weights.on(by_label.device, by_label.dtype)
        return divide_no_nan((by_label * weights).sum(), weights.sum())

    def interpolate_pr_auc(self) -> torch.Tensor:
        """The PR area with precision interpolated between thresholds (Davis & Goadrich, 2006)."""
        tp, fp, _, fn = self._counts()
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = divide_no_nan(dtp, dp.clamp_min(0))
        intercept = tp[1:] - slope * p[1:]
        both = (p[:-1] > 0) & (p[1:] > 0)
        ratio = torch.where(both, divide_no_nan(p[:-1], p[1:].clamp_min(0)), torch.ones_like(p[1:]))
        area = divide_no_nan(slope * (dtp + intercept * torch.log(ratio)), (tp[1:] + fn[1:]).clamp_min(0))
        return self._over_labels(area)

    def result(self):
        if not self._built:
            return torch.zeros((), dtype=self._torch_dtype(), device=self._device())
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self.interpolate_pr_auc()
        tp, fp, tn, fn = self._counts()
        recall = divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, divide_no_nan(tp, tp + fp)
        else:  # PRGAIN
            scale = divide_no_nan(tp + fn, tn + fp)
            recall_gain = 1.0 - scale * divide_no_nan(fn, tp)
            precision_gain = 1.0 - scale * divide_no_nan(fp, tp)
            no_tp = tp == 0
            x = torch.where(no_tp, torch.zeros_like(recall_gain), recall_gain).clamp_min(0.0)
            y = torch.where(no_tp, torch.ones_like(precision_gain), precision_gain)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = torch.minimum(y[:-1], y[1:])
        else:
            heights = torch.maximum(y[:-1], y[1:])
        return self._over_labels((x[:-1] - x[1:]) * heights)

    def get_config(self) -> dict:
        config_ = {**super().get_config(), "num_thresholds": self.num_thresholds, "curve": self.curve,
                   "summation_method": self.summation_method, "multi_label": self.multi_label,
                   "num_labels": self.num_labels, "label_weights": self.label_weights,
                   "from_logits": self._from_logits}
        if self._init_from_thresholds:
            config_["thresholds"] = self.thresholds[1:-1]
        return config_
