"""Sparse activations: piecewise-polynomial counterparts of ``sigmoid``, ``softplus`` and
``softmax`` that reach their limits exactly, so they give exact zeros (and ones).

``sparse_sigmoid`` and ``sparse_plus`` come from M. Blondel, A. F. T. Martins and V. Niculae,
"Learning with Fenchel-Young losses" (2019), arXiv:1901.02324; ``sparsemax`` from A. F. T. Martins
and R. F. Astudillo, "From softmax to sparsemax" (2016), arXiv:1602.02068.
"""

from __future__ import annotations

from layerwise import ops
from layerwise.activations.activations import _activation


@_activation("sparse_sigmoid")
def sparse_sigmoid(x):
    """0 for ``x <= -1``, ``(x + 1) / 2`` for ``-1 < x < 1``, 1 for ``x >= 1``.

    Example:
        >>> import torch
        >>> sparse_sigmoid(torch.tensor([-3.0, 0.0, 0.5, 1.0]))
        tensor([0.0000, 0.5000, 0.7500, 1.0000])
    """
    return ops.sparse_sigmoid(x)


@_activation("sparse_plus")
def sparse_plus(x):
    """0 for ``x <= -1``, ``(x + 1)**2 / 4`` for ``-1 < x < 1``, ``x`` for ``x >= 1``.

    A continuously differentiable ReLU whose slope is :func:`sparse_sigmoid`.

    Example:
        >>> import torch
        >>> sparse_plus(torch.tensor([-3.0, 0.0, 1.0, 4.0]))
        tensor([0.0000, 0.2500, 1.0000, 4.0000])
    """
    return ops.sparse_plus(x)


@_activation("sparsemax")
def sparsemax(x, axis: int = -1):
    """``max(x - tau, 0)`` along ``axis``, with the threshold ``tau`` that makes the result sum to 1.

    The Euclidean projection of ``x`` onto the probability simplex: a probability distribution
    like :func:`softmax`'s, but one in which the entries far enough below the largest are exactly 0.

    Args:
        x: input tensor.
        axis: the axis (an int) that is normalised.

    Example:
        >>> import torch
        >>> sparsemax(torch.tensor([[0.0, 0.5, 1.0], [1.0, 1.0, -5.0]]))
        tensor([[0.0000, 0.2500, 0.7500],
                [0.5000, 0.5000, 0.0000]])
    """
    return ops.sparsemax(x, axis=axis)
