"""Array creation (``keras.ops.numpy``): zeros, ones, full, arange, eye, linspace and the ``*_like`` forms."""

from __future__ import annotations

import builtins
from typing import Any

import torch

from layerwise import config
from layerwise.api_export import export as _export
from layerwise.ops.elementwise import _t
from layerwise.ops.symbolic import keras_op
from layerwise.utils.dtype_utils import to_torch_dtype


def _dtype(dtype: Any, default: str | None = None) -> torch.dtype:
    return to_torch_dtype(dtype if dtype is not None else (default or config.floatx()))


# ---- creation (no tensor inputs, so no symbolic form) ------------------------------------------
def _device(device: Any) -> torch.device:
    return torch.device(device) if device is not None else config.default_device()


@keras_op("layerwise.ops.numpy.zeros_like")
def zeros_like(x, dtype=None):
    """Zeros with the shape (and dtype, unless given) of ``x``.

    Example:
        >>> from layerwise import ops
        >>> ops.zeros_like(torch.ones(2))
        tensor([0., 0.])
    """
    x = _t(x)
    return torch.zeros_like(x, dtype=None if dtype is None else to_torch_dtype(dtype))


@keras_op("layerwise.ops.numpy.ones_like")
def ones_like(x, dtype=None):
    """Ones with the shape (and dtype, unless given) of ``x``.

    Example:
        >>> from layerwise import ops
        >>> ops.ones_like(torch.zeros(2))
        tensor([1., 1.])
    """
    x = _t(x)
    return torch.ones_like(x, dtype=None if dtype is None else to_torch_dtype(dtype))


@keras_op("layerwise.ops.numpy.full_like")
def full_like(x, fill_value, dtype=None):
    """``fill_value`` with the shape of ``x``.

    Example:
        >>> from layerwise import ops
        >>> ops.full_like(torch.zeros(2), 7.0)
        tensor([7., 7.])
    """
    x = _t(x)
    return torch.full_like(x, fill_value, dtype=None if dtype is None else to_torch_dtype(dtype))


def zeros(shape, dtype=None, device=None):
    """Zeros of ``shape`` (floatx unless ``dtype``).

    Example:
        >>> from layerwise import ops
        >>> ops.zeros((2,), device="cpu")
        tensor([0., 0.])
    """
    return torch.zeros(tuple(shape) if not isinstance(shape, int) else (shape,), dtype=_dtype(dtype), device=_device(device))


def ones(shape, dtype=None, device=None):
    """Ones of ``shape``.

    Example:
        >>> from layerwise import ops
        >>> ops.ones((2,), device="cpu")
        tensor([1., 1.])
    """
    return torch.ones(tuple(shape) if not isinstance(shape, int) else (shape,), dtype=_dtype(dtype), device=_device(device))


def full(shape, fill_value, dtype=None, device=None):
    """``fill_value`` everywhere in ``shape``.

    Example:
        >>> from layerwise import ops
        >>> ops.full((2,), 3.0, device="cpu")
        tensor([3., 3.])
    """
    return torch.full(tuple(shape) if not isinstance(shape, int) else (shape,), fill_value, dtype=_dtype(dtype),
                      device=_device(device))


def arange(start, stop=None, step=1, dtype=None, device=None):
    """Evenly spaced values in ``[start, stop)``; integers unless a float is involved.

    Example:
        >>> from layerwise import ops
        >>> ops.arange(3, device="cpu")
        tensor([0, 1, 2])
    """
    if stop is None:
        start, stop = 0, start
    is_float = builtins.any(isinstance(v, float) for v in (start, stop, step))
    default = config.floatx() if is_float else "int64"
    return torch.arange(start, stop, step, dtype=_dtype(dtype, default), device=_device(device))


def eye(N, M=None, k=0, dtype=None, device=None):
    """Ones on the ``k``-th diagonal, zeros elsewhere.

    Example:
        >>> from layerwise import ops
        >>> ops.eye(2, device="cpu")
        tensor([[1., 0.],
                [0., 1.]])
    """
    M = N if M is None else M
    out = torch.zeros((N, M), dtype=_dtype(dtype), device=_device(device))
    out.diagonal(k).fill_(1)
    return out


def linspace(start, stop, num=50, endpoint=True, dtype=None, device=None):
    """``num`` evenly spaced values from ``start`` to ``stop``.

    Example:
        >>> from layerwise import ops
        >>> ops.linspace(0.0, 1.0, 3, device="cpu")
        tensor([0.0000, 0.5000, 1.0000])
    """
    if endpoint:
        return torch.linspace(start, stop, num, dtype=_dtype(dtype), device=_device(device))
    step = (stop - start) / num
    return start + step * torch.arange(num, dtype=_dtype(dtype), device=_device(device))


for _fn in (zeros, ones, full, arange, eye, linspace):
    _export(f"layerwise.ops.{_fn.__name__}", f"layerwise.ops.numpy.{_fn.__name__}")(_fn)

