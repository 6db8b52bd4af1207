"""The steps ``fit``, ``evaluate`` and ``predict`` run per batch, overridable as in Keras.

``train_step(data)`` is forward, loss, backward, optimizer update, metric update -- nothing else.
It returns logs that hold device tensors and read them only when asked, so a step never waits
for the device.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable

import torch

from layerwise.trainers import compile_utils
from layerwise.trainers.data_adapter import unpack_x_y_sample_weight
from layerwise.utils import tree


class LazyLogs(Mapping):
    """Metric results by name; the values are read from the device (one sync for all of them) on
    first access, and reused after that.

    Example:
        >>> import torch
        >>> logs = LazyLogs(lambda: {"loss": torch.tensor(0.5)})
        >>> list(logs), logs["loss"]
        (['loss'], 0.5)
    """

    def __init__(self, source: Callable[[], dict]):
        self._source = source
        self._values: dict | None = None

    def _load(self) -> dict:
        if self._values is None:
            raw = self._source()
            tensors = {k: v for k, v in raw.items() if isinstance(v, torch.Tensor) and v.numel() == 1}
            # a metric with several values (F1Score(average=None), Precision(thresholds=[...])) logs an array
            values = {k: (v.detach().cpu().numpy() if isinstance(v, torch.Tensor) else float(v))
                      for k, v in raw.items() if k not in tensors}
            if tensors:
                stacked = torch.stack([t.detach().reshape(()).to(torch.float64) for t in tensors.values()]).tolist()
                values.update(zip(tensors, stacked))
            self._values = {k: values[k] for k in raw}
        return self._values

    def __getitem__(self, key):
        return self._load()[key]

    def __iter__(self):
        return iter(self._load())

    def __len__(self):
        return len(self._load())

    def __repr__(self):
        return repr(self._load())


class StepsMixin:
    """``train_step``, ``test_step``, ``predict_step`` and the loss/metric plumbing they use."""

    # ---- loss --------------------------------------------------------------------------------------
    def _flat_outputs(self, y: Any, y_pred: Any, sample_weight: Any) -> tuple[list, list, list, list]:
        names = getattr(self, "_output_names_cache", None)  # set by fit/evaluate for their steps
        if names is None or len(names) != 1 or not isinstance(y_pred, torch.Tensor):
            names = compile_utils.output_structure_names(self, y_pred)
        flat_pred = tree.flatten(y_pred)
        flat_true = compile_utils.flatten_outputs(y, names, "y")
        if sample_weight is None or not isinstance(sample_weight, (list, tuple, dict)):
            flat_weight = [sample_weight] * len(names)
        else:
            flat_weight = compile_utils.flatten_outputs(sample_weight, names, "sample_weight")
        return names, flat_true, flat_pred, flat_weight

    def _build_compiled(self, y: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Create the compiled losses and metrics from a first batch of labels and predictions."""
        if self._compile_loss is None or (self._compile_loss.built and self._compile_metrics.built):
            return
        names, flat_true, flat_pred, _ = self._flat_outputs(y, y_pred, sample_weight)
        if y is not None:
            if not self._compile_loss.built:
                self._compile_loss.build(flat_true, flat_pred, names)
            if not self._compile_metrics.built:
                self._compile_metrics.build(flat_true, flat_pred, names)
        device = flat_pred[0].device
        for metric in self.metrics:
            metric.to(device)

    def compute_loss(self, x: Any = None, y: Any = None, y_pred: Any = None, sample_weight: Any = None,
                     training: bool = True) -> torch.Tensor:
        """The compiled loss plus every loss added by the layers (regularisers, ``add_loss``)."""
        total = None
        if self._compile_loss is not None and y is not None:
            self._build_compiled(y, y_pred, sample_weight)
            _, flat_true, flat_pred, flat_weight = self._flat_outputs(y, y_pred, sample_weight)
            total = self._compile_loss(flat_true, flat_pred, flat_weight)
        extra = self._collected_losses()
        if extra:
            penalty = extra[0] if len(extra) == 1 else torch.stack([e.reshape(()) for e in extra]).sum()
            total = penalty if total is None else total + penalty
        if total is None:
            raise ValueError(
                f"Model '{self.name}' has no loss to minimise: pass `loss=` to `compile()` (and labels `y` to "
                "`fit`), or add losses in the model with `add_loss`."
            )
        return total

    def _collected_losses(self) -> list:
        cache = getattr(self, "_regularized_cache", None)
        if cache is None:
            return self.losses
        owners = self._last_loss_owners
        out = [loss for owner in owners for loss in owner._losses]
        out.extend(regularizer(weight) for weight, regularizer in cache)
        return out

    # ---- metrics -----------------------------------------------------------------------------------
    def compute_metrics(self, x: Any, y: Any, y_pred: Any, sample_weight: Any = None) -> Mapping:
        """Update the compiled metrics; return the current results (read lazily)."""
        if self._compile_metrics is not None and y is not None:
            self._build_compiled(y, y_pred, sample_weight)
            _, flat_true, flat_pred, flat_weight = self._flat_outputs(y, y_pred, sample_weight)
            with torch.no_grad():
                self._compile_metrics.update_state(flat_true, [p.detach() for p in flat_pred], flat_weight)
        return self._lazy_results

    def get_metrics_result(self) -> dict:
        """Each metric's current ``result()`` (device tensors), by name."""
        results = {}
        for metric in self.metrics:
            results[metric.name] = metric.result()
        return results

    @property
    def _lazy_results(self) -> LazyLogs:
        return LazyLogs(self.get_metrics_result)

    # ---- steps -------------------------------------------------------------------------------------
    def train_step(self, data: Any) -> Mapping:
        """One optimisation step on a batch ``(x, y, sample_weight)``; returns the logs."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=True)
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=True)
        self._loss_tracker.update_state(loss.detach(), sample_weight=_batch_size(x))
        variables = self._trainable_for_step()
        for variable in variables:
            variable.grad = None
        self.optimizer.scale_loss(loss).backward()
        self.optimizer.apply([v.grad for v in variables], variables)
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def test_step(self, data: Any) -> Mapping:
        """One evaluation step; returns the logs."""
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self(x, training=False)
        loss = self.compute_loss(x=x, y=y, y_pred=y_pred, sample_weight=sample_weight, training=False)
        self._loss_tracker.update_state(loss.detach(), sample_weight=_batch_size(x))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def predict_step(self, data: Any) -> Any:
        """The model's outputs for one batch."""
        x, _, _ = unpack_x_y_sample_weight(data)
        return self(x, training=False)

    def _trainable_for_step(self) -> list:
        cached = getattr(self, "_trainable_cache", None)
        return cached if cached is not None else self.trainable_weights


def _batch_size(x: Any) -> int:
    first = tree.flatten(x)[0]
    return int(first.shape[0])
