"""Focal cross-entropies (Lin et al., 2017): cross-entropy scaled down on easy, confident examples.

The formulas are Keras 3's. With ``from_logits=True`` the logits go through a sigmoid (softmax)
and then the clipped probability formula, as in Keras: a confidently wrong logit costs at most
``-log(eps)`` (about 16), where :func:`binary_crossentropy` with logits would cost the logit itself.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from layerwise import config
from layerwise.api_export import export
from layerwise.losses.loss import LossFunctionWrapper, check_bool, float_pair
from layerwise.losses.probabilistic import check_crossentropy_args
from layerwise.utils.argument_validation import number_in_range


@export("layerwise.losses.binary_focal_crossentropy", "layerwise.metrics.binary_focal_crossentropy")
def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing: bool = False, alpha: float = 0.25,
                              gamma: float = 2.0, from_logits: bool = False, label_smoothing: float = 0.0,
                              axis: int = -1):
    """Mean over ``axis`` of ``(1 - p_t) ** gamma * bce``, ``p_t = t p + (1 - t)(1 - p)``.

    With ``apply_class_balancing`` each term is also weighted by ``alpha`` (label 1) or
    ``1 - alpha`` (label 0). ``gamma=0`` without balancing is :func:`binary_crossentropy`.

    Example:
        >>> import torch
        >>> out = binary_focal_crossentropy(torch.tensor([[1.0, 0.0]]), torch.tensor([[0.9, 0.4]]))
        >>> round(float(out), 4)
        0.0414
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = torch.sigmoid(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            "`binary_focal_crossentropy` needs labels and predictions of the same shape; received "
            f"y_true {tuple(y_true.shape)} and y_pred {tuple(y_pred.shape)}."
        )
    eps = config.epsilon()
    bce = F.binary_cross_entropy(torch.clamp(y_pred, eps, 1.0 - eps), y_true, reduction="none")
    p_t = y_true * y_pred + (1.0 - y_true) * (1.0 - y_pred)
    focal = torch.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal = (y_true * alpha + (1.0 - y_true) * (1.0 - alpha)) * focal
    return torch.mean(focal, dim=axis)


@export("layerwise.losses.categorical_focal_crossentropy", "layerwise.metrics.categorical_focal_crossentropy")
def categorical_focal_crossentropy(y_true, y_pred, alpha: Any = 0.25, gamma: float = 2.0, from_logits: bool = False,
                                   label_smoothing: float = 0.0, axis: int = -1):
    """``sum(-alpha (1 - p) ** gamma * t log(p), axis)`` with ``p`` renormalised and clipped to ``[eps, 1 - eps]``.

    ``alpha`` is a number or one weight per class (a list, for the last axis).

    Example:
        >>> import torch
        >>> out = categorical_focal_crossentropy(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]]))
        >>> round(float(out), 4)
        0.0433
    """
    y_true, y_pred = float_pair(y_true, y_pred, squeeze=False)
    if y_true.shape != y_pred.shape:
        raise ValueError(
            "`categorical_focal_crossentropy` needs one-hot labels with the shape of the predictions; received "
            f"y_true {tuple(y_true.shape)} and y_pred {tuple(y_pred.shape)}."
        )
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / y_pred.shape[axis]
    if from_logits:
        y_pred = torch.softmax(y_pred, dim=axis)
    eps = config.epsilon()
    probabilities = torch.clamp(y_pred / torch.sum(y_pred, dim=axis, keepdim=True), eps, 1.0 - eps)
    if isinstance(alpha, (list, tuple)):
        alpha = torch.as_tensor(alpha, dtype=y_pred.dtype, device=y_pred.device)
    weights = torch.pow(1.0 - probabilities, gamma) * alpha
    return torch.sum(weights * (-y_true * torch.log(probabilities)), dim=axis)


def _check_focal_args(owner: str, alpha: Any, gamma: Any, per_class_alpha: bool) -> tuple[Any, float]:
    gamma = number_in_range(owner, "gamma", gamma, 0, None, high_inclusive=False)
    if not per_class_alpha:
        return number_in_range(owner, "alpha", alpha, 0, 1), gamma
    if isinstance(alpha, (list, tuple)):
        # each entry is checked, and the whole list named in the message
        for entry in alpha:
            if isinstance(entry, bool) or not isinstance(entry, (int, float)) or not entry >= 0:
                raise ValueError(f"`{owner}` argument `alpha` must be a non-negative number or a list of them; "
                                 f"received alpha={alpha!r}.")
        return [float(a) for a in alpha], gamma
    return number_in_range(owner, "alpha", alpha, 0, None, high_inclusive=False), gamma


@export("layerwise.losses.BinaryFocalCrossentropy")
class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Binary cross-entropy scaled by the focal factor ``(1 - p_t) ** gamma``.

    Args:
        apply_class_balancing: also weight label 1 by ``alpha`` and label 0 by ``1 - alpha``.
        alpha: the weight of label 1 when balancing, in [0, 1] (default 0.25).
        gamma: the focusing parameter, >= 0 (default 2.0; 0 is plain cross-entropy).
        from_logits: ``y_pred`` are logits rather than probabilities.
        label_smoothing: move labels towards 0.5 by this amount, in [0, 1].
        axis: the axis averaged over.
        reduction: how to reduce over the batch (see :class:`Loss`).
        name: the loss's name.
        dtype: dtype of the computation (default floatx).

    Example:
        >>> import torch
        >>> loss = BinaryFocalCrossentropy(gamma=0.0)
        >>> round(float(loss(torch.tensor([[1.0]]), torch.tensor([[0.5]]))), 4)
        0.6931
    """

    def __init__(self, apply_class_balancing: bool = False, alpha: float = 0.25, gamma: float = 2.0,
                 from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1,
                 reduction: Any = "sum_over_batch_size", name: str = "binary_focal_crossentropy", dtype: Any = None):
        owner = type(self).__name__
        check_bool(owner, "apply_class_balancing", apply_class_balancing)
        label_smoothing = check_crossentropy_args(owner, from_logits, label_smoothing, axis)
        alpha, gamma = _check_focal_args(owner, alpha, gamma, per_class_alpha=False)
        super().__init__(binary_focal_crossentropy, reduction=reduction, name=name, dtype=dtype,
                         apply_class_balancing=apply_class_balancing, alpha=alpha, gamma=gamma,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis


@export("layerwise.losses.CategoricalFocalCrossentropy")
class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Categorical cross-entropy scaled by ``alpha (1 - p) ** gamma`` for one-hot labels.

    Args:
        alpha: a weight for all classes (default 0.25), or a list with one weight per class.
        gamma: the focusing parameter, >= 0 (default 2.0).
        from_logits: ``y_pred`` are logits rather than probabilities.
        label_smoothing: mix the labels with the uniform distribution by this amount, in [0, 1].
        axis: the class axis.
        reduction: how to reduce over the batch (see :class:`Loss`).
        name: the loss's name.
        dtype: dtype of the computation (default floatx).

    Example:
        >>> import torch
        >>> loss = CategoricalFocalCrossentropy(alpha=1.0, gamma=0.0)
        >>> round(float(loss(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.2, 0.8]]))), 4)
        0.2231
    """

    def __init__(self, alpha: Any = 0.25, gamma: float = 2.0, from_logits: bool = False, label_smoothing: float = 0.0,
                 axis: int = -1, reduction: Any = "sum_over_batch_size", name: str = "categorical_focal_crossentropy",
                 dtype: Any = None):
        owner = type(self).__name__
        label_smoothing = check_crossentropy_args(owner, from_logits, label_smoothing, axis)
        alpha, gamma = _check_focal_args(owner, alpha, gamma, per_class_alpha=True)
        super().__init__(categorical_focal_crossentropy, reduction=reduction, name=name, dtype=dtype, alpha=alpha,
                         gamma=gamma, from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.alpha = alpha
        self.gamma = gamma
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
