"""Tensors as values: shapes and dtypes, creation, variables, reading and writing values in place."""

from __future__ import annotations

from typing import Any, Iterable

import numpy as np
import torch

from layerwise import config, ops
from layerwise.api_export import export
from layerwise.backend._common import ShapeLike, TensorLike, dtype_or_floatx, generator, num_elements, shape_tuple
from layerwise.graph.keras_tensor import KerasTensor
from layerwise.ops.core import convert_to_numpy, convert_to_tensor
from layerwise.utils.dtype_utils import standardize_dtype
from layerwise.variables import Variable


# ---- shapes and dtypes ------------------------------------------------------------------------
@export("layerwise.backend.int_shape")
def int_shape(x: Any) -> tuple:
    """The shape of ``x`` as a tuple of Python ints (``None`` for unknown symbolic sizes).

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.int_shape(torch.zeros(2, 3))
        (2, 3)
    """
    if isinstance(x, KerasTensor):
        return x.shape
    shape = getattr(x, "shape", None)
    if shape is None:
        raise TypeError(f"`int_shape` argument `x` must be a tensor or array; received an object of type "
                        f"{type(x).__name__}.")
    return tuple(None if d is None else int(d) for d in shape)


@export("layerwise.backend.shape")
def shape(x: Any) -> torch.Tensor | tuple:
    """The shape of ``x`` as a 1-D int32 tensor (on the CPU), as Keras 2's ``K.shape``.

    Its elements can be used in shapes given to ``reshape``, ``zeros``, ``random_normal`` ...
    A symbolic tensor's shape is returned as a tuple, with ``None`` for unknown sizes.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.shape(torch.zeros(2, 3))
        tensor([2, 3], dtype=torch.int32)
    """
    dims = int_shape(x)
    if isinstance(x, KerasTensor):
        return dims
    return torch.tensor(dims, dtype=torch.int32)


@export("layerwise.backend.ndim")
def ndim(x: Any) -> int:
    """The number of axes of ``x``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.ndim(torch.zeros(2, 3))
        2
    """
    return len(int_shape(x))


@export("layerwise.backend.dtype")
def dtype(x: Any) -> str:
    """The dtype of ``x`` as a string (``"float32"``, ``"int64"`` ...).

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.dtype(torch.zeros(2, dtype=torch.int32))
        'int32'
    """
    if not hasattr(x, "dtype"):
        raise TypeError(f"`dtype` argument `x` must be a tensor or array; received an object of type "
                        f"{type(x).__name__}.")
    return standardize_dtype(x.dtype)


# ---- constants and variables ------------------------------------------------------------------
@export("layerwise.backend.constant")
def constant(value: TensorLike, dtype: Any = None, shape: ShapeLike | None = None,
             name: str | None = None) -> torch.Tensor:
    """A new tensor holding ``value`` (floatx unless ``dtype``); ``name`` is accepted and unused.

    With ``shape``, a single value fills the shape; otherwise the values are reshaped to it.

    Example:
        >>> from layerwise import backend as K
        >>> K.eval(K.constant(2, shape=(2, 2)))
        array([[2., 2.],
               [2., 2.]], dtype=float32)
    """
    tensor = convert_to_tensor(value, dtype=dtype_or_floatx(dtype))
    if tensor is value:
        tensor = tensor.clone()
    if shape is not None:
        dims = shape_tuple("constant", shape)
        if tensor.numel() == 1:
            tensor = tensor.reshape(()).expand(dims).clone()
        elif tensor.numel() == num_elements(dims):
            tensor = tensor.reshape(dims)
        else:
            raise ValueError(f"`constant` argument `shape`: {tensor.numel()} values cannot fill shape {dims}; "
                             "give one value or exactly as many values as the shape holds.")
    return tensor.detach()


@export("layerwise.backend.variable")
def variable(value: TensorLike, dtype: Any = None, name: str | None = None, constraint: Any = None) -> Variable:
    """A new :class:`~layerwise.variables.Variable` holding a copy of ``value`` (floatx unless ``dtype``).

    Example:
        >>> from layerwise import backend as K
        >>> K.variable([1.0, 2.0], name="w")
        <Variable path=w, shape=(2,), dtype=float32, value=[1. 2.]>
    """
    data = convert_to_tensor(value, dtype=dtype_or_floatx(dtype))
    if isinstance(value, torch.Tensor):
        data = data.detach().clone()
    return Variable(data, name=name, constraint=constraint)


# ---- reading and writing values ---------------------------------------------------------------
@export("layerwise.backend.get_value")
def get_value(x: Any) -> Any:
    """The value of a tensor or variable as a NumPy array; anything else is returned as it is.

    Example:
        >>> from layerwise import backend as K
        >>> K.get_value(K.variable([1.0, 2.0]))
        array([1., 2.], dtype=float32)
    """
    if isinstance(x, KerasTensor):
        raise ValueError(f"`get_value` argument `x` is a symbolic tensor ({x.name}), which has no value; "
                         "call the model on data instead.")
    if isinstance(x, torch.Tensor):
        return convert_to_numpy(x)
    return x


@export("layerwise.backend.eval")
def eval(x: Any) -> Any:  # noqa: A001 - Keras 2's name
    """The value of ``x`` as a NumPy array (the same as :func:`get_value`).

    Example:
        >>> from layerwise import backend as K
        >>> K.eval(K.ones((2,)))
        array([1., 1.], dtype=float32)
    """
    return get_value(x)


@export("layerwise.backend.batch_get_value")
def batch_get_value(tensors: Iterable[Any]) -> list:
    """The values of several tensors, as a list of NumPy arrays.

    Example:
        >>> from layerwise import backend as K
        >>> K.batch_get_value([K.variable([1.0]), K.variable([2.0])])
        [array([1.], dtype=float32), array([2.], dtype=float32)]
    """
    return [get_value(x) for x in tensors]


@export("layerwise.backend.set_value")
def set_value(x: torch.Tensor, value: TensorLike) -> None:
    """Copy ``value`` into the tensor or variable ``x`` in place (same object, same dtype and device).

    Example:
        >>> from layerwise import backend as K
        >>> v = K.variable([0.0, 0.0]); K.set_value(v, [3, 4]); v.numpy()
        array([3., 4.], dtype=float32)
    """
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"`set_value` argument `x` must be a tensor or Variable to update in place; received an "
                        f"object of type {type(x).__name__}.")
    new = value if isinstance(value, torch.Tensor) else convert_to_tensor(np.asarray(value))
    if tuple(new.shape) != tuple(x.shape):
        raise ValueError(f"`set_value` argument `value` must have the shape of `x`, {tuple(x.shape)}; received a "
                         f"value of shape {tuple(new.shape)}.")
    with torch.no_grad():
        x.copy_(new.detach())


@export("layerwise.backend.batch_set_value")
def batch_set_value(tuples: Iterable[tuple[torch.Tensor, TensorLike]]) -> None:
    """:func:`set_value` for each ``(x, value)`` pair.

    Example:
        >>> from layerwise import backend as K
        >>> a, b = K.variable([0.0]), K.variable([0.0])
        >>> K.batch_set_value([(a, [1.0]), (b, [2.0])]); K.batch_get_value([a, b])
        [array([1.], dtype=float32), array([2.], dtype=float32)]
    """
    for pair in tuples:
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValueError(f"`batch_set_value` argument `tuples` must hold (tensor, value) pairs; received {pair!r}.")
        set_value(pair[0], pair[1])


# ---- creation ---------------------------------------------------------------------------------
@export("layerwise.backend.zeros")
def zeros(shape: ShapeLike, dtype: Any = None, name: str | None = None) -> torch.Tensor:
    """A tensor of zeros (floatx unless ``dtype``) on the default device.

    Keras 2 returned a variable; this is a plain tensor, still updatable with :func:`set_value`.
    Wrap it in :func:`variable` for a weight.

    Example:
        >>> from layerwise import backend as K
        >>> K.eval(K.zeros((2, 3)))
        array([[0., 0., 0.],
               [0., 0., 0.]], dtype=float32)
    """
    return ops.zeros(shape_tuple("zeros", shape), dtype=dtype_or_floatx(dtype))


@export("layerwise.backend.ones")
def ones(shape: ShapeLike, dtype: Any = None, name: str | None = None) -> torch.Tensor:
    """A tensor of ones (floatx unless ``dtype``) on the default device; see :func:`zeros`.

    Example:
        >>> from layerwise import backend as K
        >>> K.eval(K.ones((2,), dtype="int32"))
        array([1, 1], dtype=int32)
    """
    return ops.ones(shape_tuple("ones", shape), dtype=dtype_or_floatx(dtype))


@export("layerwise.backend.zeros_like")
def zeros_like(x: TensorLike, dtype: Any = None, name: str | None = None) -> torch.Tensor:
    """Zeros with the shape of ``x`` (and its dtype unless ``dtype`` is given).

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.zeros_like(torch.tensor([1.0, 2.0]))
        tensor([0., 0.])
    """
    return ops.zeros_like(x, dtype=dtype)


@export("layerwise.backend.ones_like")
def ones_like(x: TensorLike, dtype: Any = None, name: str | None = None) -> torch.Tensor:
    """Ones with the shape of ``x`` (and its dtype unless ``dtype`` is given).

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.ones_like(torch.tensor([1, 2]))
        tensor([1, 1])
    """
    return ops.ones_like(x, dtype=dtype)


@export("layerwise.backend.eye")
def eye(size: int | tuple[int, int], dtype: Any = None, name: str | None = None) -> torch.Tensor:
    """The identity matrix of ``size`` rows and columns (``(rows, columns)`` for a rectangle).

    Example:
        >>> from layerwise import backend as K
        >>> K.eval(K.eye(2))
        array([[1., 0.],
               [0., 1.]], dtype=float32)
    """
    dims = shape_tuple("eye", size)
    dims = dims * 2 if len(dims) == 1 else dims
    if len(dims) != 2:
        raise ValueError(f"`eye` argument `size` must be an int or a pair (rows, columns); received size={size!r}.")
    rows, columns = dims
    return ops.eye(rows, columns, dtype=dtype_or_floatx(dtype))


@export("layerwise.backend.random_uniform")
def random_uniform(shape: ShapeLike, minval: float = 0.0, maxval: float = 1.0, dtype: Any = None,
                   seed: int | None = None) -> torch.Tensor:
    """Values drawn uniformly from ``[minval, maxval)``; integers too when ``dtype`` is an int type.

    ``seed`` makes the draw reproducible without touching the global generator.

    Example:
        >>> from layerwise import backend as K
        >>> x = K.random_uniform((2, 3), minval=-1.0, maxval=1.0, seed=7)
        >>> K.int_shape(x), bool((x >= -1).all() and (x < 1).all())
        ((2, 3), True)
    """
    dims = shape_tuple("random_uniform", shape)
    torch_dtype = dtype_or_floatx(dtype)
    device = config.default_device()
    rng = generator(seed, device)
    if not torch_dtype.is_floating_point:
        return torch.randint(int(minval), int(maxval), dims, generator=rng, dtype=torch_dtype, device=device)
    return torch.rand(dims, generator=rng, dtype=torch_dtype, device=device) * (maxval - minval) + minval


@export("layerwise.backend.random_normal")
def random_normal(shape: ShapeLike, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None,
                  seed: int | None = None) -> torch.Tensor:
    """Values drawn from a normal distribution with ``mean`` and ``stddev`` (float dtypes only).

    Example:
        >>> from layerwise import backend as K
        >>> a, b = K.random_normal((3,), seed=1), K.random_normal((3,), seed=1)
        >>> bool((a == b).all())
        True
    """
    dims = shape_tuple("random_normal", shape)
    torch_dtype = dtype_or_floatx(dtype)
    if not torch_dtype.is_floating_point:
        raise ValueError(f"`random_normal` argument `dtype` must be a float type; received dtype={dtype!r}.")
    device = config.default_device()
    return torch.randn(dims, generator=generator(seed, device), dtype=torch_dtype, device=device) * stddev + mean
