"""Cross-entropy losses (Keras 3 formulas: probabilities are clipped to ``[eps, 1 - eps]``).

With ``from_logits=False`` the inputs are probabilities: categorical ones are first renormalised
to sum to 1 along ``axis``, then clipped with ``epsilon()`` (1e-7), so 0 and 1 never give inf.
With ``from_logits=True`` the fused, stable log-softmax / log-sigmoid forms are used -- and, as in
Keras's TensorFlow backend, also for probabilities that ``activations.softmax`` / ``sigmoid`` made,
whose logits they carry (:mod:`layerwise.activations.logits`).
"""

from __future__ import annotations

import warnings
from typing import Any

import torch
import torch.nn.functional as F

from layerwise import config
from layerwise.activations.logits import logits_of
from layerwise.api_export import export
from layerwise.losses.loss import LossFunctionWrapper, check_axis, check_bool, float_pair
from layerwise.utils.argument_validation import number_in_range


def check_crossentropy_args(owner: str, from_logits: Any, label_smoothing: Any, axis: Any) -> float:
    """Validate the arguments shared by the cross-entropy classes; return ``label_smoothing`` as a float."""
    check_bool(owner, "from_logits", from_logits)
    check_axis(owner, "axis", axis)
    return number_in_range(owner, "label_smoothing", label_smoothing, 0, 1)


def _use_logits(fn_name: str, y_pred: Any, from_logits: bool, kind: str, axis: int | None) -> tuple[Any, bool]:
    """``(logits, True)`` when ``y_pred`` came from a ``kind`` activation (along ``axis``); else unchanged.

    With ``from_logits=True`` on such an output, Keras warns (the probabilities are not logits) and
    uses the stored logits; so does this.
    """
    logits = logits_of(y_pred, kind, axis) if isinstance(y_pred, torch.Tensor) else None
    if logits is None:
        return y_pred, from_logits
    if from_logits:
        warnings.warn(f"`{fn_name}` received `from_logits=True`, but `y_pred` was produced by a {kind} activation "
                      "and so holds probabilities, not logits; the logits behind it are used. Was this intended?",
                      stacklevel=3)
    return logits, True


def _log_probabilities(y_pred: torch.Tensor, from_logits: bool, axis: int) -> torch.Tensor:
    if from_logits:
        return torch.log_softmax(y_pred, dim=axis)
    eps = config.epsilon()
    probabilities = y_pred / torch.sum(y_pred, dim=axis, keepdim=True)
    return torch.log(torch.clamp(probabilities, eps, 1.0 - eps))


@export("layerwise.losses.binary_crossentropy", "layerwise.metrics.binary_crossentropy")
def binary_crossentropy(y_true, y_pred, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1):
    """Mean over ``axis`` of ``-(t log p + (1 - t) log(1 - p))``.

    Example:
        >>> import torch
        >>> binary_crossentropy(torch.tensor([[1.0]]), torch.tensor([[0.5]]))
        tensor([0.6931])
    """
    y_pred, from_logits = _use_logits("binary_crossentropy", y_pred, from_logits, "sigmoid", None)
    y_true, y_pred = float_pair(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if y_true.shape != y_pred.shape:
        raise ValueError(
            "`binary_crossentropy` needs labels and predictions of the same shape; received "
            f"y_true {tuple(y_true.shape)} and y_pred {tuple(y_pred.shape)}."
        )
    if from_logits:
        values = F.binary_cross_entropy_with_logits(y_pred, y_true, reduction="none")
    else:
        eps = config.epsilon()
        values = F.binary_cross_entropy(torch.clamp(y_pred, eps, 1.0 - eps), y_true, reduction="none")
    return torch.mean(values, dim=axis)


@export("layerwise.losses.categorical_crossentropy", "layerwise.metrics.categorical_crossentropy")
def categorical_crossentropy(y_true, y_pred, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1):
    """``-sum(t * log(p), axis)`` for one-hot (or soft) labels ``t``.

    Example:
        >>> import torch
        >>> categorical_crossentropy(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]]))
        tensor([0.6931])
    """
    y_pred, from_logits = _use_logits("categorical_crossentropy", y_pred, from_logits, "softmax", axis)
    y_true, y_pred = float_pair(y_true, y_pred, squeeze=False)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            "`categorical_crossentropy` needs one-hot labels with the shape of the predictions; received "
            f"y_true {tuple(y_true.shape)} and y_pred {tuple(y_pred.shape)}. For integer labels use "
            "`sparse_categorical_crossentropy`."
        )
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_pred.shape[axis]
    return -torch.sum(y_true * _log_probabilities(y_pred, from_logits, axis), dim=axis)


@export("layerwise.losses.sparse_categorical_crossentropy", "layerwise.metrics.sparse_categorical_crossentropy")
def sparse_categorical_crossentropy(y_true, y_pred, from_logits: bool = False, ignore_class: int | None = None,
                                    axis: int = -1):
    """``-log(p[label])`` for integer labels; ``ignore_class`` labels contribute 0 (and are masked).

    Example:
        >>> import torch
        >>> sparse_categorical_crossentropy(torch.tensor([1]), torch.tensor([[0.5, 0.5]]))
        tensor([0.6931])
    """
    y_pred, from_logits = _use_logits("sparse_categorical_crossentropy", y_pred, from_logits, "softmax", axis)
    y_pred = torch.as_tensor(y_pred)
    y_true = torch.as_tensor(y_true, device=y_pred.device)
    if y_true.ndim == y_pred.ndim and y_true.shape[axis] == 1:
        y_true = y_true.squeeze(axis)  # labels keep a size-1 class axis: (n, 1) -> (n,)
    labels = y_true.long() if y_true.dtype != torch.long else y_true
    valid = None
    if ignore_class is not None:
        valid = labels != ignore_class
        labels = torch.where(valid, labels, torch.zeros_like(labels))
    if from_logits and y_pred.ndim == 2 and axis % 2 == 1 and y_pred.is_floating_point():
        values = F.cross_entropy(y_pred, labels, reduction="none")  # fused log-softmax + pick
        if valid is not None:
            values = values * valid.to(values.dtype)
            values._keras_mask = valid
        return values
    log_probabilities = _log_probabilities(y_pred, from_logits, axis)
    moved = axis % y_pred.ndim != y_pred.ndim - 1
    if moved:
        log_probabilities = torch.movedim(log_probabilities, axis, -1)
    values = -torch.gather(log_probabilities, -1, labels.unsqueeze(-1)).squeeze(-1)
    if valid is not None:
        values = values * valid.to(values.dtype)
        values._keras_mask = valid
    return values


sparse_categorical_crossentropy.keeps_integer_labels = True  # see Loss._keeps_integer_labels


@export("layerwise.losses.BinaryCrossentropy")
class BinaryCrossentropy(LossFunctionWrapper):
    """Binary cross-entropy for 0/1 labels (one sigmoid output per label).

    Args:
        from_logits: ``y_pred`` are logits rather than probabilities.
        label_smoothing: move labels towards 0.5 by this amount.
        axis: the axis averaged over.

    Example:
        >>> import torch
        >>> round(float(BinaryCrossentropy()(torch.tensor([[0.0], [1.0]]), torch.tensor([[0.1], [0.9]]))), 4)
        0.1054
    """

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction: Any = "sum_over_batch_size", name: str = "binary_crossentropy", dtype: Any = None):
        label_smoothing = check_crossentropy_args(type(self).__name__, from_logits, label_smoothing, axis)
        super().__init__(binary_crossentropy, reduction=reduction, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


@export("layerwise.losses.CategoricalCrossentropy")
class CategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy for one-hot labels.

    Example:
        >>> import torch
        >>> round(float(CategoricalCrossentropy()(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.2, 0.8]]))), 4)
        0.2231
    """

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction: Any = "sum_over_batch_size", name: str = "categorical_crossentropy", dtype: Any = None):
        label_smoothing = check_crossentropy_args(type(self).__name__, from_logits, label_smoothing, axis)
        super().__init__(categorical_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


@export("layerwise.losses.SparseCategoricalCrossentropy")
class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy for integer labels ``0 .. classes-1``.

    Example:
        >>> import torch
        >>> round(float(SparseCategoricalCrossentropy()(torch.tensor([1]), torch.tensor([[0.2, 0.8]]))), 4)
        0.2231
    """

    def __init__(self, from_logits: bool = False, ignore_class: int | None = None, axis: int = -1,
                 reduction: Any = "sum_over_batch_size", name: str = "sparse_categorical_crossentropy",
                 dtype: Any = None):
        check_bool(type(self).__name__, "from_logits", from_logits)
        check_axis(type(self).__name__, "axis", axis)
        if ignore_class is not None and (isinstance(ignore_class, bool) or not isinstance(ignore_class, int)):
            raise ValueError(f"`{type(self).__name__}` argument `ignore_class` must be an integer or None; "
                             f"received ignore_class={ignore_class!r}.")
        super().__init__(sparse_categorical_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, ignore_class=ignore_class, axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis
