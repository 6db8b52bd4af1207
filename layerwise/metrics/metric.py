"""``Metric``: a stateful measure accumulated over batches.

State lives in tensors on the device of the data (``add_variable``); ``update_state`` changes it
with device ops only, so nothing waits for the device until ``result()`` is read.
"""

from __future__ import annotations

from typing import Any

import torch

from layerwise import config, initializers
from layerwise.api_export import export
from layerwise.utils.dtype_utils import standardize_dtype, to_torch_dtype
from layerwise.utils.naming import auto_name
from layerwise.variables import Variable


@export("layerwise.metrics.Metric", "layerwise.Metric")
class Metric:
    """Base class: implement ``update_state(...)`` and ``result()``; create state with ``add_variable``.

    Args:
        name: the name shown in logs and History (default: the class name in snake case, made
            unique as in Keras: a second ``AUC()`` is named ``auc_1``).
        dtype: dtype of the state (default floatx).

    Example:
        >>> import torch
        >>> class Count(Metric):
        ...     def __init__(self, name="count"):
        ...         super().__init__(name=name)
        ...         self.n = self.add_variable(shape=(), initializer="zeros", name="n")
        ...     def update_state(self, values):
        ...         self.n.assign_add(torch.as_tensor(values).numel())
        ...     def result(self):
        ...         return self.n.clone()
        >>> m = Count(); m.update_state([1, 2, 3]); float(m.result())
        3.0
    """

    def __init__(self, dtype: Any = None, name: str | None = None):
        self.name = name or auto_name(type(self).__name__)
        self._dtype = standardize_dtype(dtype) if dtype is not None else None
        self._variables: list[Variable] = []
        self._initial_values: list[torch.Tensor] = []
        self._placed_on: torch.device | None = None  # set by ``to``; states built later go there

    @property
    def dtype(self) -> str:
        return self._dtype or config.floatx()

    def add_variable(self, shape: Any = (), initializer: Any = "zeros", dtype: Any = None, aggregation: str = "sum",
                     name: str | None = None, device: Any = None) -> Variable:
        """Create a state tensor (not trainable) on ``device`` (default: the default device)."""
        dtype = standardize_dtype(dtype or self.dtype)
        shape = tuple(shape) if not isinstance(shape, int) else (shape,)
        value = initializers.get(initializer)(shape, dtype=dtype)
        device = config.default_device() if device is None else torch.device(device)
        variable = Variable(value.to(device), trainable=False, name=name or "variable")
        self._variables.append(variable)
        self._initial_values.append(value.clone())
        return variable

    add_weight = add_variable

    @property
    def variables(self) -> list[Variable]:
        return list(self._variables)

    def reset_state(self) -> None:
        """Back to the initial state (a device copy, no sync)."""
        with torch.no_grad():
            for variable, initial in zip(self._variables, self._initial_values):
                variable.copy_(initial.to(variable.device, non_blocking=True))

    def update_state(self, *args, **kwargs) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement `update_state`.")

    def result(self) -> torch.Tensor:
        raise NotImplementedError(f"{type(self).__name__} must implement `result`.")

    def __call__(self, *args, **kwargs) -> torch.Tensor:
        self.update_state(*args, **kwargs)
        return self.result()

    def to(self, device: Any) -> "Metric":
        """Move the state to ``device`` (the trainer does this for the model's device)."""
        device = torch.device(device)
        self._placed_on = device
        for variable in self._variables:
            if variable.device != device:
                variable.data = variable.data.to(device)
        for sub in self._submetrics():
            sub.to(device)
        return self

    def _submetrics(self) -> list["Metric"]:
        return [v for v in vars(self).values() if isinstance(v, Metric)]

    def _torch_dtype(self) -> torch.dtype:
        return to_torch_dtype(self.dtype)

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict) -> "Metric":
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"
