"""Weight and activity regularizers: penalties added to the training loss (Keras 3 formulas).

``L2(0.01)`` adds ``0.01 * sum(w ** 2)``: no factor 1/2, as in Keras.
"""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.saving.serialization_lib import deserialize_keras_object, get_by_identifier, serialize_keras_object
from layerwise.utils.argument_validation import number_in_range, one_of


def _factor(owner: str, arg: str, value: Any) -> float:
    return number_in_range(owner, arg, 0.0 if value is None else value, 0, None)


@export("layerwise.regularizers.Regularizer")
class Regularizer:
    """Base class: ``regularizer(x)`` returns a scalar penalty tensor.

    Example:
        >>> import torch
        >>> class SumOfWeights(Regularizer):
        ...     def __call__(self, x):
        ...         return x.sum()
        >>> SumOfWeights()(torch.ones(3))
        tensor(3.)
    """

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        return torch.zeros((), dtype=x.dtype, device=x.device)

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict) -> "Regularizer":
        return cls(**config)


@export("layerwise.regularizers.L1", "layerwise.regularizers.l1")
class L1(Regularizer):
    """``l1 * sum(|x|)``.

    Example:
        >>> import torch
        >>> L1(0.5)(torch.tensor([1.0, -2.0]))
        tensor(1.5000)
    """

    def __init__(self, l1: float = 0.01):
        self.l1 = _factor("L1", "l1", l1)

    def __call__(self, x):
        return self.l1 * torch.sum(torch.abs(x))

    def get_config(self):
        return {"l1": self.l1}


@export("layerwise.regularizers.L2", "layerwise.regularizers.l2")
class L2(Regularizer):
    """``l2 * sum(x ** 2)``.

    Example:
        >>> import torch
        >>> L2(0.5)(torch.tensor([1.0, -2.0]))
        tensor(2.5000)
    """

    def __init__(self, l2: float = 0.01):
        self.l2 = _factor("L2", "l2", l2)

    def __call__(self, x):
        return self.l2 * torch.sum(torch.square(x))

    def get_config(self):
        return {"l2": self.l2}


@export("layerwise.regularizers.L1L2", "layerwise.regularizers.l1_l2")
class L1L2(Regularizer):
    """``l1 * sum(|x|) + l2 * sum(x ** 2)``. The string ``"l1_l2"`` means ``L1L2(0.01, 0.01)``.

    Example:
        >>> import torch
        >>> L1L2(l1=1.0, l2=1.0)(torch.tensor([1.0, -2.0]))
        tensor(8.)
    """

    def __init__(self, l1: float = 0.0, l2: float = 0.0):
        self.l1 = _factor("L1L2", "l1", l1)
        self.l2 = _factor("L1L2", "l2", l2)

    def __call__(self, x):
        penalty = torch.zeros((), dtype=x.dtype, device=x.device)
        if self.l1:
            penalty = penalty + self.l1 * torch.sum(torch.abs(x))
        if self.l2:
            penalty = penalty + self.l2 * torch.sum(torch.square(x))
        return penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


@export("layerwise.regularizers.OrthogonalRegularizer", "layerwise.regularizers.orthogonal_regularizer")
class OrthogonalRegularizer(Regularizer):
    """Pushes the rows (or columns) of a 2-D weight towards orthonormality.

    Penalty: ``factor * mean(|G - diag(G)|)`` over the off-diagonal of the Gram matrix
    ``G`` of the L2-normalised rows (``mode="rows"``) or columns, as Keras computes it.

    Example:
        >>> import torch
        >>> float(OrthogonalRegularizer(1.0)(torch.eye(3)))
        0.0
    """

    def __init__(self, factor: float = 0.01, mode: str = "rows"):
        self.factor = _factor("OrthogonalRegularizer", "factor", factor)
        self.mode = one_of("OrthogonalRegularizer", "mode", mode, ("rows", "columns"))

    def __call__(self, x):
        if x.ndim != 2:
            raise ValueError(
                f"`OrthogonalRegularizer` needs a 2-D weight; received a weight of shape {tuple(x.shape)}."
            )
        vectors = x if self.mode == "rows" else x.T
        vectors = torch.nn.functional.normalize(vectors, p=2, dim=1, eps=1e-12)
        gram = vectors @ vectors.T
        n = gram.shape[0]
        off_diagonal = gram - torch.diag(torch.diagonal(gram))
        size = n * n - n
        return self.factor * torch.sum(torch.abs(off_diagonal)) / max(size, 1)

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


ALL_OBJECTS: dict[str, Any] = {
    "Regularizer": Regularizer, "L1": L1, "L2": L2, "L1L2": L1L2, "OrthogonalRegularizer": OrthogonalRegularizer,
    "l1": L1, "l2": L2, "orthogonal_regularizer": OrthogonalRegularizer, "orthogonal": OrthogonalRegularizer,
    "l1_l2": lambda: L1L2(l1=0.01, l2=0.01),
}


@export("layerwise.regularizers.get")
def get(identifier: Any) -> Any:
    """A regularizer from a name, a config dict, or a callable (``None`` stays ``None``).

    Example:
        >>> get("l2").l2
        0.01
    """
    if identifier is None:
        return None
    if identifier == "l1_l2":
        return L1L2(l1=0.01, l2=0.01)
    return get_by_identifier(identifier, "regularizer", ALL_OBJECTS)


@export("layerwise.regularizers.serialize")
def serialize(regularizer: Any) -> Any:
    """The config of a regularizer."""
    return serialize_keras_object(regularizer)


@export("layerwise.regularizers.deserialize")
def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """A regularizer from its config."""
    return deserialize_keras_object(config, custom_objects)
