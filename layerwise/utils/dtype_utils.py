"""Dtypes as Keras names them (strings such as ``"float32"``) and as torch does."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

_TORCH_DTYPES: dict[str, torch.dtype] = {
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float64": torch.float64,
    "uint8": torch.uint8,
    "uint16": torch.uint16,
    "uint32": torch.uint32,
    "uint64": torch.uint64,
    "int8": torch.int8,
    "int16": torch.int16,
    "int32": torch.int32,
    "int64": torch.int64,
    "bool": torch.bool,
    "complex64": torch.complex64,
    "complex128": torch.complex128,
}
_NAMES = {v: k for k, v in _TORCH_DTYPES.items()}
_ALIASES = {"float": "float32", "double": "float64", "half": "float16", "int": "int64", "long": "int64"}


def standardize_dtype(dtype: Any) -> str:
    """Any dtype spelling (string, torch, NumPy, Python type) -> Keras's string name.

    Example:
        >>> standardize_dtype(torch.float64), standardize_dtype("float"), standardize_dtype(np.int32)
        ('float64', 'float32', 'int32')
    """
    if dtype is None:
        from layerwise import config

        return config.floatx()
    if isinstance(dtype, torch.dtype):
        if dtype not in _NAMES:
            raise ValueError(f"Unsupported dtype: {dtype}.")
        return _NAMES[dtype]
    if dtype is float:
        return "float32"
    if dtype is int:
        return "int64"
    if dtype is bool:
        return "bool"
    if isinstance(dtype, str):
        name = _ALIASES.get(dtype, dtype)
        if name.startswith("torch."):
            name = name[len("torch."):]
        if name in _TORCH_DTYPES:
            return name
        raise ValueError(f"Unknown dtype: {dtype!r}. Valid dtypes: {', '.join(sorted(_TORCH_DTYPES))}.")
    if hasattr(dtype, "name") and not isinstance(dtype, type):  # a policy or np.dtype instance
        return standardize_dtype(dtype.name)
    try:
        return standardize_dtype(np.dtype(dtype).name)
    except TypeError:
        raise ValueError(f"Unknown dtype: {dtype!r}.") from None


def to_torch_dtype(dtype: Any) -> torch.dtype:
    """Keras dtype name (or any spelling) -> ``torch.dtype``.

    Example:
        >>> to_torch_dtype("float32")
        torch.float32
    """
    if isinstance(dtype, torch.dtype):
        return dtype
    if type(dtype) is str and dtype in _TORCH_DTYPES:  # the common case, on every step: one lookup
        return _TORCH_DTYPES[dtype]
    return _TORCH_DTYPES[standardize_dtype(dtype)]


def is_float(dtype: Any) -> bool:
    """True for float16/bfloat16/float32/float64.

    Example:
        >>> is_float("bfloat16"), is_float("int64")
        (True, False)
    """
    return standardize_dtype(dtype) in ("float16", "bfloat16", "float32", "float64")


def is_int_or_bool(dtype: Any) -> bool:
    """True for integer and boolean dtypes."""
    name = standardize_dtype(dtype)
    return name == "bool" or "int" in name
