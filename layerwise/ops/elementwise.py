"""Element-wise ops: arithmetic, unary maths and comparisons (``keras.ops.numpy``)."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.ops.core import convert_to_tensor
from layerwise.ops.symbolic import keras_op


def _t(x: Any, like: Any = None) -> torch.Tensor:
    if isinstance(x, torch.Tensor):
        return x
    device = like.device if isinstance(like, torch.Tensor) else None
    return convert_to_tensor(x, device=device)


def _pair(a: Any, b: Any):
    """Operands for a binary op: tensors on one device, Python scalars left as they are."""
    if isinstance(a, (int, float, bool)) and isinstance(b, torch.Tensor):
        return a, b
    if isinstance(b, (int, float, bool)) and isinstance(a, torch.Tensor):
        return a, b
    if isinstance(a, torch.Tensor):
        return a, _t(b, a)
    b = _t(b)
    return _t(a, b), b


def _axis(axis: Any):
    if axis is None:
        return None
    return tuple(axis) if isinstance(axis, (list, tuple)) else axis


# ---- arithmetic -------------------------------------------------------------------------------
@keras_op("layerwise.ops.numpy.add")
def add(x1, x2):
    """Element-wise sum.

    Example:
        >>> from layerwise import ops
        >>> ops.add(torch.tensor([1.0]), 2)
        tensor([3.])
    """
    a, b = _pair(x1, x2)
    return torch.add(a, b) if isinstance(a, torch.Tensor) else torch.add(b, a)


@keras_op("layerwise.ops.numpy.subtract")
def subtract(x1, x2):
    """Element-wise difference.

    Example:
        >>> from layerwise import ops
        >>> ops.subtract(torch.tensor([1.0]), 2)
        tensor([-1.])
    """
    a, b = _pair(x1, x2)
    return a - b


@keras_op("layerwise.ops.numpy.multiply")
def multiply(x1, x2):
    """Element-wise product.

    Example:
        >>> from layerwise import ops
        >>> ops.multiply(torch.tensor([1.5]), 2)
        tensor([3.])
    """
    a, b = _pair(x1, x2)
    return a * b


@keras_op("layerwise.ops.numpy.divide", "layerwise.ops.true_divide")
def divide(x1, x2):
    """Element-wise true division.

    Example:
        >>> from layerwise import ops
        >>> ops.divide(torch.tensor([3.0]), 2)
        tensor([1.5000])
    """
    a, b = _pair(x1, x2)
    return torch.true_divide(a, b) if isinstance(a, torch.Tensor) else torch.true_divide(torch.tensor(a), b)


@keras_op("layerwise.ops.numpy.divide_no_nan")
def divide_no_nan(x1, x2):
    """``x1 / x2``, with 0 wherever ``x2 == 0``.

    Example:
        >>> from layerwise import ops
        >>> ops.divide_no_nan(torch.tensor([1.0, 1.0]), torch.tensor([0.0, 2.0]))
        tensor([0.0000, 0.5000])
    """
    a, b = _pair(x1, x2)
    a = _t(a) if not isinstance(a, torch.Tensor) else a
    b = _t(b, a) if not isinstance(b, torch.Tensor) else b
    safe = torch.where(b == 0, torch.ones_like(b), b)
    return torch.where(b == 0, torch.zeros_like(a / safe), a / safe)


@keras_op("layerwise.ops.numpy.floor_divide")
def floor_divide(x1, x2):
    """Element-wise floor division.

    Example:
        >>> from layerwise import ops
        >>> ops.floor_divide(torch.tensor([7.0]), 2)
        tensor([3.])
    """
    a, b = _pair(x1, x2)
    return torch.floor_divide(_t(a, b), b)


@keras_op("layerwise.ops.numpy.mod")
def mod(x1, x2):
    """Element-wise remainder (sign of the divisor, as NumPy).

    Example:
        >>> from layerwise import ops
        >>> ops.mod(torch.tensor([-1.0]), 3)
        tensor([2.])
    """
    a, b = _pair(x1, x2)
    return torch.remainder(_t(a, b), b)


@keras_op("layerwise.ops.numpy.power")
def power(x1, x2):
    """Element-wise power.

    Example:
        >>> from layerwise import ops
        >>> ops.power(torch.tensor([3.0]), 2)
        tensor([9.])
    """
    a, b = _pair(x1, x2)
    return torch.pow(a, b)


@keras_op("layerwise.ops.numpy.negative")
def negative(x):
    """``-x``.

    Example:
        >>> from layerwise import ops
        >>> ops.negative(torch.tensor([1.0]))
        tensor([-1.])
    """
    return torch.neg(_t(x))


@keras_op("layerwise.ops.numpy.absolute", "layerwise.ops.abs", "layerwise.ops.numpy.abs")
def absolute(x):
    """``|x|``.

    Example:
        >>> from layerwise import ops
        >>> ops.absolute(torch.tensor([-2.0]))
        tensor([2.])
    """
    return torch.abs(_t(x))


abs = absolute  # noqa: A001 - Keras exposes both names


def _unary(name: str, torch_fn, doc_in: str, doc_out: str):
    def fn(x):
        return torch_fn(_t(x))

    fn.__name__ = name
    fn.__qualname__ = name
    fn.__doc__ = f"""Element-wise ``{name}``.

    Example:
        >>> from layerwise import ops
        >>> ops.{name}(torch.tensor({doc_in}))
        {doc_out}
    """
    return keras_op(f"layerwise.ops.numpy.{name}")(fn)


square = _unary("square", torch.square, "[3.0]", "tensor([9.])")
sqrt = _unary("sqrt", torch.sqrt, "[9.0]", "tensor([3.])")
exp = _unary("exp", torch.exp, "[0.0]", "tensor([1.])")
log = _unary("log", torch.log, "[1.0]", "tensor([0.])")
log1p = _unary("log1p", torch.log1p, "[0.0]", "tensor([0.])")
expm1 = _unary("expm1", torch.expm1, "[0.0]", "tensor([0.])")
log2 = _unary("log2", torch.log2, "[8.0]", "tensor([3.])")
log10 = _unary("log10", torch.log10, "[100.0]", "tensor([2.])")
sin = _unary("sin", torch.sin, "[0.0]", "tensor([0.])")
cos = _unary("cos", torch.cos, "[0.0]", "tensor([1.])")
tan = _unary("tan", torch.tan, "[0.0]", "tensor([0.])")
sign = _unary("sign", torch.sign, "[-2.0]", "tensor([-1.])")
floor = _unary("floor", torch.floor, "[1.5]", "tensor([1.])")
ceil = _unary("ceil", torch.ceil, "[1.5]", "tensor([2.])")
reciprocal = _unary("reciprocal", torch.reciprocal, "[4.0]", "tensor([0.2500])")
isnan = _unary("isnan", torch.isnan, "[float('nan')]", "tensor([True])")
isinf = _unary("isinf", torch.isinf, "[float('inf')]", "tensor([True])")
isfinite = _unary("isfinite", torch.isfinite, "[1.0]", "tensor([True])")
logical_not = _unary("logical_not", torch.logical_not, "[True]", "tensor([False])")


@keras_op("layerwise.ops.numpy.round")
def round(x, decimals=0):  # noqa: A001 - Keras's name
    """Round half to even, to ``decimals`` places.

    Example:
        >>> from layerwise import ops
        >>> ops.round(torch.tensor([0.5, 1.5]))
        tensor([0., 2.])
    """
    return torch.round(_t(x), decimals=decimals)


@keras_op("layerwise.ops.numpy.clip")
def clip(x, x_min, x_max):
    """``min(max(x, x_min), x_max)``.

    Example:
        >>> from layerwise import ops
        >>> ops.clip(torch.tensor([-2.0, 0.5, 3.0]), 0.0, 1.0)
        tensor([0.0000, 0.5000, 1.0000])
    """
    x = _t(x)
    return torch.clamp(x, min=x_min, max=x_max)


@keras_op("layerwise.ops.numpy.maximum")
def maximum(x1, x2):
    """Element-wise maximum.

    Example:
        >>> from layerwise import ops
        >>> ops.maximum(torch.tensor([1.0, 4.0]), 2.0)
        tensor([2., 4.])
    """
    a, b = _pair(x1, x2)
    a = _t(a, b)
    return torch.maximum(a, _t(b, a).to(a.dtype) if not isinstance(b, torch.Tensor) else b)


@keras_op("layerwise.ops.numpy.minimum")
def minimum(x1, x2):
    """Element-wise minimum.

    Example:
        >>> from layerwise import ops
        >>> ops.minimum(torch.tensor([1.0, 4.0]), 2.0)
        tensor([1., 2.])
    """
    a, b = _pair(x1, x2)
    a = _t(a, b)
    return torch.minimum(a, _t(b, a).to(a.dtype) if not isinstance(b, torch.Tensor) else b)


# ---- comparisons ------------------------------------------------------------------------------
def _both(x1: Any, x2: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """Both operands as tensors on one device (comparisons and logical ops need tensors)."""
    if isinstance(x1, torch.Tensor):
        return x1, _t(x2, x1)
    b = _t(x2)
    return _t(x1, b), b


def _compare(name: str, torch_fn, example: str):
    def fn(x1, x2):
        a, b = _both(x1, x2)
        return torch_fn(a, b)

    fn.__name__ = name
    fn.__qualname__ = name
    fn.__doc__ = f"""Element-wise ``{name}``.

    Example:
        >>> from layerwise import ops
        >>> ops.{name}(torch.tensor([1.0, 2.0]), 2.0)
        {example}
    """
    return keras_op(f"layerwise.ops.numpy.{name}")(fn)


equal = _compare("equal", torch.eq, "tensor([False,  True])")
not_equal = _compare("not_equal", torch.ne, "tensor([ True, False])")
greater = _compare("greater", torch.gt, "tensor([False, False])")
greater_equal = _compare("greater_equal", torch.ge, "tensor([False,  True])")
less = _compare("less", torch.lt, "tensor([ True, False])")
less_equal = _compare("less_equal", torch.le, "tensor([True, True])")
logical_and = _compare("logical_and", torch.logical_and, "tensor([True, True])")
logical_or = _compare("logical_or", torch.logical_or, "tensor([True, True])")
logical_xor = _compare("logical_xor", torch.logical_xor, "tensor([False, False])")


@keras_op("layerwise.ops.numpy.where")
def where(condition, x1=None, x2=None):
    """``x1`` where ``condition`` holds, else ``x2`` (indices of true elements with one argument).

    Example:
        >>> from layerwise import ops
        >>> ops.where(torch.tensor([True, False]), 1.0, torch.tensor([5.0, 6.0]))
        tensor([1., 6.])
    """
    condition = _t(condition).bool()
    if x1 is None and x2 is None:
        return torch.where(condition)
    if x1 is None or x2 is None:
        raise ValueError("`where` needs both `x1` and `x2`, or neither.")
    if not isinstance(x1, torch.Tensor) and not isinstance(x2, torch.Tensor):
        x1 = _t(x1, condition)
    return torch.where(condition, x1 if isinstance(x1, (torch.Tensor, int, float)) else _t(x1, condition),
                       x2 if isinstance(x2, (torch.Tensor, int, float)) else _t(x2, condition))


