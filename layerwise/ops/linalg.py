"""Products: matmul, dot, einsum, outer (``keras.ops.numpy``)."""

from __future__ import annotations


import torch

from layerwise.ops.symbolic import keras_op

from layerwise.ops.elementwise import _t


# ---- linear algebra ---------------------------------------------------------------------------
@keras_op("layerwise.ops.numpy.matmul")
def matmul(x1, x2):
    """Matrix product (batched over leading axes).

    Example:
        >>> from layerwise import ops
        >>> ops.matmul(torch.ones(2, 3), torch.ones(3, 4)).shape
        torch.Size([2, 4])
    """
    a = _t(x1)
    return torch.matmul(a, _t(x2, a))


@keras_op("layerwise.ops.numpy.dot")
def dot(x1, x2):
    """NumPy's ``dot``: inner product of vectors, matrix product, or last-by-second-last axes.

    Example:
        >>> from layerwise import ops
        >>> ops.dot(torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]))
        tensor(11.)
    """
    a = _t(x1)
    b = _t(x2, a)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if b.ndim == 1:
        return torch.tensordot(a, b, dims=([-1], [0]))
    return torch.tensordot(a, b, dims=([-1], [b.ndim - 2]))


@keras_op("layerwise.ops.numpy.einsum")
def einsum(subscripts, *operands):
    """Einstein summation.

    Example:
        >>> from layerwise import ops
        >>> ops.einsum("ij,j->i", torch.ones(2, 3), torch.ones(3))
        tensor([3., 3.])
    """
    return torch.einsum(subscripts, *[_t(o) for o in operands])


@keras_op("layerwise.ops.numpy.outer")
def outer(x1, x2):
    """Outer product of two flattened inputs.

    Example:
        >>> from layerwise import ops
        >>> ops.outer(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 3.0]))
        tensor([[1., 3.],
                [2., 6.]])
    """
    a = _t(x1)
    return torch.outer(a.reshape(-1), _t(x2, a).reshape(-1))
