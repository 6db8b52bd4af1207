"""Neural-network ops (``keras.ops.nn``): the element-wise activations (from ``activation_ops.py``),
the axis-wise ones (softmax, log_softmax, glu, sparsemax), one-hot, moments and normalisation.

Formulas follow Keras 3; most map to one fused torch kernel.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from layerwise.ops.activation_ops import *  # noqa: F401,F403  (the element-wise activations)
from layerwise.ops.activation_ops import _floating, _non_negative, _t  # noqa: F401
from layerwise.ops.core import convert_to_tensor  # noqa: F401
from layerwise.ops.symbolic import keras_op


def _along(fn, x, axis):
    """Apply a last-axis normaliser (``torch.softmax``...) along ``axis``: an int, a tuple of axes
    (normalised jointly), or ``None`` (every axis)."""
    x = _t(x)
    if axis is None:
        return fn(x.reshape(-1), dim=-1).reshape(x.shape)
    if isinstance(axis, (tuple, list)):
        axes = sorted({a % x.ndim for a in axis})
        if len(axes) == 1:
            return fn(x, dim=axes[0])
        rest = [a for a in range(x.ndim) if a not in axes]
        moved = x.permute(*rest, *axes)
        out = fn(moved.reshape(*moved.shape[: len(rest)], -1), dim=-1).reshape(moved.shape)
        inverse = [0] * x.ndim
        for position, axis_index in enumerate(rest + axes):
            inverse[axis_index] = position
        return out.permute(*inverse)
    return fn(x, dim=axis)


@keras_op("layerwise.ops.nn.softmax")
def softmax(x, axis=-1):
    """``exp(x) / sum(exp(x))`` along ``axis`` (an int, a tuple of axes, or ``None`` for all).

    Example:
        >>> from layerwise import ops
        >>> ops.softmax(torch.tensor([0.0, 0.0]))
        tensor([0.5000, 0.5000])
    """
    return _along(torch.softmax, x, axis)


@keras_op("layerwise.ops.nn.log_softmax")
def log_softmax(x, axis=-1):
    """``x - logsumexp(x)`` along ``axis`` (an int, a tuple of axes, or ``None`` for all).

    Example:
        >>> from layerwise import ops
        >>> ops.log_softmax(torch.tensor([0.0, 0.0]))
        tensor([-0.6931, -0.6931])
    """
    return _along(torch.log_softmax, x, axis)


@keras_op("layerwise.ops.nn.glu")
def glu(x, axis=-1):
    """Gated linear unit: ``x`` is cut in two halves ``a, b`` along ``axis`` (whose size must be
    even) and ``a * sigmoid(b)`` is returned, half as long along ``axis``.

    Example:
        >>> from layerwise import ops
        >>> ops.glu(torch.tensor([[1.0, -2.0, 0.0, 100.0]]))
        tensor([[ 0.5000, -2.0000]])
    """
    x = _floating(x)
    if x.ndim == 0 or not -x.ndim <= axis < x.ndim:
        raise ValueError(f"`glu` argument `axis` must be an axis of the input; received axis={axis!r} for an input "
                         f"of shape {tuple(x.shape)}.")
    if x.shape[axis] % 2:
        raise ValueError(f"`glu` needs an even size along `axis` to split it in two halves; received axis={axis} "
                         f"for an input of shape {tuple(x.shape)}.")
    return F.glu(x, dim=axis)


@keras_op("layerwise.ops.nn.sparsemax")
def sparsemax(x, axis=-1):
    """Sparsemax (Martins & Astudillo 2016): the Euclidean projection of ``x`` onto the probability
    simplex along ``axis``, ``max(x - tau, 0)`` with ``tau`` chosen so the result sums to 1.

    Unlike softmax it gives exact zeros to the entries far enough below the largest ones. (Keras
    3.15's op agrees only where a single entry is in the support: keras-team/keras#23425.)

    Example:
        >>> from layerwise import ops
        >>> ops.sparsemax(torch.tensor([[0.0, 0.5, 1.0], [-1.0, 0.0, 3.0]]))
        tensor([[0.0000, 0.2500, 0.7500],
                [0.0000, 0.0000, 1.0000]])
    """
    x = _floating(x)
    if x.ndim == 0:
        raise ValueError("`sparsemax` needs an input with at least one axis; received a scalar.")
    z = torch.movedim(x, axis, -1)
    size = z.shape[-1]
    if size == 0:
        return x
    # The projection is unchanged by shifting z, so take the maximum out (a constant: no gradient)
    # to keep the cumulative sums small.
    z = z - z.amax(dim=-1, keepdim=True).detach()
    descending = torch.sort(z, dim=-1, descending=True).values
    partial_sums = torch.cumsum(descending, dim=-1)
    ranks = torch.arange(1, size + 1, dtype=z.dtype, device=z.device)
    # The support is the k largest entries, for the largest k with 1 + k * z_(k) > z_(1) + ... + z_(k).
    support = torch.sum(1.0 + ranks * descending > partial_sums, dim=-1, keepdim=True)
    tau = (torch.gather(partial_sums, -1, support - 1) - 1.0) / support.to(z.dtype)
    return torch.movedim(torch.clamp(z - tau, min=0.0), -1, axis)


@keras_op("layerwise.ops.nn.one_hot")
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """One-hot encoding of integer labels; negative or too-large labels give all-zero rows.

    Example:
        >>> from layerwise import ops
        >>> ops.one_hot(torch.tensor([0, 2]), 3)
        tensor([[1., 0., 0.],
                [0., 0., 1.]])
    """
    from layerwise.utils.dtype_utils import to_torch_dtype

    x = _t(x).long()
    valid = (x >= 0) & (x < num_classes)
    out = F.one_hot(torch.where(valid, x, torch.zeros_like(x)), num_classes)
    out = out * valid.unsqueeze(-1)
    out = out.to(to_torch_dtype(dtype))
    if axis != -1:
        out = torch.movedim(out, -1, axis)
    return out


@keras_op("layerwise.ops.nn.moments")
def moments(x, axes, keepdims=False, synchronized=False):
    """Mean and (biased) variance of ``x`` over ``axes``.

    Example:
        >>> from layerwise import ops
        >>> ops.moments(torch.tensor([1.0, 3.0]), axes=[0])
        (tensor(2.), tensor(1.))
    """
    x = _t(x)
    dims = tuple(axes) if isinstance(axes, (list, tuple)) else (axes,)
    mean = torch.mean(x, dim=dims, keepdim=True)
    variance = torch.mean(torch.square(x - mean), dim=dims, keepdim=True)
    if not keepdims:
        mean = mean.squeeze(dims)
        variance = variance.squeeze(dims)
    return mean, variance


@keras_op("layerwise.ops.nn.normalize")
def normalize(x, axis=-1, order=2, epsilon=None):
    """``x`` divided by its ``order``-norm along ``axis``.

    Example:
        >>> from layerwise import ops
        >>> ops.normalize(torch.tensor([3.0, 4.0]))
        tensor([0.6000, 0.8000])
    """
    from layerwise import config

    x = _t(x)
    eps = config.epsilon() if epsilon is None else epsilon
    norm = torch.linalg.vector_norm(x, ord=order, dim=axis, keepdim=True)
    return x / torch.clamp(norm, min=eps)
