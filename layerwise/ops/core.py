"""Conversion between NumPy, Python values and torch tensors, and other core ops."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from layerwise import config
from layerwise.api_export import export
from layerwise.ops.symbolic import keras_op
from layerwise.utils.dtype_utils import standardize_dtype, to_torch_dtype


@keras_op("layerwise.backend.is_tensor")
def is_tensor(x: Any) -> bool:
    """True for a torch tensor.

    Example:
        >>> from layerwise import ops
        >>> ops.is_tensor(torch.zeros(2)), ops.is_tensor([1, 2])
        (True, False)
    """
    return isinstance(x, torch.Tensor)


def convert_to_tensor(x: Any, dtype: Any = None, device: Any = None, sparse: bool | None = None) -> torch.Tensor:
    """A torch tensor from a tensor, NumPy array, Python number or nested list.

    NumPy arrays keep their dtype; Python floats become floatx. New tensors go to ``device``, or
    the default device; an existing tensor keeps its device unless ``device`` is given.

    Example:
        >>> from layerwise import ops
        >>> ops.convert_to_tensor([1.0, 2.0], device="cpu")
        tensor([1., 2.])
    """
    if sparse:
        raise ValueError("`convert_to_tensor` argument `sparse`: sparse tensors are not supported.")
    torch_dtype = None if dtype is None else to_torch_dtype(dtype)
    if isinstance(x, torch.Tensor):
        if torch_dtype is not None and x.dtype != torch_dtype:
            x = x.to(torch_dtype)
        if device is not None and x.device != torch.device(device):
            x = x.to(device)
        return x
    target = torch.device(device) if device is not None else config.default_device()
    if hasattr(x, "__array__") and not isinstance(x, np.ndarray):
        x = np.asarray(x)
    if isinstance(x, np.ndarray):
        if x.dtype == object:
            raise TypeError("Cannot convert a NumPy array of Python objects to a tensor.")
        if not x.flags.writeable or not x.flags.c_contiguous:
            x = np.array(x, order="C", copy=True)
        tensor = torch.from_numpy(x)
    elif isinstance(x, bool):
        tensor = torch.tensor(x)
    elif isinstance(x, float):
        tensor = torch.tensor(x, dtype=to_torch_dtype(config.floatx()))
    elif isinstance(x, int):
        tensor = torch.tensor(x, dtype=torch.int64)
    else:
        array = np.asarray(x)
        if array.dtype == np.float64 and _all_python_floats(x):
            array = array.astype(config.floatx())
        tensor = torch.from_numpy(np.ascontiguousarray(array))
    if torch_dtype is not None and tensor.dtype != torch_dtype:
        tensor = tensor.to(torch_dtype)
    return tensor.to(target)


def _all_python_floats(x: Any) -> bool:
    if isinstance(x, (list, tuple)):
        return all(_all_python_floats(v) for v in x)
    return isinstance(x, (float, int)) and not isinstance(x, bool)


def convert_to_numpy(x: Any) -> np.ndarray:
    """A NumPy array from a tensor (any device, with or without grad) or array-like.

    Example:
        >>> from layerwise import ops
        >>> ops.convert_to_numpy(torch.ones(2, requires_grad=True))
        array([1., 1.], dtype=float32)
    """
    if isinstance(x, torch.Tensor):
        x = x.detach()
        if x.dtype == torch.bfloat16:
            x = x.float()
        return x.cpu().numpy()
    return np.asarray(x)


@keras_op("layerwise.backend.cast")
def cast(x: Any, dtype: Any) -> torch.Tensor:
    """``x`` converted to ``dtype``.

    Example:
        >>> from layerwise import ops
        >>> ops.cast(torch.tensor([1.7, -1.2]), "int32")
        tensor([ 1, -1], dtype=torch.int32)
    """
    return convert_to_tensor(x).to(to_torch_dtype(dtype))


def shape(x: Any) -> tuple:
    """The shape of ``x`` as a tuple of ints (``None`` for unknown symbolic dims).

    Shapes of symbolic tensors are known when the graph is built, so this never records a node.

    Example:
        >>> from layerwise import ops
        >>> ops.shape(torch.zeros(2, 3))
        (2, 3)
    """
    return tuple(x.shape)


@keras_op()
def stop_gradient(x: Any) -> torch.Tensor:
    """``x`` with no gradient flowing back through it.

    Example:
        >>> from layerwise import ops
        >>> ops.stop_gradient(torch.ones(1, requires_grad=True)).requires_grad
        False
    """
    return convert_to_tensor(x).detach()


def dtype(x: Any) -> str:
    """Keras's dtype name of a tensor or array.

    Example:
        >>> from layerwise import ops
        >>> ops.dtype(torch.zeros(1, dtype=torch.int32))
        'int32'
    """
    if hasattr(x, "dtype"):
        return standardize_dtype(x.dtype)
    return standardize_dtype(type(x))


def as_tensor_like(value: Any, reference: torch.Tensor) -> torch.Tensor:
    """``value`` as a tensor on ``reference``'s device (and dtype when ``value`` is a float)."""
    if isinstance(value, torch.Tensor):
        return value if value.device == reference.device else value.to(reference.device)
    if isinstance(value, float):
        return torch.tensor(value, dtype=reference.dtype, device=reference.device)
    return convert_to_tensor(value, device=reference.device)


export("layerwise.ops.shape", "layerwise.ops.core.shape")(shape)
