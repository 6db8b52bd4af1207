"""``Loss``: the base of all losses, with Keras 3's reduction, ``sample_weight`` and mask rules.

A loss's ``call(y_true, y_pred)`` returns one value per sample (or per time step); ``__call__``
weights, masks and reduces them:

* ``"sum_over_batch_size"`` (default): ``sum(loss * weight) / number_of_loss_values``;
* ``"sum"``; ``"mean"`` (same as sum_over_batch_size); ``"mean_with_sample_weight"``:
  ``sum(loss * weight) / sum(weight)``; ``"none"``/``None``: no reduction.
"""

from __future__ import annotations

from typing import Any

import torch

from layerwise import config
from layerwise.activations.logits import carry_logits
from layerwise.api_export import export
from layerwise.ops.core import convert_to_tensor
from layerwise.utils.argument_validation import one_of
from layerwise.utils.dtype_utils import to_torch_dtype
from layerwise.utils.naming import to_snake_case

REDUCTIONS = ("sum", "sum_over_batch_size", "mean", "mean_with_sample_weight", "none", None)


def standardize_reduction(owner: str, reduction: Any) -> Any:
    if reduction == "auto":  # Keras 2
        return "sum_over_batch_size"
    return one_of(owner, "reduction", reduction, REDUCTIONS)


def check_bool(owner: str, arg: str, value: Any) -> bool:
    """Refuse anything but ``True``/``False`` (a string ``"False"`` would otherwise count as true)."""
    if not isinstance(value, bool):
        raise ValueError(f"`{owner}` argument `{arg}` must be True or False; received {arg}={value!r}.")
    return value


def check_axis(owner: str, arg: str, value: Any, allow_none: bool = False, allow_tuple: bool = False) -> Any:
    """An axis: an integer (or ``None``, or a tuple of integers, where allowed)."""
    if value is None and allow_none:
        return value
    if allow_tuple and isinstance(value, (list, tuple)) and value and all(
            isinstance(a, int) and not isinstance(a, bool) for a in value):
        return tuple(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    expected = "an integer" + (", a tuple of integers" if allow_tuple else "") + (" or None" if allow_none else "")
    raise ValueError(f"`{owner}` argument `{arg}` must be {expected}; received {arg}={value!r}.")


def float_pair(y_true: Any, y_pred: Any, squeeze: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """``y_pred`` as a tensor and ``y_true`` cast to its dtype and device (ranks matched as Keras does)."""
    y_pred = convert_to_tensor(y_pred)
    if not torch.is_floating_point(y_pred):
        y_pred = y_pred.to(to_torch_dtype(config.floatx()))
    y_true = convert_to_tensor(y_true, device=y_pred.device)
    if y_true.dtype != y_pred.dtype:
        y_true = y_true.to(y_pred.dtype)
    if squeeze:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return y_true, y_pred


def squeeze_or_expand_to_same_rank(x1: torch.Tensor, x2: torch.Tensor, expand_rank_1: bool = True):
    """Make ranks equal when they differ by one trailing axis of size 1 (Keras's rule)."""
    r1, r2 = x1.ndim, x2.ndim
    if r1 == r2:
        return x1, x2
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = x2.unsqueeze(-1)
        else:
            x1 = x1.squeeze(-1)
    elif r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = x1.unsqueeze(-1)
        else:
            x2 = x2.squeeze(-1)
    return x1, x2


def apply_mask(sample_weight: Any, mask: Any, dtype: torch.dtype, reduction: Any) -> Any:
    """Fold a boolean mask into the sample weights (rescaled so means count only valid entries)."""
    if mask is None:
        return sample_weight
    mask = mask.to(dtype)
    if reduction in ("mean", "sum_over_batch_size"):
        # Valid entries weigh total / valid (0 when nothing is valid), so a mean counts only them.
        total = float(mask.numel())
        valid = mask.sum()
        scale = torch.where(valid > 0, total / torch.where(valid > 0, valid, torch.ones_like(valid)),
                            torch.zeros_like(valid))
        mask = mask * scale
    if sample_weight is None:
        return mask
    sample_weight = sample_weight.to(dtype)
    mask, sample_weight = squeeze_or_expand_to_same_rank(mask, sample_weight)
    return sample_weight * mask


def _broadcast_weight(values: torch.Tensor, weight: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    # Both may change: per-sample values (n,) with weights (n, 1) become (n, 1), as in Keras
    # (returning only the weight would broadcast (n,) * (n, 1) to (n, n)).
    values, weight = squeeze_or_expand_to_same_rank(values, weight)
    if weight.ndim < values.ndim:
        weight = weight.reshape(tuple(weight.shape) + (1,) * (values.ndim - weight.ndim))
    return values, weight


def reduce_values(values: torch.Tensor, sample_weight: Any, reduction: Any) -> torch.Tensor:
    if reduction in (None, "none") or values.ndim == 0:
        return values
    total = values.sum()
    if reduction == "sum":
        return total
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = sample_weight.sum() if sample_weight.shape == values.shape else torch.broadcast_to(
            sample_weight, values.shape).sum()
        # A safe divisor: all weights 0 gives 0 and a zero gradient (not nan, which would poison the weights).
        safe = torch.where(divisor == 0, torch.ones_like(divisor), divisor)
        return torch.where(divisor == 0, torch.zeros_like(total), total / safe)
    count = values.numel()
    return total / count if count else total * 0


def reduce_weighted_values(values: torch.Tensor, sample_weight: Any = None, mask: Any = None,
                           reduction: Any = "sum_over_batch_size", dtype: Any = None) -> torch.Tensor:
    """Weight, mask and reduce per-sample loss values as Keras does."""
    torch_dtype = to_torch_dtype(dtype) if dtype is not None else values.dtype
    if values.dtype != torch_dtype:
        values = values.to(torch_dtype)
    if sample_weight is not None:
        sample_weight = convert_to_tensor(sample_weight, device=values.device).to(torch_dtype)
    sample_weight = apply_mask(sample_weight, mask, torch_dtype, reduction)
    if sample_weight is not None:
        values, sample_weight = _broadcast_weight(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


@export("layerwise.losses.Loss", "layerwise.Loss")
class Loss:
    """Base class of losses: implement ``call(y_true, y_pred)`` returning per-sample values.

    Args:
        name: the loss's name (defaults to the class name in snake case).
        reduction: how to reduce (see the module docstring).
        dtype: dtype of the computation (default floatx).

    Example:
        >>> import torch
        >>> class MeanCubed(Loss):
        ...     def call(self, y_true, y_pred):
        ...         return ((y_pred - y_true) ** 3).mean(dim=-1)
        >>> MeanCubed()(torch.zeros(2, 1), torch.full((2, 1), 2.0))
        tensor(8.)
    """

    # Class indices stay integers (a float32 cast and back would be two wasted ops per step, and
    # inexact above 2**24); every other loss gets float labels, as in Keras.
    _keeps_integer_labels = False

    def __init__(self, name: str | None = None, reduction: Any = "sum_over_batch_size", dtype: Any = None):
        self.name = name or to_snake_case(type(self).__name__)
        self.reduction = standardize_reduction(type(self).__name__, reduction)
        self._dtype = dtype

    @property
    def dtype(self) -> str:
        return self._dtype or config.floatx()

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> torch.Tensor:
        in_mask = getattr(y_pred, "_keras_mask", None)
        dtype = to_torch_dtype(self.dtype)
        # Keras casts both to the loss's dtype (so integer or bool inputs work, and a custom
        # function receives float labels).
        y_pred = convert_to_tensor(y_pred)
        if y_pred.dtype != dtype:
            y_pred = carry_logits(y_pred.to(dtype), y_pred)
        y_true = convert_to_tensor(y_true, device=y_pred.device)
        if y_true.dtype != dtype and not (self._keeps_integer_labels and not y_true.is_floating_point()):
            y_true = y_true.to(dtype)
        losses = self.call(y_true, y_pred)
        out_mask = getattr(losses, "_keras_mask", None)
        if in_mask is not None and out_mask is not None:
            mask = in_mask & out_mask
        else:
            mask = in_mask if in_mask is not None else out_mask
        return reduce_weighted_values(losses, sample_weight, mask, self.reduction, self.dtype)

    def call(self, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError(f"{type(self).__name__} must implement `call(y_true, y_pred)`.")

    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict) -> "Loss":
        return cls(**config)


@export("layerwise.losses.LossFunctionWrapper")
class LossFunctionWrapper(Loss):
    """A ``Loss`` from a function ``fn(y_true, y_pred, **kwargs)`` that returns per-sample values.

    Example:
        >>> import torch
        >>> wrapped = LossFunctionWrapper(lambda t, p: (p - t).abs().mean(-1), name="l1")
        >>> wrapped(torch.zeros(2, 1), torch.ones(2, 1))
        tensor(1.)
    """

    def __init__(self, fn: Any, reduction: Any = "sum_over_batch_size", name: str | None = None, dtype: Any = None,
                 **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs
        # a function over class indices (sparse cross-entropy) marks itself: its labels stay integers
        self._keeps_integer_labels = bool(getattr(fn, "keeps_integer_labels", False))

    def call(self, y_true, y_pred):
        # As in Keras: labels of shape (n,) against predictions (n, 1) become (n, 1), not (n, n).
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict:
        from layerwise.saving.serialization_lib import serialize_keras_object

        # A built-in subclass (``Huber``, ``Hinge``...) fixes ``fn`` itself: its config is its arguments.
        config = {**super().get_config(), **self._fn_kwargs}
        if type(self) is LossFunctionWrapper:
            config["fn"] = serialize_keras_object(self.fn)
        return config

    @classmethod
    def from_config(cls, config: dict) -> "LossFunctionWrapper":
        from layerwise.saving.serialization_lib import deserialize_keras_object

        # the function, and arguments written as tuples (Dice's ``axis``) come back as they were
        return cls(**{key: deserialize_keras_object(value) for key, value in config.items()})
