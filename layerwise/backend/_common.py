"""Helpers shared by the ``layerwise.backend`` modules (private)."""

from __future__ import annotations

import math
from typing import Any, Sequence, Union

import numpy as np
import torch

from layerwise import config
from layerwise.ops.core import convert_to_tensor
from layerwise.utils.dtype_utils import to_torch_dtype

# What Keras 2 backend functions accept where a tensor is expected.
TensorLike = Union[torch.Tensor, np.ndarray, float, int, bool, Sequence[Any]]
# ``axis=`` arguments: one axis, several, or all of them.
Axis = Union[int, Sequence[int], None]
# A shape: a tuple or list (of ints, or of scalar tensors from ``K.shape``), an int, or a 1-D tensor.
ShapeLike = Union[int, Sequence[Any], torch.Tensor]


def as_tensor(x: Any) -> torch.Tensor:
    """``x`` itself when it is a tensor, else converted (Python floats become floatx)."""
    return x if isinstance(x, torch.Tensor) else convert_to_tensor(x)


def axis_arg(axis: Axis) -> Any:
    """Keras 2 code often passes axes as lists; torch wants tuples."""
    return tuple(int(a) for a in axis) if isinstance(axis, (list, tuple)) else axis


def dtype_or_floatx(dtype: Any) -> torch.dtype:
    """The torch dtype named by ``dtype``, floatx when ``None``."""
    return to_torch_dtype(config.floatx() if dtype is None else dtype)


def shape_tuple(fn_name: str, shape: ShapeLike, allow_unknown: bool = False) -> tuple[int, ...]:
    """A shape as a tuple of Python ints.

    Elements may be ints, NumPy integers or scalar tensors (as indexing ``K.shape(x)`` gives).
    With ``allow_unknown`` (for reshapes), ``None`` and ``-1`` mean "inferred".
    """
    if isinstance(shape, torch.Tensor):
        shape = shape.tolist()
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (shape,)
    try:
        dims = tuple(-1 if (d is None and allow_unknown) else int(d) for d in shape)
    except (TypeError, ValueError):
        dims = None
    if dims is None or any(d < (-1 if allow_unknown else 0) for d in dims):
        expected = "integers (-1 or None for one inferred size)" if allow_unknown else "non-negative integers"
        raise ValueError(f"`{fn_name}` argument `shape` must be a tuple of {expected}; received shape={shape!r}.")
    return dims


def num_elements(dims: Sequence[int]) -> int:
    """The number of elements of a shape."""
    return math.prod(dims)


def generator(seed: int | None, device: torch.device) -> torch.Generator | None:
    """A torch generator seeded with ``seed``, or ``None`` (the global generator) without one."""
    if seed is None:
        return None
    return torch.Generator(device=device).manual_seed(int(seed))
