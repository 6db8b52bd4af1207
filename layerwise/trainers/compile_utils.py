"""What ``compile(loss=..., metrics=...)`` turns into: per-output losses and metrics.

Strings resolve as in Keras 3: ``"accuracy"``/``"acc"`` becomes binary, sparse categorical or
categorical accuracy from the shapes of the labels and predictions; ``"crossentropy"``/``"ce"``
likewise; any other string is looked up in :mod:`layerwise.metrics` / :mod:`layerwise.losses`. A
metric given by name keeps that name in the logs (``"mae"`` logs ``mae``). For a model with
several outputs, losses and metrics may be lists (in output order) or dicts (by output name),
and logs are prefixed with the output name (``out_a_loss``, ``out_a_accuracy``).
"""

from __future__ import annotations

from typing import Any

import torch

from layerwise import losses as losses_module
from layerwise import metrics as metrics_module
from layerwise.losses.loss import Loss, LossFunctionWrapper
from layerwise.metrics.metric import Metric
from layerwise.metrics.reduction_metrics import Mean, MeanMetricWrapper
from layerwise.utils import tree

_UP_FUNCTIONS = {"accuracy", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
                 "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy"}


def _is_binary(y_pred: torch.Tensor) -> bool:
    return y_pred.ndim == 1 or y_pred.shape[-1] == 1


def _is_sparse(y_true: torch.Tensor, y_pred: torch.Tensor) -> bool:
    return y_true.ndim == y_pred.ndim - 1 or (y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1
                                               and y_pred.shape[-1] > 1)


def get_metric(identifier: Any, y_true: torch.Tensor, y_pred: torch.Tensor) -> Metric | None:
    """A metric object for one compile entry, resolving shape-dependent names."""
    if identifier is None:
        return None
    if isinstance(identifier, str):
        lowered = identifier.lower()
        if lowered in ("accuracy", "acc"):
            if _is_binary(y_pred):
                return metrics_module.BinaryAccuracy(name=identifier)
            if _is_sparse(y_true, y_pred):
                return metrics_module.SparseCategoricalAccuracy(name=identifier)
            return metrics_module.CategoricalAccuracy(name=identifier)
        if lowered in ("crossentropy", "ce"):
            fn = (losses_module.binary_crossentropy if _is_binary(y_pred)
                  else losses_module.sparse_categorical_crossentropy if _is_sparse(y_true, y_pred)
                  else losses_module.categorical_crossentropy)
            metric = MeanMetricWrapper(fn, name=identifier)
            metric._direction = "down"
            return metric
    obj = metrics_module.get(identifier)
    if isinstance(obj, Metric):
        if isinstance(identifier, str):
            obj.name = identifier  # as Keras: `metrics=["log_cosh_error"]` logs under that string
        return obj
    name = identifier if isinstance(identifier, str) else getattr(obj, "__name__", "metric")
    metric = MeanMetricWrapper(obj, name=name)
    metric._direction = "up" if getattr(obj, "__name__", "") in _UP_FUNCTIONS else "down"
    return metric


def get_loss(identifier: Any, y_true: torch.Tensor, y_pred: torch.Tensor) -> Loss | None:
    """A ``Loss`` object for one compile entry."""
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier.lower() in ("crossentropy", "ce"):
        if _is_binary(y_pred):
            return losses_module.BinaryCrossentropy()
        if _is_sparse(y_true, y_pred):
            return losses_module.SparseCategoricalCrossentropy()
        return losses_module.CategoricalCrossentropy()
    obj = losses_module.get(identifier)
    if isinstance(obj, Loss):
        return obj
    if callable(obj):
        name = identifier if isinstance(identifier, str) else getattr(obj, "__name__", None)
        return LossFunctionWrapper(obj, name=name)
    raise ValueError(f"Could not interpret loss identifier {identifier!r}.")


def _per_output(spec: Any, names: list[str], what: str) -> list:
    """Spread a compile argument over the outputs: one entry per output name."""
    count = len(names)
    if isinstance(spec, dict):
        unknown = sorted(set(spec) - set(names))
        if unknown:
            raise ValueError(f"`compile` argument `{what}` has keys {unknown} that are not output names; the "
                             f"model's outputs are {names}.")
        return [spec.get(name) for name in names]
    if isinstance(spec, (list, tuple)) and count > 1:
        if len(spec) != count:
            raise ValueError(f"`compile` argument `{what}` has {len(spec)} entries for a model with {count} outputs "
                             f"({names}).")
        return list(spec)
    return [spec] * count


def flatten_outputs(y: Any, names: list[str], what: str) -> list:
    """Labels (or weights) given as one array, a list, or a dict, in output order."""
    if isinstance(y, dict):
        missing = [n for n in names if n not in y]
        if missing:
            raise ValueError(f"`{what}` given as a dict lacks the outputs {missing} (it has {sorted(y)}).")
        return [y[n] for n in names]
    if isinstance(y, (list, tuple)) and len(names) > 1:
        if len(y) != len(names):
            raise ValueError(f"`{what}` has {len(y)} entries for a model with {len(names)} outputs ({names}).")
        return list(y)
    if len(names) == 1:
        return [y[0] if isinstance(y, (list, tuple)) and len(y) == 1 else y]
    return [y] * len(names)


class CompileLoss:
    """The total training loss: ``sum(weight_i * loss_i(y_true_i, y_pred_i))`` over outputs."""

    def __init__(self, loss: Any, loss_weights: Any = None, output_names: list[str] | None = None):
        self._user_loss = loss
        self._user_weights = loss_weights
        self.output_names = output_names
        self.built = False
        self.losses: list[Loss | None] = []
        self.weights: list[float | None] = []
        self.trackers: list[Mean | None] = []

    def build(self, y_true: list, y_pred: list, names: list[str]) -> None:
        specs = _per_output(self._user_loss, names, "loss")
        self.losses = [get_loss(spec, t, p) for spec, t, p in zip(specs, y_true, y_pred)]
        weights = self._user_weights
        self.weights = [None if w is None else float(w) for w in _per_output(weights, names, "loss_weights")] \
            if weights is not None else [None] * len(names)
        several = sum(loss is not None for loss in self.losses) > 1
        self.trackers = [Mean(name=f"{name}_loss") if (several and loss is not None) else None
                         for name, loss in zip(names, self.losses)]
        self.built = True

    def __call__(self, y_true: list, y_pred: list, sample_weights: list) -> torch.Tensor | None:
        total = None
        for loss, weight, tracker, t, p, w in zip(self.losses, self.weights, self.trackers, y_true, y_pred,
                                                   sample_weights):
            if loss is None:
                continue
            value = loss(t, p, w)
            if tracker is not None:
                tracker.update_state(value.detach(), sample_weight=p.shape[0])
            if weight is not None:
                value = value * weight
            total = value if total is None else total + value
        return total

    @property
    def metrics(self) -> list[Mean]:
        return [t for t in self.trackers if t is not None]


class CompileMetrics:
    """The metrics of every output, created once the first labels and predictions are seen."""

    def __init__(self, metrics: Any, weighted_metrics: Any, output_names: list[str] | None = None):
        self._user_metrics = metrics
        self._user_weighted = weighted_metrics
        self.built = False
        self.unweighted: list[list[Metric]] = []
        self.weighted: list[list[Metric]] = []

    def build(self, y_true: list, y_pred: list, names: list[str]) -> None:
        prefix = len(names) > 1
        taken: set[str] = set()

        def make(spec, t, p, name, weighted):
            entries = spec if isinstance(spec, (list, tuple)) else ([] if spec is None else [spec])
            made = []
            for entry in entries:
                metric = get_metric(entry, t, p)
                if metric is None:
                    continue
                if prefix:
                    metric.name = f"{name}_{metric.name}"
                if weighted and metric.name in taken:
                    metric.name = f"weighted_{metric.name}"
                if metric.name in taken:
                    raise ValueError(f"Two compiled metrics are named {metric.name!r}; give them distinct names.")
                taken.add(metric.name)
                made.append(metric)
            return made

        metric_specs = self._spread(self._user_metrics, names, "metrics")
        weighted_specs = self._spread(self._user_weighted, names, "weighted_metrics")
        self.unweighted = [make(s, t, p, n, False) for s, t, p, n in zip(metric_specs, y_true, y_pred, names)]
        self.weighted = [make(s, t, p, n, True) for s, t, p, n in zip(weighted_specs, y_true, y_pred, names)]
        self.built = True

    @staticmethod
    def _spread(spec: Any, names: list[str], what: str) -> list:
        if spec is None:
            return [None] * len(names)
        if isinstance(spec, dict):
            return _per_output(spec, names, what)
        if isinstance(spec, (list, tuple)) and len(names) > 1 and spec and all(
                isinstance(s, (list, tuple)) or s is None for s in spec):
            return _per_output(list(spec), names, what)
        return [spec] * len(names)

    def update_state(self, y_true: list, y_pred: list, sample_weights: list) -> None:
        for metrics, t, p in zip(self.unweighted, y_true, y_pred):
            for metric in metrics:
                metric.update_state(t, p)
        for metrics, t, p, w in zip(self.weighted, y_true, y_pred, sample_weights):
            for metric in metrics:
                metric.update_state(t, p, sample_weight=w)

    @property
    def metrics(self) -> list[Metric]:
        return [m for group in self.unweighted for m in group] + [m for group in self.weighted for m in group]


def output_structure_names(model: Any, y_pred: Any) -> list[str]:
    """Names of the model's outputs, in the order of ``tree.flatten(y_pred)``."""
    flat = tree.flatten(y_pred)
    if isinstance(y_pred, dict):
        return sorted(y_pred)
    names = model._output_names_for_training() if hasattr(model, "_output_names_for_training") else None
    if names and len(names) == len(flat):
        return names
    if len(flat) == 1:
        return [names[0] if names else "output"]
    return [f"output_{i + 1}" for i in range(len(flat))]
