"""Reductions over axes: sums, means, extremes, arg-extremes (``keras.ops.numpy``)."""

from __future__ import annotations


import torch

from layerwise.ops.symbolic import keras_op
from layerwise.utils.dtype_utils import to_torch_dtype

from layerwise.ops.elementwise import _axis, _t


# ---- reductions -------------------------------------------------------------------------------
@keras_op("layerwise.ops.numpy.sum")
def sum(x, axis=None, keepdims=False):  # noqa: A001
    """Sum over ``axis`` (all axes when ``None``).

    Example:
        >>> from layerwise import ops
        >>> ops.sum(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), axis=0)
        tensor([4., 6.])
    """
    x = _t(x)
    axis = _axis(axis)
    if axis is None:
        return torch.sum(x).reshape((1,) * x.ndim) if keepdims else torch.sum(x)
    return torch.sum(x, dim=axis, keepdim=keepdims)


@keras_op("layerwise.ops.numpy.mean")
def mean(x, axis=None, keepdims=False):
    """Mean over ``axis`` (integers are averaged as floats).

    Example:
        >>> from layerwise import ops
        >>> ops.mean(torch.tensor([1, 2]))
        tensor(1.5000)
    """
    x = _t(x)
    if not x.is_floating_point():
        from layerwise import config

        x = x.to(to_torch_dtype(config.floatx()))
    axis = _axis(axis)
    if axis is None:
        return torch.mean(x).reshape((1,) * x.ndim) if keepdims else torch.mean(x)
    return torch.mean(x, dim=axis, keepdim=keepdims)


def _extreme(torch_fn, x, axis, keepdims):
    x = _t(x)
    axis = _axis(axis)
    if axis is None:
        value = torch_fn(x)
        return value.reshape((1,) * x.ndim) if keepdims else value
    return torch_fn(x, dim=axis, keepdim=keepdims)


@keras_op("layerwise.ops.numpy.max", "layerwise.ops.numpy.amax", "layerwise.ops.amax")
def max(x, axis=None, keepdims=False, initial=None):  # noqa: A001
    """Maximum over ``axis``.

    Example:
        >>> from layerwise import ops
        >>> ops.max(torch.tensor([[1.0, 5.0], [3.0, 4.0]]), axis=1)
        tensor([5., 4.])
    """
    out = _extreme(torch.amax, x, axis, keepdims)
    return out if initial is None else torch.clamp(out, min=initial)


@keras_op("layerwise.ops.numpy.min", "layerwise.ops.numpy.amin", "layerwise.ops.amin")
def min(x, axis=None, keepdims=False, initial=None):  # noqa: A001
    """Minimum over ``axis``.

    Example:
        >>> from layerwise import ops
        >>> ops.min(torch.tensor([[1.0, 5.0], [3.0, 4.0]]), axis=1)
        tensor([1., 3.])
    """
    out = _extreme(torch.amin, x, axis, keepdims)
    return out if initial is None else torch.clamp(out, max=initial)


@keras_op("layerwise.ops.numpy.prod")
def prod(x, axis=None, keepdims=False, dtype=None):
    """Product over ``axis``.

    Example:
        >>> from layerwise import ops
        >>> ops.prod(torch.tensor([2.0, 3.0]))
        tensor(6.)
    """
    x = _t(x)
    if dtype is not None:
        x = x.to(to_torch_dtype(dtype))
    if axis is None:
        out = torch.prod(x)
        return out.reshape((1,) * x.ndim) if keepdims else out
    for a in sorted((_axis(axis),) if isinstance(_axis(axis), int) else _axis(axis), reverse=True):
        x = torch.prod(x, dim=a, keepdim=keepdims)
    return x


@keras_op("layerwise.ops.numpy.var")
def var(x, axis=None, keepdims=False):
    """Population variance (divides by N) over ``axis``.

    Example:
        >>> from layerwise import ops
        >>> ops.var(torch.tensor([1.0, 3.0]))
        tensor(1.)
    """
    x = _t(x).to(torch.float32) if not _t(x).is_floating_point() else _t(x)
    return torch.var(x, dim=_axis(axis), unbiased=False, keepdim=keepdims)


@keras_op("layerwise.ops.numpy.std")
def std(x, axis=None, keepdims=False):
    """Population standard deviation over ``axis``.

    Example:
        >>> from layerwise import ops
        >>> ops.std(torch.tensor([1.0, 3.0]))
        tensor(1.)
    """
    x = _t(x).to(torch.float32) if not _t(x).is_floating_point() else _t(x)
    return torch.std(x, dim=_axis(axis), unbiased=False, keepdim=keepdims)


@keras_op("layerwise.ops.numpy.argmax")
def argmax(x, axis=None, keepdims=False):
    """Index of the maximum (first one on ties) over ``axis``.

    Example:
        >>> from layerwise import ops
        >>> ops.argmax(torch.tensor([[1.0, 5.0], [3.0, 2.0]]), axis=-1)
        tensor([1, 0])
    """
    return torch.argmax(_t(x), dim=axis, keepdim=keepdims)


@keras_op("layerwise.ops.numpy.argmin")
def argmin(x, axis=None, keepdims=False):
    """Index of the minimum over ``axis``.

    Example:
        >>> from layerwise import ops
        >>> ops.argmin(torch.tensor([[1.0, 5.0], [3.0, 2.0]]), axis=-1)
        tensor([0, 1])
    """
    return torch.argmin(_t(x), dim=axis, keepdim=keepdims)


@keras_op("layerwise.ops.numpy.all")
def all(x, axis=None, keepdims=False):  # noqa: A001
    """True where every element along ``axis`` is truthy.

    Example:
        >>> from layerwise import ops
        >>> ops.all(torch.tensor([True, False]))
        tensor(False)
    """
    x = _t(x).bool()
    if axis is None:
        value = torch.all(x)
        return value.reshape((1,) * x.ndim) if keepdims else value
    return torch.all(x, dim=_axis(axis), keepdim=keepdims)


@keras_op("layerwise.ops.numpy.any")
def any(x, axis=None, keepdims=False):  # noqa: A001
    """True where some element along ``axis`` is truthy.

    Example:
        >>> from layerwise import ops
        >>> ops.any(torch.tensor([True, False]))
        tensor(True)
    """
    x = _t(x).bool()
    if axis is None:
        value = torch.any(x)
        return value.reshape((1,) * x.ndim) if keepdims else value
    return torch.any(x, dim=_axis(axis), keepdim=keepdims)


@keras_op("layerwise.ops.numpy.cumsum")
def cumsum(x, axis=None, dtype=None):
    """Cumulative sum along ``axis`` (over the flattened input when ``None``).

    Example:
        >>> from layerwise import ops
        >>> ops.cumsum(torch.tensor([1.0, 2.0, 3.0]))
        tensor([1., 3., 6.])
    """
    x = _t(x)
    if axis is None:
        x, axis = x.reshape(-1), 0
    return torch.cumsum(x, dim=axis, dtype=None if dtype is None else to_torch_dtype(dtype))


@keras_op("layerwise.ops.numpy.count_nonzero")
def count_nonzero(x, axis=None):
    """Number of non-zero elements along ``axis``.

    Example:
        >>> from layerwise import ops
        >>> ops.count_nonzero(torch.tensor([0.0, 2.0, 3.0]))
        tensor(2)
    """
    return torch.count_nonzero(_t(x), dim=_axis(axis))


