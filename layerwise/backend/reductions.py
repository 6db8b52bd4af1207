"""Reductions over axes, with Keras 2's ``axis=`` and ``keepdims=`` arguments."""

from __future__ import annotations

import torch

from layerwise import config, ops
from layerwise.api_export import export
from layerwise.backend._common import Axis, TensorLike, as_tensor, axis_arg


def _as_float(x: TensorLike) -> torch.Tensor:
    """Booleans and integers are averaged as floatx, as Keras 2 did for booleans."""
    x = as_tensor(x)
    return x if x.is_floating_point() else ops.cast(x, config.floatx())


@export("layerwise.backend.sum")
def sum(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:  # noqa: A001
    """Sum over ``axis`` (all axes when ``None``), keeping reduced axes with ``keepdims``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.sum(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), axis=1, keepdims=True)
        tensor([[3.],
                [7.]])
    """
    return ops.sum(x, axis=axis_arg(axis), keepdims=keepdims)


@export("layerwise.backend.mean")
def mean(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """Mean over ``axis``; booleans and integers are averaged as floatx.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.mean(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), axis=0)
        tensor([2., 3.])
    """
    return ops.mean(_as_float(x), axis=axis_arg(axis), keepdims=keepdims)


@export("layerwise.backend.max")
def max(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:  # noqa: A001
    """Maximum over ``axis``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.max(torch.tensor([[1.0, 5.0], [3.0, 4.0]]), axis=-1)
        tensor([5., 4.])
    """
    return ops.max(x, axis=axis_arg(axis), keepdims=keepdims)


@export("layerwise.backend.min")
def min(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:  # noqa: A001
    """Minimum over ``axis``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.min(torch.tensor([[1.0, 5.0], [3.0, 4.0]]))
        tensor(1.)
    """
    return ops.min(x, axis=axis_arg(axis), keepdims=keepdims)


@export("layerwise.backend.prod")
def prod(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """Product over ``axis``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.prod(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), axis=0)
        tensor([3., 8.])
    """
    return ops.prod(x, axis=axis_arg(axis), keepdims=keepdims)


@export("layerwise.backend.var")
def var(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """Population variance (dividing by N) over ``axis``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.var(torch.tensor([[1.0, 3.0], [5.0, 7.0]]), axis=1)
        tensor([1., 1.])
    """
    return ops.var(_as_float(x), axis=axis_arg(axis), keepdims=keepdims)


@export("layerwise.backend.std")
def std(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:
    """Population standard deviation over ``axis``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.std(torch.tensor([[1.0, 3.0], [5.0, 9.0]]), axis=1)
        tensor([1., 2.])
    """
    return ops.std(_as_float(x), axis=axis_arg(axis), keepdims=keepdims)


def _logical_reduction(reduce, x: TensorLike, axis: Axis, keepdims: bool) -> torch.Tensor:
    x = ops.cast(x, "bool")
    if axis is None:
        out = reduce(x)
        return ops.reshape(out, (1,) * x.ndim) if keepdims else out
    return reduce(x, axis=axis_arg(axis), keepdims=keepdims)


@export("layerwise.backend.any")
def any(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:  # noqa: A001
    """Logical OR over ``axis`` (non-zero values count as true).

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.any(torch.tensor([[0.0, 2.0], [0.0, 0.0]]), axis=1)
        tensor([ True, False])
    """
    return _logical_reduction(ops.any, x, axis, keepdims)


@export("layerwise.backend.all")
def all(x: TensorLike, axis: Axis = None, keepdims: bool = False) -> torch.Tensor:  # noqa: A001
    """Logical AND over ``axis`` (non-zero values count as true).

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.all(torch.tensor([[1.0, 2.0], [0.0, 3.0]]), axis=1)
        tensor([ True, False])
    """
    return _logical_reduction(ops.all, x, axis, keepdims)


def _arg_axis(fn_name: str, axis: int | None) -> int:
    if axis is None:  # TensorFlow's arg-reductions take ``None`` to mean axis 0
        return 0
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise TypeError(f"`{fn_name}` argument `axis` must be one integer; received axis={axis!r}.")
    return axis


@export("layerwise.backend.argmax")
def argmax(x: TensorLike, axis: int = -1) -> torch.Tensor:
    """Index of the largest value along ``axis`` (the first one on ties), as int64.

    ``axis=None`` means axis 0, as in Keras 2 (TensorFlow's ``argmax``).

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.argmax(torch.tensor([[1.0, 5.0], [3.0, 2.0]]))
        tensor([1, 0])
    """
    return ops.argmax(x, axis=_arg_axis("argmax", axis))


@export("layerwise.backend.argmin")
def argmin(x: TensorLike, axis: int = -1) -> torch.Tensor:
    """Index of the smallest value along ``axis`` (the first one on ties), as int64.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.argmin(torch.tensor([[1.0, 5.0], [3.0, 2.0]]))
        tensor([0, 1])
    """
    return ops.argmin(x, axis=_arg_axis("argmin", axis))
