"""Shapes, joins, indexing and products of Keras 2's backend (``dot``, ``batch_dot`` ...)."""

from __future__ import annotations

from typing import Any, Sequence

import torch

from layerwise import config, ops
from layerwise.api_export import export
from layerwise.backend._common import ShapeLike, TensorLike, as_tensor, num_elements, shape_tuple


# ---- products ---------------------------------------------------------------------------------
@export("layerwise.backend.dot")
def dot(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Matrix product; for N-D inputs, the last axis of ``x`` with the second-to-last of ``y``.

    A ``(2, 3, 4)`` by ``(4, 5)`` product is ``(2, 3, 5)``; ``(2, 3)`` by ``(4, 3, 5)`` is ``(2, 4, 5)``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.dot(torch.ones(2, 3), torch.ones(3, 4)).shape
        torch.Size([2, 4])
    """
    return ops.dot(x, y)


def _batch_dot_axes(axes: Any, x_ndim: int, y_ndim: int) -> tuple[int, int]:
    if axes is None:
        axes = (x_ndim - 1, y_ndim - 1 if y_ndim == 2 else y_ndim - 2)
    elif isinstance(axes, int):
        axes = (axes, axes)
    if not isinstance(axes, (list, tuple)) or len(axes) != 2 or not all(isinstance(a, int) for a in axes):
        raise ValueError(f"`batch_dot` argument `axes` must be None, an int or a pair of ints (one axis of `x`, "
                         f"one of `y`); received axes={axes!r}.")
    return axes[0] % x_ndim, axes[1] % y_ndim


@export("layerwise.backend.batch_dot")
def batch_dot(x: TensorLike, y: TensorLike, axes: int | Sequence[int] | None = None) -> torch.Tensor:
    """Per-sample dot product: for each ``i``, ``x[i]`` and ``y[i]`` are contracted over ``axes``.

    ``axes=None`` contracts the last axis of ``x`` with the second-to-last of ``y`` (the last when
    ``y`` is 2-D). The result has the remaining axes of ``x`` then those of ``y``; two 2-D inputs
    give shape ``(batch, 1)``, as in Keras 2.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.batch_dot(torch.ones(32, 20, 1), torch.ones(32, 30, 20), axes=(1, 2)).shape
        torch.Size([32, 1, 30])
        >>> K.batch_dot(torch.tensor([[1.0, 2.0]]), torch.tensor([[3.0, 4.0]]))
        tensor([[11.]])
    """
    x, y = as_tensor(x), as_tensor(y)
    if x.ndim < 2 or y.ndim < 2:
        raise ValueError(f"`batch_dot` needs inputs of rank 2 or more (a batch axis first); received shapes "
                         f"{tuple(x.shape)} and {tuple(y.shape)}.")
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"`batch_dot` needs inputs with the same batch size; received shapes {tuple(x.shape)} "
                         f"and {tuple(y.shape)}.")
    x_axis, y_axis = _batch_dot_axes(axes, x.ndim, y.ndim)
    if x_axis == 0 or y_axis == 0:
        raise ValueError(f"`batch_dot` argument `axes` cannot include the batch axis 0; received axes={axes!r}. "
                         "Add a batch axis with `expand_dims(x, 0)` for unbatched inputs.")
    if x.shape[x_axis] != y.shape[y_axis]:
        raise ValueError(f"`batch_dot` cannot contract axis {x_axis} of `x` (shape {tuple(x.shape)}) with axis "
                         f"{y_axis} of `y` (shape {tuple(y.shape)}): sizes {x.shape[x_axis]} and "
                         f"{y.shape[y_axis]} differ.")
    x = torch.movedim(x, x_axis, -1)  # (batch, *x_rest, d)
    y = torch.movedim(y, y_axis, 1)  # (batch, d, *y_rest)
    x_rest, y_rest = tuple(x.shape[1:-1]), tuple(y.shape[2:])
    batch, depth = x.shape[0], x.shape[-1]
    out = torch.bmm(x.reshape(batch, num_elements(x_rest), depth), y.reshape(batch, depth, num_elements(y_rest)))
    out = out.reshape(batch, *x_rest, *y_rest)
    return out.unsqueeze(1) if out.ndim == 1 else out


# ---- shapes -----------------------------------------------------------------------------------
@export("layerwise.backend.transpose")
def transpose(x: TensorLike) -> torch.Tensor:
    """``x`` with the order of all its axes reversed.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.transpose(torch.tensor([[1.0, 2.0]]))
        tensor([[1.],
                [2.]])
    """
    return ops.transpose(x)


@export("layerwise.backend.permute_dimensions")
def permute_dimensions(x: TensorLike, pattern: Sequence[int]) -> torch.Tensor:
    """``x`` with its axes reordered: output axis ``i`` is input axis ``pattern[i]``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.permute_dimensions(torch.zeros(2, 3, 4), (0, 2, 1)).shape
        torch.Size([2, 4, 3])
    """
    pattern = tuple(pattern)
    if sorted(a % len(pattern) for a in pattern) != list(range(len(pattern))):
        raise ValueError(f"`permute_dimensions` argument `pattern` must be a permutation of the axes; received "
                         f"pattern={pattern!r}.")
    return ops.transpose(x, pattern)


@export("layerwise.backend.reshape")
def reshape(x: TensorLike, shape: ShapeLike) -> torch.Tensor:
    """``x`` with a new shape; one size may be ``-1`` (inferred). Sizes may come from :func:`shape`.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.reshape(torch.arange(6), (-1, 3))
        tensor([[0, 1, 2],
                [3, 4, 5]])
    """
    return ops.reshape(x, shape_tuple("reshape", shape, allow_unknown=True))


@export("layerwise.backend.flatten")
def flatten(x: TensorLike) -> torch.Tensor:
    """All values of ``x`` in one axis.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.flatten(torch.tensor([[1, 2], [3, 4]]))
        tensor([1, 2, 3, 4])
    """
    return ops.ravel(x)


@export("layerwise.backend.batch_flatten")
def batch_flatten(x: TensorLike) -> torch.Tensor:
    """``x`` as a matrix: the batch axis kept, all other axes flattened into one.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.batch_flatten(torch.zeros(2, 3, 4)).shape
        torch.Size([2, 12])
    """
    x = as_tensor(x)
    if x.ndim < 1:
        raise ValueError("`batch_flatten` argument `x` must have a batch axis; received a scalar.")
    return ops.reshape(x, (x.shape[0], num_elements(x.shape[1:])))


@export("layerwise.backend.expand_dims")
def expand_dims(x: TensorLike, axis: int = -1) -> torch.Tensor:
    """``x`` with a new axis of size 1 at ``axis`` (last by default).

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.expand_dims(torch.zeros(2, 3)).shape
        torch.Size([2, 3, 1])
    """
    return ops.expand_dims(x, axis)


@export("layerwise.backend.squeeze")
def squeeze(x: TensorLike, axis: int) -> torch.Tensor:
    """``x`` without its axis ``axis``, which must have size 1.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.squeeze(torch.zeros(2, 1, 3), 1).shape
        torch.Size([2, 3])
    """
    return ops.squeeze(x, axis)


# ---- joins and repeats ------------------------------------------------------------------------
@export("layerwise.backend.concatenate")
def concatenate(tensors: Sequence[TensorLike], axis: int = -1) -> torch.Tensor:
    """Tensors joined along an existing axis (the last by default).

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.concatenate([torch.tensor([[1.0]]), torch.tensor([[2.0]])])
        tensor([[1., 2.]])
    """
    if not isinstance(tensors, (list, tuple)) or not tensors:
        raise ValueError(f"`concatenate` argument `tensors` must be a non-empty list of tensors; received {tensors!r}.")
    return ops.concatenate(list(tensors), axis=axis)


@export("layerwise.backend.stack")
def stack(x: Sequence[TensorLike], axis: int = 0) -> torch.Tensor:
    """Tensors of one shape joined along a new axis.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.stack([torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])], axis=1)
        tensor([[1., 3.],
                [2., 4.]])
    """
    return ops.stack(list(x), axis=axis)


@export("layerwise.backend.repeat_elements")
def repeat_elements(x: TensorLike, rep: int, axis: int) -> torch.Tensor:
    """Each slice of ``x`` along ``axis`` repeated ``rep`` times in a row (as ``np.repeat``).

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.repeat_elements(torch.tensor([[1, 2]]), 2, axis=1)
        tensor([[1, 1, 2, 2]])
    """
    if isinstance(rep, bool) or not isinstance(rep, int) or rep < 0:
        raise ValueError(f"`repeat_elements` argument `rep` must be a non-negative int; received rep={rep!r}.")
    return ops.repeat(x, rep, axis=axis)


@export("layerwise.backend.tile")
def tile(x: TensorLike, n: int | Sequence[int]) -> torch.Tensor:
    """The whole of ``x`` repeated ``n[i]`` times along axis ``i``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.tile(torch.tensor([[1, 2]]), (2, 1))
        tensor([[1, 2],
                [1, 2]])
    """
    return ops.tile(x, n if isinstance(n, int) else [int(r) for r in n])


# ---- indexing ---------------------------------------------------------------------------------
@export("layerwise.backend.gather")
def gather(reference: TensorLike, indices: TensorLike) -> torch.Tensor:
    """Rows of ``reference`` (slices along axis 0) picked by integer ``indices`` of any shape.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.gather(torch.tensor([[1, 2], [3, 4], [5, 6]]), torch.tensor([2, 0]))
        tensor([[5, 6],
                [1, 2]])
    """
    return ops.take(reference, indices, axis=0)


@export("layerwise.backend.one_hot")
def one_hot(indices: TensorLike, num_classes: int) -> torch.Tensor:
    """One-hot encoding (floatx) of integer ``indices`` in a new last axis; out-of-range ones give zeros.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.one_hot(torch.tensor([0, 2]), 3)
        tensor([[1., 0., 0.],
                [0., 0., 1.]])
    """
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 1:
        raise ValueError(f"`one_hot` argument `num_classes` must be a positive int; received "
                         f"num_classes={num_classes!r}.")
    return ops.one_hot(indices, num_classes, dtype=config.floatx())
