"""Deterministic initializers: zeros, ones, constant, identity."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from layerwise.api_export import export
from layerwise.initializers.initializer import Initializer
from layerwise.utils.dtype_utils import standardize_dtype, to_torch_dtype


def _dtype(dtype: Any) -> torch.dtype:
    return to_torch_dtype(standardize_dtype(dtype))


@export("layerwise.initializers.Zeros", "layerwise.initializers.zeros")
class Zeros(Initializer):
    """All zeros.

    Example:
        >>> Zeros()((2,))
        tensor([0., 0.])
    """

    def __call__(self, shape, dtype=None):
        return torch.zeros(tuple(shape), dtype=_dtype(dtype))


@export("layerwise.initializers.Ones", "layerwise.initializers.ones")
class Ones(Initializer):
    """All ones.

    Example:
        >>> Ones()((2,))
        tensor([1., 1.])
    """

    def __call__(self, shape, dtype=None):
        return torch.ones(tuple(shape), dtype=_dtype(dtype))


@export("layerwise.initializers.Constant", "layerwise.initializers.constant")
class Constant(Initializer):
    """Every element equal to ``value``.

    Args:
        value: a Python number (or an array broadcastable to the shape).

    Example:
        >>> Constant(3.0)((2,))
        tensor([3., 3.])
    """

    def __init__(self, value: Any = 0.0):
        self.value = value.tolist() if isinstance(value, np.ndarray) else value

    def __call__(self, shape, dtype=None):
        value = torch.as_tensor(np.asarray(self.value), dtype=_dtype(dtype))
        return torch.broadcast_to(value, tuple(shape)).clone()

    def get_config(self):
        return {"value": self.value}


@export("layerwise.initializers.Identity", "layerwise.initializers.identity",
        "layerwise.initializers.IdentityInitializer")
class Identity(Initializer):
    """``gain`` times the identity matrix (2-D shapes only).

    Example:
        >>> Identity(gain=2.0)((2, 2))
        tensor([[2., 0.],
                [0., 2.]])
    """

    def __init__(self, gain: float = 1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None):
        shape = tuple(shape)
        if len(shape) != 2:
            raise ValueError(f"`Identity` initializer needs a 2-D shape; received shape={shape}.")
        return self.gain * torch.eye(shape[0], shape[1], dtype=_dtype(dtype))

    def get_config(self):
        return {"gain": self.gain}
