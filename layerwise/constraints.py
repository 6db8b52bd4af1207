"""Weight constraints, applied to a weight after every optimizer step (Keras 3 formulas)."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.config import epsilon
from layerwise.saving.serialization_lib import deserialize_keras_object, get_by_identifier, serialize_keras_object
from layerwise.utils.argument_validation import number_in_range


@export("layerwise.constraints.Constraint")
class Constraint:
    """Base class: ``constraint(w)`` returns the projected weight.

    Example:
        >>> import torch
        >>> class Clip(Constraint):
        ...     def __call__(self, w):
        ...         return w.clamp(-1, 1)
        >>> Clip()(torch.tensor([-3.0, 0.5]))
        tensor([-1.0000,  0.5000])
    """

    def __call__(self, w: torch.Tensor) -> torch.Tensor:
        return w

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict) -> "Constraint":
        return cls(**config)


def _norms(w: torch.Tensor, axis: Any) -> torch.Tensor:
    return torch.sqrt(torch.sum(torch.square(w), dim=axis, keepdim=True))


@export("layerwise.constraints.MaxNorm", "layerwise.constraints.max_norm")
class MaxNorm(Constraint):
    """Rescale each weight vector along ``axis`` so its L2 norm is at most ``max_value``.

    Example:
        >>> import torch
        >>> MaxNorm(1.0, axis=0)(torch.tensor([[3.0], [4.0]]))
        tensor([[0.6000],
                [0.8000]])
    """

    def __init__(self, max_value: float = 2, axis: Any = 0):
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = torch.clamp(norms, 0, self.max_value)
        return w * (desired / (epsilon() + norms))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


@export("layerwise.constraints.MinMaxNorm", "layerwise.constraints.min_max_norm")
class MinMaxNorm(Constraint):
    """Keep each weight vector's norm in ``[min_value, max_value]``; ``rate`` blends towards it.

    Example:
        >>> import torch
        >>> MinMaxNorm(1.0, 2.0)(torch.tensor([[0.3], [0.4]]))
        tensor([[0.6000],
                [0.8000]])
    """

    def __init__(self, min_value: float = 0.0, max_value: float = 1.0, rate: float = 1.0, axis: Any = 0):
        self.min_value = min_value
        self.max_value = max_value
        self.rate = number_in_range("MinMaxNorm", "rate", rate, 0, 1)
        self.axis = axis

    def __call__(self, w):
        norms = _norms(w, self.axis)
        desired = self.rate * torch.clamp(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        return w * (desired / (epsilon() + norms))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value, "rate": self.rate, "axis": self.axis}


@export("layerwise.constraints.NonNeg", "layerwise.constraints.non_neg")
class NonNeg(Constraint):
    """Set negative weights to zero.

    Example:
        >>> import torch
        >>> NonNeg()(torch.tensor([-1.0, 2.0]))
        tensor([0., 2.])
    """

    def __call__(self, w):
        return w * (w >= 0).to(w.dtype)


@export("layerwise.constraints.UnitNorm", "layerwise.constraints.unit_norm")
class UnitNorm(Constraint):
    """Rescale each weight vector along ``axis`` to unit L2 norm.

    Example:
        >>> import torch
        >>> UnitNorm(axis=0)(torch.tensor([[3.0], [4.0]]))
        tensor([[0.6000],
                [0.8000]])
    """

    def __init__(self, axis: Any = 0):
        self.axis = axis

    def __call__(self, w):
        return w / (epsilon() + _norms(w, self.axis))

    def get_config(self):
        return {"axis": self.axis}


ALL_OBJECTS: dict[str, Any] = {
    "Constraint": Constraint, "MaxNorm": MaxNorm, "MinMaxNorm": MinMaxNorm, "NonNeg": NonNeg, "UnitNorm": UnitNorm,
    "max_norm": MaxNorm, "min_max_norm": MinMaxNorm, "non_neg": NonNeg, "unit_norm": UnitNorm,
}


@export("layerwise.constraints.get")
def get(identifier: Any) -> Any:
    """A constraint from a name, a config dict, or a callable (``None`` stays ``None``).

    Example:
        >>> type(get("non_neg")).__name__
        'NonNeg'
    """
    if identifier is None:
        return None
    return get_by_identifier(identifier, "constraint", ALL_OBJECTS)


@export("layerwise.constraints.serialize")
def serialize(constraint: Any) -> Any:
    """The config of a constraint."""
    return serialize_keras_object(constraint)


@export("layerwise.constraints.deserialize")
def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """A constraint from its config."""
    return deserialize_keras_object(config, custom_objects)
