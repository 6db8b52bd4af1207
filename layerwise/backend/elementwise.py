"""Element-wise maths and comparisons of Keras 2's backend."""

from __future__ import annotations

import torch

from layerwise import ops
from layerwise.api_export import export
from layerwise.backend._common import TensorLike, as_tensor


@export("layerwise.backend.square")
def square(x: TensorLike) -> torch.Tensor:
    """``x ** 2``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.square(torch.tensor([-3.0]))
        tensor([9.])
    """
    return ops.square(x)


@export("layerwise.backend.sqrt")
def sqrt(x: TensorLike) -> torch.Tensor:
    """Square root; negative inputs give 0 (Keras 2 clips them) instead of NaN.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.sqrt(torch.tensor([9.0, -1.0]))
        tensor([3., 0.])
    """
    return ops.sqrt(ops.maximum(x, 0))


@export("layerwise.backend.abs")
def abs(x: TensorLike) -> torch.Tensor:  # noqa: A001
    """``|x|``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.abs(torch.tensor([-2.0, 1.0]))
        tensor([2., 1.])
    """
    return ops.absolute(x)


@export("layerwise.backend.exp")
def exp(x: TensorLike) -> torch.Tensor:
    """``e ** x``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.exp(torch.tensor([0.0]))
        tensor([1.])
    """
    return ops.exp(x)


@export("layerwise.backend.log")
def log(x: TensorLike) -> torch.Tensor:
    """Natural logarithm.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.log(torch.tensor([1.0]))
        tensor([0.])
    """
    return ops.log(x)


@export("layerwise.backend.pow")
def pow(x: TensorLike, a: TensorLike) -> torch.Tensor:  # noqa: A001
    """``x ** a``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.pow(torch.tensor([2.0, 3.0]), 2)
        tensor([4., 9.])
    """
    return ops.power(x, a)


@export("layerwise.backend.sign")
def sign(x: TensorLike) -> torch.Tensor:
    """-1, 0 or 1 following the sign of ``x``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.sign(torch.tensor([-2.0, 0.0, 3.0]))
        tensor([-1.,  0.,  1.])
    """
    return ops.sign(x)


@export("layerwise.backend.round")
def round(x: TensorLike) -> torch.Tensor:  # noqa: A001
    """Round to the nearest integer, halves to even (as TensorFlow and NumPy).

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.round(torch.tensor([0.5, 1.5, 2.7]))
        tensor([0., 2., 3.])
    """
    return ops.round(x)


@export("layerwise.backend.clip")
def clip(x: TensorLike, min_value: TensorLike | None, max_value: TensorLike | None) -> torch.Tensor:
    """``x`` limited to ``[min_value, max_value]``; ``None`` leaves that side open.

    As in Keras 2, a numeric ``max_value`` below ``min_value`` is raised to ``min_value``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.clip(torch.tensor([-2.0, 0.5, 3.0]), 0.0, 1.0)
        tensor([0.0000, 0.5000, 1.0000])
    """
    numbers = (int, float)
    if isinstance(min_value, numbers) and isinstance(max_value, numbers) and max_value < min_value:
        max_value = min_value
    if min_value is None and max_value is None:
        return as_tensor(x)
    return ops.clip(x, min_value, max_value)


@export("layerwise.backend.maximum")
def maximum(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Element-wise maximum (broadcasting).

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.maximum(torch.tensor([1.0, 4.0]), torch.tensor([3.0, 2.0]))
        tensor([3., 4.])
    """
    return ops.maximum(x, y)


@export("layerwise.backend.minimum")
def minimum(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Element-wise minimum (broadcasting).

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.minimum(torch.tensor([1.0, 4.0]), torch.tensor([3.0, 2.0]))
        tensor([1., 2.])
    """
    return ops.minimum(x, y)


@export("layerwise.backend.equal")
def equal(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Element-wise ``x == y`` as booleans.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.equal(torch.tensor([1.0, 2.0]), 2.0)
        tensor([False,  True])
    """
    return ops.equal(x, y)


@export("layerwise.backend.not_equal")
def not_equal(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Element-wise ``x != y`` as booleans.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.not_equal(torch.tensor([1.0, 2.0]), 2.0)
        tensor([ True, False])
    """
    return ops.not_equal(x, y)


@export("layerwise.backend.greater")
def greater(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Element-wise ``x > y`` as booleans.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.greater(torch.tensor([1.0, 3.0]), 2.0)
        tensor([False,  True])
    """
    return ops.greater(x, y)


@export("layerwise.backend.greater_equal")
def greater_equal(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Element-wise ``x >= y`` as booleans.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.greater_equal(torch.tensor([1.0, 2.0]), 2.0)
        tensor([False,  True])
    """
    return ops.greater_equal(x, y)


@export("layerwise.backend.less")
def less(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Element-wise ``x < y`` as booleans.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.less(torch.tensor([1.0, 2.0]), 2.0)
        tensor([ True, False])
    """
    return ops.less(x, y)


@export("layerwise.backend.less_equal")
def less_equal(x: TensorLike, y: TensorLike) -> torch.Tensor:
    """Element-wise ``x <= y`` as booleans.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.less_equal(torch.tensor([1.0, 3.0]), 2.0)
        tensor([ True, False])
    """
    return ops.less_equal(x, y)
