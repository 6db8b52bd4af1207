"""The ``Initializer`` base class."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export


@export("layerwise.initializers.Initializer")
class Initializer:
    """Base class: ``initializer(shape, dtype=None)`` returns a new tensor.

    Subclasses implement ``__call__`` and, when they take arguments, ``get_config``.

    Example:
        >>> import torch
        >>> class Twos(Initializer):
        ...     def __call__(self, shape, dtype=None):
        ...         return torch.full(shape, 2.0)
        >>> Twos()((2,))
        tensor([2., 2.])
    """

    def __call__(self, shape: tuple, dtype: Any = None) -> torch.Tensor:
        raise NotImplementedError(f"{type(self).__name__} must implement `__call__(shape, dtype=None)`.")

    def get_config(self) -> dict:
        return {}

    @classmethod
    def from_config(cls, config: dict) -> "Initializer":
        return cls(**config)

    def clone(self) -> "Initializer":
        return type(self).from_config(self.get_config())
