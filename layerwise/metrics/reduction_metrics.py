"""``Sum``, ``Mean`` and ``MeanMetricWrapper`` (a metric from a per-sample function)."""

from __future__ import annotations

from typing import Any, Callable

import torch

from layerwise.api_export import export
from layerwise.losses.loss import apply_mask, squeeze_or_expand_to_same_rank
from layerwise.metrics.metric import Metric
from layerwise.ops.core import convert_to_tensor


def _reduce(x: torch.Tensor, dims: tuple, how: str) -> torch.Tensor:
    return x.sum(dim=dims) if how == "sum" else x.mean(dim=dims)


def reduce_to_samplewise_values(values: Any, sample_weight: Any, dtype: torch.dtype, device=None,
                                reduce: str = "mean"):
    """Per-sample values times their weights, as Keras reduces them.

    The non-batch axes are reduced with ``reduce`` (``"mean"`` for ``Mean``, ``"sum"`` for ``Sum``).
    """
    mask = getattr(values, "_keras_mask", None)
    values = convert_to_tensor(values, device=device).to(dtype)
    if sample_weight is not None:
        sample_weight = convert_to_tensor(sample_weight, device=values.device).to(dtype)
        if mask is not None:
            sample_weight = apply_mask(sample_weight, mask, dtype, "sum")
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        if values.ndim > sample_weight.ndim:
            values = _reduce(values, tuple(range(sample_weight.ndim, values.ndim)), reduce)
        sample_weight = torch.broadcast_to(sample_weight, values.shape)
        values = values * sample_weight
        if sample_weight.ndim > 1:
            sample_weight = _reduce(sample_weight, tuple(range(1, sample_weight.ndim)), reduce)
    if values.ndim > 1:
        values = _reduce(values, tuple(range(1, values.ndim)), reduce)
    return values, sample_weight


@export("layerwise.metrics.Sum")
class Sum(Metric):
    """The (weighted) sum of the values seen.

    Example:
        >>> m = Sum(); m.update_state([1.0, 3.0, 5.0]); float(m.result())
        9.0
    """

    def __init__(self, name: str = "sum", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = reduce_to_samplewise_values(values, sample_weight, self._torch_dtype(), self.total.device,
                                                reduce="sum")
        with torch.no_grad():
            self.total.add_(values.sum())

    def result(self):
        return self.total.detach().clone()


@export("layerwise.metrics.Mean")
class Mean(Metric):
    """The (weighted) mean of the values seen: ``sum(w * v) / sum(w)``.

    Example:
        >>> m = Mean(); m.update_state([1.0, 3.0, 5.0, 7.0]); float(m.result())
        4.0
        >>> m.update_state([9.0], sample_weight=[4.0]); float(m.result())
        6.5
    """

    def __init__(self, name: str = "mean", dtype: Any = None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable(shape=(), initializer="zeros", name="total")
        self.count = self.add_variable(shape=(), initializer="zeros", name="count")

    def update_state(self, values, sample_weight=None):
        if isinstance(sample_weight, (int, float)) and not isinstance(sample_weight, bool):
            # A Python weight (the batch size, for the loss tracker): no host-to-device copy. As in
            # Keras, a scalar weight weighs the mean of all the values it comes with.
            values = convert_to_tensor(values, device=self.total.device)
            dtype = self._torch_dtype()
            if values.dtype != dtype:
                values = values.to(dtype)
            with torch.no_grad():
                self.total.add_(values if values.ndim == 0 else values.mean(), alpha=sample_weight)
                self.count.add_(sample_weight)
            return
        if sample_weight is None and isinstance(values, torch.Tensor) and values.ndim == 1 \
                and values.dtype == self.total.dtype and values.device == self.total.device \
                and getattr(values, "_keras_mask", None) is None:
            with torch.no_grad():  # one unweighted value per sample (every step's metrics): no conversions needed
                self.total.add_(values.sum())
                self.count.add_(values.shape[0])
            return
        values, sample_weight = reduce_to_samplewise_values(values, sample_weight, self._torch_dtype(),
                                                            self.total.device)
        with torch.no_grad():
            self.total.add_(values.sum())
            if sample_weight is not None:
                self.count.add_(sample_weight.sum())
            else:
                self.count.add_(values.shape[0] if values.ndim >= 1 else 1)

    def result(self):
        return torch.where(self.count == 0, torch.zeros_like(self.total), self.total / self.count).detach()


@export("layerwise.metrics.MeanMetricWrapper")
class MeanMetricWrapper(Mean):
    """The mean of ``fn(y_true, y_pred, **kwargs)`` over all samples seen.

    Example:
        >>> import torch
        >>> m = MeanMetricWrapper(lambda t, p: (t - p).abs(), name="l1")
        >>> m.update_state(torch.tensor([0.0, 0.0]), torch.tensor([1.0, 3.0])); float(m.result())
        2.0
    """

    def __init__(self, fn: Callable, name: str | None = None, dtype: Any = None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", "mean_metric_wrapper"), dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        mask = getattr(y_pred, "_keras_mask", None)
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        if mask is not None:
            if sample_weight is not None:
                sample_weight = convert_to_tensor(sample_weight, device=mask.device)
            sample_weight = apply_mask(sample_weight, mask, self._torch_dtype(), "sum")
        super().update_state(values, sample_weight=sample_weight)

    def get_config(self) -> dict:
        from layerwise.saving.serialization_lib import serialize_keras_object

        config = {"name": self.name, "dtype": self.dtype, **self._fn_kwargs}
        if type(self) is MeanMetricWrapper:
            config["fn"] = serialize_keras_object(self._fn)
        return config

    @classmethod
    def from_config(cls, config: dict) -> "MeanMetricWrapper":
        from layerwise.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        if "fn" in config:
            config["fn"] = deserialize_keras_object(config["fn"])
        return cls(**config)
