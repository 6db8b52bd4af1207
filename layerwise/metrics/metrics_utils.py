"""Thresholded confusion counts shared by ``Precision``, ``Recall``, ``AUC`` and their relatives.

Every threshold is handled at once: each prediction is mapped to the number of thresholds it
exceeds (a bucket), weighted labels are scattered into one histogram over the buckets, and a
reversed cumulative sum turns the histogram into the count above every threshold. The cost is
``O(N + T)`` for ``N`` predictions and ``T`` thresholds, the state has a fixed shape, and nothing
is read back from the device.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import torch

from layerwise import config
from layerwise.losses.loss import squeeze_or_expand_to_same_rank
from layerwise.ops.core import convert_to_tensor

# The threshold used with ``top_k``: every kept prediction is above it, every dropped one is not.
NEG_INF = -1e10


def divide_no_nan(numerator: torch.Tensor, denominator: torch.Tensor) -> torch.Tensor:
    """``numerator / denominator``, and 0 where the denominator is 0.

    Example:
        >>> import torch
        >>> divide_no_nan(torch.tensor([1.0, 2.0]), torch.tensor([4.0, 0.0]))
        tensor([0.2500, 0.0000])
    """
    nonzero = denominator != 0
    safe = torch.where(nonzero, denominator, torch.ones_like(denominator))
    return torch.where(nonzero, numerator / safe, torch.zeros_like(numerator / safe))


def parse_thresholds(owner: str, thresholds: Any, default: float) -> list[float]:
    """The thresholds as a list of floats in ``[0, 1]`` (``default`` when ``None``).

    Example:
        >>> parse_thresholds("Precision", None, 0.5), parse_thresholds("Precision", [0.2, 0.8], 0.5)
        ([0.5], [0.2, 0.8])
    """
    if thresholds is None:
        return [float(default)]
    values = list(np.asarray(thresholds, dtype=object).reshape(-1)) if not isinstance(thresholds, numbers.Real) \
        else [thresholds]
    bad = [v for v in values if isinstance(v, bool) or not isinstance(v, numbers.Real) or not 0 <= v <= 1]
    if bad or not values:
        raise ValueError(f"`{owner}` argument `thresholds` must be a number or a non-empty list of numbers in "
                         f"[0, 1]; received thresholds={thresholds!r}.")
    return [float(v) for v in values]


def config_thresholds(thresholds: Any) -> Any:
    """The thresholds as given, in JSON types (a tuple or array becomes a list)."""
    if thresholds is None or isinstance(thresholds, numbers.Real):
        return None if thresholds is None else float(thresholds)
    return [float(v) for v in np.asarray(thresholds, dtype=np.float64).reshape(-1)]


def evenly_distributed(thresholds: list[float]) -> bool:
    """Whether ``thresholds`` are ``0, 1/(T-1), ..., 1`` (``T >= 3``), as Keras decides it.

    Example:
        >>> evenly_distributed([0.0, 0.5, 1.0]), evenly_distributed([0.0, 0.4, 1.0])
        (True, False)
    """
    count = len(thresholds)
    if count < 3:
        return False
    even = np.arange(count, dtype=np.float32) / (count - 1)
    return bool(np.allclose(thresholds, even, atol=config.epsilon()))


class DeviceConstant:
    """Fixed values copied to a device once per device and dtype, so updates make no host copy.

    Example:
        >>> import torch
        >>> DeviceConstant([1.0, 2.0]).on(torch.device("cpu"), torch.float64)
        tensor([1., 2.], dtype=torch.float64)
    """

    def __init__(self, values: list):
        self.values = list(values)
        self._copies: dict = {}

    def on(self, device: torch.device, dtype: torch.dtype) -> torch.Tensor:
        key = (device, dtype)
        if key not in self._copies:
            self._copies[key] = torch.tensor(self.values, dtype=dtype, device=device)
        return self._copies[key]


class Thresholds:
    """A fixed list of thresholds and the bucket (count of thresholds exceeded) of a prediction.

    With evenly spaced thresholds the bucket is arithmetic, ``ceil(p * (T - 1))`` on predictions
    clipped to ``[0, 1]`` (Keras's fast path, with its results); otherwise it is an exact
    ``p > t`` search in the sorted thresholds, and counts are returned in the given order.

    Example:
        >>> import torch
        >>> Thresholds([0.5, 0.2]).exceeded(torch.tensor([0.1, 0.3, 0.9])).tolist()
        [0, 1, 2]
    """

    def __init__(self, values: list[float], evenly: bool = False):
        self.values = [float(v) for v in values]
        self.count = len(self.values)
        self.evenly = bool(evenly)
        # AUC puts -epsilon and 1 + epsilon at the ends: then 0 is above the first threshold.
        self.with_epsilon = self.evenly and (self.values[0] < 0.0 or self.values[-1] > 1.0)
        order = np.argsort(np.asarray(self.values), kind="stable")
        self._sorted = DeviceConstant([self.values[i] for i in order])
        self._restore = None if np.all(order == np.arange(self.count)) else DeviceConstant(np.argsort(order).tolist())

    def exceeded(self, y_pred: torch.Tensor) -> torch.Tensor:
        """How many thresholds each prediction is strictly above, in ``[0, T]`` (int64)."""
        if self.evenly:  # ceil(clip(p, 0, 1) * (T - 1)); the integer clamp also catches NaN
            buckets = (y_pred * (self.count - 1)).clamp_(0.0, self.count - 1).ceil_().long()
            return buckets.clamp_(1 if self.with_epsilon else 0, self.count - 1)
        return torch.bucketize(y_pred.contiguous(), self._sorted.on(y_pred.device, y_pred.dtype), right=False)

    def restore_order(self, counts: torch.Tensor) -> torch.Tensor:
        """Counts over the sorted thresholds (last axis), back in the order they were given."""
        if self._restore is None:
            return counts
        return counts.index_select(-1, self._restore.on(counts.device, torch.long))


def filter_top_k(y_pred: torch.Tensor, k: int) -> torch.Tensor:
    """Keep the ``k`` largest values of the last axis and set the others to ``NEG_INF``.

    Example:
        >>> import torch
        >>> filter_top_k(torch.tensor([[0.1, 0.7, 0.2]]), 2).tolist()
        [[-10000000000.0, 0.699999988079071, 0.20000000298023224]]
    """
    indices = torch.topk(y_pred, min(k, y_pred.shape[-1]), dim=-1).indices
    keep = torch.zeros_like(y_pred).scatter_(-1, indices, 1.0)
    return y_pred * keep + NEG_INF * (1.0 - keep)


def prepare_inputs(owner: str, y_true: Any, y_pred: Any, sample_weight: Any, dtype: torch.dtype,
                   device: torch.device, top_k: int | None = None, class_id: int | None = None):
    """Labels as booleans, predictions, and weights broadcast to the predictions, as Keras lines them up."""
    y_pred = convert_to_tensor(y_pred, device=device).to(dtype)
    y_true = convert_to_tensor(y_true, device=device)
    y_true = y_true != 0  # any non-zero label is positive
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"`{owner}` needs labels and predictions of the same shape; received "
                         f"y_true.shape={tuple(y_true.shape)} and y_pred.shape={tuple(y_pred.shape)}.")
    if sample_weight is not None:
        sample_weight = convert_to_tensor(sample_weight, device=device).to(dtype).unsqueeze(-1)
        _, sample_weight = squeeze_or_expand_to_same_rank(y_true, sample_weight, expand_rank_1=False)
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim < 2:
            raise ValueError(f"`{owner}` with `class_id` needs predictions of shape (num_samples, num_classes); "
                             f"received y_pred.shape={tuple(y_pred.shape)}.")
        if class_id >= y_pred.shape[-1]:
            raise ValueError(f"`{owner}` argument `class_id` must be below the number of classes "
                             f"{y_pred.shape[-1]}; received class_id={class_id}.")
        if sample_weight is not None and sample_weight.ndim == y_pred.ndim and sample_weight.shape[-1] > 1:
            sample_weight = sample_weight[..., class_id, None]  # one weight per class: keep this class's
        y_true, y_pred = y_true[..., class_id, None], y_pred[..., class_id, None]
    if sample_weight is not None:
        try:
            sample_weight = torch.broadcast_to(sample_weight, y_pred.shape)
        except RuntimeError:
            raise ValueError(f"`{owner}` argument `sample_weight` must broadcast to the predictions' shape "
                             f"{tuple(y_pred.shape)}; received sample_weight.shape="
                             f"{tuple(sample_weight.shape)}.") from None
    return y_true, y_pred, sample_weight


def confusion_counts(y_true: torch.Tensor, y_pred: torch.Tensor, weights: torch.Tensor | None,
                     thresholds: Thresholds, multi_label: bool = False):
    """``(tp, fp, tn, fn)`` at every threshold, ``prediction > threshold`` being positive.

    ``y_true`` is boolean; ``weights`` (or ``None``) has the predictions' shape.

    Shapes ``(T,)``, or ``(T, L)`` with ``multi_label`` (inputs ``(N, L)``). Counts above a
    threshold are a reversed cumulative sum of the bucket histogram, counts at or below it a
    forward one, so none is a difference of two sums (an empty cell is exactly 0).

    Example:
        >>> import torch
        >>> counts = confusion_counts(torch.tensor([False, True, True]), torch.tensor([0.6, 0.7, 0.2]), None,
        ...                           Thresholds([0.5]))
        >>> [c.tolist() for c in counts]
        [[1.0], [1.0], [0.0], [1.0]]
    """
    size = thresholds.count + 1
    groups = y_pred.shape[-1] if multi_label else 1
    # one histogram of buckets for positive labels, one for negative ones (per label with multi_label)
    index = thresholds.exceeded(y_pred) + torch.where(y_true, 0, size)
    if multi_label:
        index = index + torch.arange(groups, device=index.device) * (2 * size)
    values = torch.ones_like(y_pred) if weights is None else weights
    histogram = torch.zeros(groups * 2 * size, dtype=values.dtype, device=values.device)
    histogram = histogram.index_add_(0, index.reshape(-1), values.reshape(-1)).reshape(groups, 2, size)
    above = histogram[..., 1:].flip(-1).cumsum(-1).flip(-1)  # above threshold j: buckets j + 1 .. T
    at_or_below = histogram[..., :-1].cumsum(-1)  # buckets 0 .. j
    counts = [above[:, 0], above[:, 1], at_or_below[:, 1], at_or_below[:, 0]]
    counts = [thresholds.restore_order(c) for c in counts]
    return tuple(c.T if multi_label else c[0] for c in counts)


def update_confusion_variables(variables: dict, owner: str, y_true: Any, y_pred: Any, thresholds: Thresholds,
                               sample_weight: Any = None, top_k: int | None = None, class_id: int | None = None,
                               multi_label: bool = False, label_weights: torch.Tensor | None = None) -> None:
    """Add this batch's counts to the state tensors in ``variables`` (keys ``"tp"``, ``"fp"``, ``"tn"``, ``"fn"``).

    ``label_weights`` (one per class, last axis) multiply the sample weights when the labels are
    flattened (not ``multi_label``).
    """
    first = next(iter(variables.values()))
    y_true, y_pred, weights = prepare_inputs(owner, y_true, y_pred, sample_weight, first.dtype, first.device,
                                             top_k, class_id)
    if multi_label and y_pred.ndim != 2:
        raise ValueError(f"`{owner}` with `multi_label=True` needs predictions of shape (num_samples, "
                         f"num_labels); received y_pred.shape={tuple(y_pred.shape)}.")
    if label_weights is not None and not multi_label:
        if label_weights.shape[-1] != y_pred.shape[-1]:
            raise ValueError(f"`{owner}` argument `label_weights` holds {label_weights.shape[-1]} weights for "
                             f"predictions with {y_pred.shape[-1]} labels (last axis of shape "
                             f"{tuple(y_pred.shape)}).")
        scale = torch.broadcast_to(label_weights, y_pred.shape)
        weights = scale if weights is None else weights * scale
    counts = dict(zip(("tp", "fp", "tn", "fn"), confusion_counts(y_true, y_pred, weights, thresholds, multi_label)))
    with torch.no_grad():
        for key, variable in variables.items():
            variable.add_(counts[key])


def add_state_on(metric: Any, shape: tuple, name: str, device: torch.device) -> Any:
    """A zero state tensor created on ``device`` (for states built from the first batch's shape)."""
    return metric.add_variable(shape=shape, initializer="zeros", name=name, device=device)
