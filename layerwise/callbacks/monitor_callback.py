"""``MonitorCallback``: the "has this logged quantity improved?" rules shared by ``EarlyStopping``,
``ReduceLROnPlateau`` and ``ModelCheckpoint`` (Keras 3's rules, in one place)."""

from __future__ import annotations

import operator
from typing import Any

from layerwise.api_export import export
from layerwise.callbacks.callback import Callback
from layerwise.utils.argument_validation import one_of

# Used only when the model has no metric object of that name to ask (a value put in the logs by a
# callback, a metric built outside compile): words of the names of Keras's metrics that go up / down.
_UP_WORDS = {"acc", "accuracy", "auc", "precision", "recall", "fmeasure", "f1", "fbeta", "iou", "r2",
             "similarity", "correlation", "specificity", "sensitivity"}
_DOWN_WORDS = {"loss", "error", "mse", "mae", "mape", "msle", "rmse", "hinge", "crossentropy", "logcosh"}


def metric_direction(model: Any, name: str) -> str | None:
    """``"min"`` or ``"max"`` for a logged name, or ``None`` when it cannot be told.

    The model's metric objects decide first (their ``_direction``, as in Keras 3); a name no metric
    object answers to is judged by its spelling: accuracy/AUC-like names go up, losses and errors
    go down; a name with neither (or both) kinds of word gives ``None``.

    Example:
        >>> metric_direction(None, "val_accuracy"), metric_direction(None, "loss"), metric_direction(None, "x")
        ('max', 'min', None)
    """
    base = name[4:] if name.startswith("val_") else name
    for metric in getattr(model, "metrics", None) or []:
        for candidate in getattr(metric, "metrics", None) or [metric]:
            if getattr(candidate, "name", None) == base and getattr(candidate, "_direction", None):
                return "max" if candidate._direction == "up" else "min"
    if base == "loss" or base.endswith("_loss"):
        return "min"
    words = set(base.lower().split("_"))
    up, down = bool(words & _UP_WORDS), bool(words & _DOWN_WORDS)
    if up == down:  # neither, or both: no guess
        return None
    return "max" if up else "min"


@export("layerwise.callbacks.MonitorCallback")
class MonitorCallback(Callback):
    """Base class of callbacks that watch one logged quantity and act when it improves (or not).

    Args:
        monitor: the logged name (``"val_loss"``, ``"accuracy"``...).
        mode: ``"min"``, ``"max"``, or ``"auto"``: from the model's metric (losses go down,
            accuracies up); a name no metric answers to is judged by its spelling.
        baseline: the initial best value (``None``: the first value seen).
        min_delta: a change smaller than this is not an improvement.

    Example:
        >>> watch = MonitorCallback(monitor="val_loss", min_delta=0.1)
        >>> watch._is_improvement(0.95, 1.0), watch._is_improvement(0.85, 1.0)
        (False, True)
    """

    def __init__(self, monitor: str = "val_loss", mode: str = "auto", baseline: float | None = None,
                 min_delta: float = 0):
        super().__init__()
        owner = type(self).__name__
        if not isinstance(monitor, str):
            raise ValueError(f"`{owner}` argument `monitor` must be the name of a logged quantity (a string); "
                             f"received monitor={monitor!r}.")
        self.mode = one_of(owner, "mode", mode, ("auto", "min", "max"))
        self.min_delta = abs(float(min_delta))
        self.monitor = monitor
        self.best = baseline
        self.monitor_op = None
        self._direction: str | None = None

    def _set_monitor_op(self) -> None:
        """Decide whether the monitored value should go down or up (once, when first needed)."""
        direction = self.mode if self.mode != "auto" else metric_direction(self.model, self.monitor)
        if direction is None:
            raise ValueError(
                f"{type(self).__name__} cannot tell whether monitor={self.monitor!r} should go up or down. "
                "Pass mode='max' to keep the highest value, or mode='min' to keep the lowest."
            )
        self._direction = direction
        self.monitor_op = operator.lt if direction == "min" else operator.gt

    def _is_improvement(self, value: float, reference: float | None) -> bool:
        if reference is None:
            return True
        if self.monitor_op is None:
            self._set_monitor_op()
        if self._direction == "min":
            return float(value) + self.min_delta < reference
        return float(value) - self.min_delta > reference
