"""``Variable``: a layer weight. A ``torch.nn.Parameter`` with Keras's variable API on top.

Being a ``Parameter``, it appears in ``module.parameters()`` and ``state_dict()``, moves with
``.to(device)``, and works in any PyTorch code; ``assign``, ``numpy``, ``trainable``, ``name``,
``regularizer`` and ``constraint`` give Keras code what it expects.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import torch

from layerwise.api_export import export


@export("layerwise.Variable", "layerwise.backend.Variable")
class Variable(torch.nn.Parameter):
    """A weight tensor with a Keras name, a trainable flag, and optional regularizer/constraint.

    Args:
        data: the initial value (a tensor).
        trainable: whether optimizers update it (``requires_grad`` follows this flag).
        name: the Keras weight name (``"kernel"``, ``"bias"`` ...).
        regularizer: a callable giving a penalty from the value, added to the training loss.
        constraint: a callable applied to the value after each optimizer step.

    Example:
        >>> import torch
        >>> v = Variable(torch.zeros(2), name="bias")
        >>> _ = v.assign([1.0, 2.0]); v.numpy()
        array([1., 2.], dtype=float32)
    """

    def __new__(cls, data: torch.Tensor, trainable: bool = True, name: str | None = None,
                regularizer: Any = None, constraint: Any = None):
        if not isinstance(data, torch.Tensor):
            data = torch.as_tensor(np.asarray(data))
        requires_grad = bool(trainable) and (data.is_floating_point() or data.is_complex())
        obj = super().__new__(cls, data, requires_grad)
        obj._keras_trainable = bool(trainable)
        obj._keras_name = name or "variable"
        obj.regularizer = regularizer
        obj.constraint = constraint
        obj._layer_frozen = False
        return obj

    # --- Keras's Variable API -------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._keras_name

    @property
    def path(self) -> str:
        return getattr(self, "_keras_path", self._keras_name)

    @property
    def trainable(self) -> bool:
        return self._keras_trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._keras_trainable = bool(value)
        self._sync_requires_grad()

    def _sync_requires_grad(self) -> None:
        if self.is_floating_point() or self.is_complex():
            self.requires_grad_(self._keras_trainable and not self._layer_frozen)

    @property
    def value(self) -> torch.Tensor:
        return self

    def numpy(self) -> np.ndarray:  # type: ignore[override]
        tensor = self.detach()
        if tensor.dtype == torch.bfloat16:
            tensor = tensor.float()
        return tensor.cpu().numpy().copy()  # a snapshot, not a view of the live weight

    def assign(self, value: Any) -> "Variable":
        """Copy ``value`` into this variable in place (the shape must match)."""
        value = torch.as_tensor(np.asarray(value) if not isinstance(value, torch.Tensor) else value)
        if tuple(value.shape) != tuple(self.shape):
            raise ValueError(
                f"Variable '{self.path}' has shape {tuple(self.shape)}; the value assigned has shape "
                f"{tuple(value.shape)}."
            )
        with torch.no_grad():
            self.copy_(value)
        return self

    def assign_add(self, value: Any) -> "Variable":
        with torch.no_grad():
            self.add_(torch.as_tensor(value, device=self.device, dtype=self.dtype))
        return self

    def assign_sub(self, value: Any) -> "Variable":
        with torch.no_grad():
            self.sub_(torch.as_tensor(value, device=self.device, dtype=self.dtype))
        return self

    # --- copying keeps the Keras attributes -------------------------------------------------
    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(self.data.clone(memory_format=torch.preserve_format), self._keras_trainable,
                            self._keras_name, copy.deepcopy(self.regularizer, memo),
                            copy.deepcopy(self.constraint, memo))
        result._layer_frozen = self._layer_frozen
        result._sync_requires_grad()
        memo[id(self)] = result
        return result

    def __repr__(self) -> str:
        value = np.array2string(self.numpy(), threshold=8, precision=4) if self.numel() <= 8 else "..."
        return (f"<Variable path={self.path}, shape={tuple(self.shape)}, "
                f"dtype={str(self.dtype).replace('torch.', '')}, value={value}>")
