"""Shape manipulation and array creation (``keras.ops.numpy``)."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from layerwise import config
from layerwise.api_export import export as _export
from layerwise.ops.elementwise import _t
from layerwise.ops.symbolic import keras_op
from layerwise.utils.dtype_utils import to_torch_dtype


def _dtype(dtype: Any, default: str | None = None) -> torch.dtype:
    return to_torch_dtype(dtype if dtype is not None else (default or config.floatx()))


@keras_op("layerwise.ops.numpy.reshape")
def reshape(x, newshape):
    """``x`` with a new shape (one dimension may be -1).

    Example:
        >>> from layerwise import ops
        >>> ops.reshape(torch.arange(6), (2, -1)).shape
        torch.Size([2, 3])
    """
    return torch.reshape(_t(x), tuple(-1 if d is None else d for d in newshape))


@keras_op("layerwise.ops.numpy.transpose")
def transpose(x, axes=None):
    """Permute axes (reverse them when ``axes`` is ``None``).

    Example:
        >>> from layerwise import ops
        >>> ops.transpose(torch.zeros(2, 3, 4), (0, 2, 1)).shape
        torch.Size([2, 4, 3])
    """
    x = _t(x)
    if axes is None:
        axes = tuple(reversed(range(x.ndim)))
    return x.permute(*axes)


@keras_op("layerwise.ops.numpy.expand_dims")
def expand_dims(x, axis):
    """Insert a size-1 axis at ``axis``.

    Example:
        >>> from layerwise import ops
        >>> ops.expand_dims(torch.zeros(3), 0).shape
        torch.Size([1, 3])
    """
    x = _t(x)
    for a in sorted(axis if isinstance(axis, (list, tuple)) else (axis,), key=lambda a: a % (x.ndim + 1)):
        x = torch.unsqueeze(x, a)
    return x


@keras_op("layerwise.ops.numpy.squeeze")
def squeeze(x, axis=None):
    """Remove size-1 axes (only ``axis`` when given).

    Example:
        >>> from layerwise import ops
        >>> ops.squeeze(torch.zeros(1, 3, 1)).shape
        torch.Size([3])
    """
    x = _t(x)
    if axis is None:
        return torch.squeeze(x)
    axes = axis if isinstance(axis, (list, tuple)) else (axis,)
    for a in axes:
        if x.shape[a] != 1:
            raise ValueError(f"`squeeze` cannot remove axis {a} of size {x.shape[a]} (shape {tuple(x.shape)}).")
    return torch.squeeze(x, dim=tuple(axes))


@keras_op("layerwise.ops.numpy.concatenate")
def concatenate(xs, axis=0):
    """Join tensors along an existing axis.

    Example:
        >>> from layerwise import ops
        >>> ops.concatenate([torch.zeros(2, 1), torch.ones(2, 2)], axis=1).shape
        torch.Size([2, 3])
    """
    tensors = [_t(x) for x in xs]
    return torch.cat(tensors, dim=axis)


@keras_op("layerwise.ops.numpy.stack")
def stack(x, axis=0):
    """Join tensors along a new axis.

    Example:
        >>> from layerwise import ops
        >>> ops.stack([torch.zeros(3), torch.ones(3)]).shape
        torch.Size([2, 3])
    """
    return torch.stack([_t(v) for v in x], dim=axis)


@keras_op("layerwise.ops.numpy.split")
def split(x, indices_or_sections, axis=0):
    """Split into equal sections, or at the given indices.

    Example:
        >>> from layerwise import ops
        >>> [t.shape[0] for t in ops.split(torch.zeros(6), 3)]
        [2, 2, 2]
    """
    x = _t(x)
    if isinstance(indices_or_sections, int):
        if x.shape[axis] % indices_or_sections:
            raise ValueError(f"`split` cannot divide axis {axis} of size {x.shape[axis]} into {indices_or_sections} equal sections.")
        return list(torch.tensor_split(x, indices_or_sections, dim=axis))
    return list(torch.tensor_split(x, list(indices_or_sections), dim=axis))


@keras_op("layerwise.ops.numpy.tile")
def tile(x, repeats):
    """Repeat the whole tensor ``repeats`` times along each axis.

    Example:
        >>> from layerwise import ops
        >>> ops.tile(torch.tensor([1, 2]), 2)
        tensor([1, 2, 1, 2])
    """
    reps = (repeats,) if isinstance(repeats, int) else tuple(repeats)
    return torch.tile(_t(x), reps)


@keras_op("layerwise.ops.numpy.repeat")
def repeat(x, repeats, axis=None):
    """Repeat each element ``repeats`` times.

    Example:
        >>> from layerwise import ops
        >>> ops.repeat(torch.tensor([1, 2]), 2)
        tensor([1, 1, 2, 2])
    """
    return torch.repeat_interleave(_t(x), repeats, dim=axis)


@keras_op("layerwise.ops.numpy.flip")
def flip(x, axis=None):
    """Reverse the order of elements along ``axis`` (all axes when ``None``).

    Example:
        >>> from layerwise import ops
        >>> ops.flip(torch.tensor([1, 2, 3]))
        tensor([3, 2, 1])
    """
    x = _t(x)
    axes = tuple(range(x.ndim)) if axis is None else (axis if isinstance(axis, (list, tuple)) else (axis,))
    return torch.flip(x, dims=tuple(axes))


@keras_op("layerwise.ops.numpy.broadcast_to")
def broadcast_to(x, shape):
    """``x`` broadcast to ``shape``.

    Example:
        >>> from layerwise import ops
        >>> ops.broadcast_to(torch.tensor([1, 2]), (2, 2))
        tensor([[1, 2],
                [1, 2]])
    """
    return torch.broadcast_to(_t(x), tuple(shape))


@keras_op("layerwise.ops.numpy.swapaxes")
def swapaxes(x, axis1, axis2):
    """Exchange two axes.

    Example:
        >>> from layerwise import ops
        >>> ops.swapaxes(torch.zeros(2, 3), 0, 1).shape
        torch.Size([3, 2])
    """
    return torch.swapaxes(_t(x), axis1, axis2)


@keras_op("layerwise.ops.numpy.moveaxis")
def moveaxis(x, source, destination):
    """Move axes to new positions.

    Example:
        >>> from layerwise import ops
        >>> ops.moveaxis(torch.zeros(2, 3, 4), 0, -1).shape
        torch.Size([3, 4, 2])
    """
    return torch.movedim(_t(x), source, destination)


@keras_op("layerwise.ops.numpy.ravel")
def ravel(x):
    """The flattened tensor.

    Example:
        >>> from layerwise import ops
        >>> ops.ravel(torch.zeros(2, 3)).shape
        torch.Size([6])
    """
    return torch.reshape(_t(x), (-1,))


@keras_op("layerwise.ops.numpy.take")
def take(x, indices, axis=None):
    """Elements at ``indices`` along ``axis`` (of the flattened tensor when ``None``).

    Example:
        >>> from layerwise import ops
        >>> ops.take(torch.tensor([10, 20, 30]), torch.tensor([2, 0]))
        tensor([30, 10])
    """
    x = _t(x)
    indices = _t(indices, x).long()
    if axis is None:
        return torch.take(x, indices)
    return torch.index_select(x, axis, indices.reshape(-1)).reshape(
        *x.shape[: axis % x.ndim], *indices.shape, *x.shape[axis % x.ndim + 1:])


@keras_op("layerwise.ops.numpy.take_along_axis")
def take_along_axis(x, indices, axis=None):
    """Gather values along ``axis`` at matching ``indices``.

    Example:
        >>> from layerwise import ops
        >>> ops.take_along_axis(torch.tensor([[10, 20]]), torch.tensor([[1]]), axis=1)
        tensor([[20]])
    """
    x = _t(x)
    indices = _t(indices, x).long()
    if axis is None:
        return torch.take(x, indices.reshape(-1))
    return torch.take_along_dim(x, indices, dim=axis)


@keras_op("layerwise.ops.numpy.get_item")
def get_item(x, key):
    """``x[key]`` (the op behind indexing a symbolic tensor).

    Example:
        >>> from layerwise import ops
        >>> ops.get_item(torch.tensor([[1, 2], [3, 4]]), (slice(None), 1))
        tensor([2, 4])
    """
    return _t(x)[key]


@keras_op("layerwise.ops.numpy.pad")
def pad(x, pad_width, mode="constant", constant_values=None):
    """Pad with ``pad_width`` = ``((before, after), ...)`` per axis.

    Example:
        >>> from layerwise import ops
        >>> ops.pad(torch.tensor([1.0]), ((1, 2),))
        tensor([0., 1., 0., 0.])
    """
    x = _t(x)
    widths = [tuple(w) if isinstance(w, (list, tuple)) else (w, w) for w in pad_width]
    if len(widths) == 1 and x.ndim > 1:
        widths = widths * x.ndim
    flat = []
    for before, after in reversed(widths):
        flat.extend([before, after])
    torch_mode = {"constant": "constant", "reflect": "reflect", "symmetric": "replicate", "edge": "replicate",
                  "circular": "circular"}.get(mode)
    if torch_mode is None:
        raise ValueError(f"`pad` argument `mode` must be 'constant', 'reflect', 'edge' or 'circular'; received mode={mode!r}.")
    if torch_mode == "constant":
        return F.pad(x, flat, mode="constant", value=0 if constant_values is None else constant_values)
    return F.pad(x, flat, mode=torch_mode)


@keras_op("layerwise.ops.numpy.sort")
def sort(x, axis=-1):
    """Sorted values along ``axis``.

    Example:
        >>> from layerwise import ops
        >>> ops.sort(torch.tensor([3, 1, 2]))
        tensor([1, 2, 3])
    """
    return torch.sort(_t(x), dim=axis).values


@keras_op("layerwise.ops.numpy.argsort")
def argsort(x, axis=-1):
    """Indices that sort ``x`` along ``axis``.

    Example:
        >>> from layerwise import ops
        >>> ops.argsort(torch.tensor([3, 1, 2]))
        tensor([1, 2, 0])
    """
    return torch.argsort(_t(x), dim=axis, stable=True)


@keras_op("layerwise.ops.numpy.tril")
def tril(x, k=0):
    """Lower triangle (zeros above the ``k``-th diagonal).

    Example:
        >>> from layerwise import ops
        >>> ops.tril(torch.ones(2, 2))
        tensor([[1., 0.],
                [1., 1.]])
    """
    return torch.tril(_t(x), diagonal=k)


@keras_op("layerwise.ops.numpy.triu")
def triu(x, k=0):
    """Upper triangle (zeros below the ``k``-th diagonal).

    Example:
        >>> from layerwise import ops
        >>> ops.triu(torch.ones(2, 2))
        tensor([[1., 1.],
                [0., 1.]])
    """
    return torch.triu(_t(x), diagonal=k)


@keras_op("layerwise.ops.numpy.diag")
def diag(x, k=0):
    """The diagonal of a matrix, or a diagonal matrix from a vector.

    Example:
        >>> from layerwise import ops
        >>> ops.diag(torch.tensor([1, 2]))
        tensor([[1, 0],
                [0, 2]])
    """
    return torch.diag(_t(x), diagonal=k)


@keras_op("layerwise.ops.numpy.size")
def size(x):
    """Number of elements.

    Example:
        >>> from layerwise import ops
        >>> ops.size(torch.zeros(2, 3))
        6
    """
    return _t(x).numel()


def ndim(x):
    """Number of axes (known for symbolic tensors too).

    Example:
        >>> from layerwise import ops
        >>> ops.ndim(torch.zeros(2, 3))
        2
    """
    return x.ndim if hasattr(x, "ndim") else _t(x).ndim


_export("layerwise.ops.ndim", "layerwise.ops.numpy.ndim")(ndim)
