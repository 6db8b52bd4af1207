"""Neural-network ops: activations, softmax, one-hot, normalisation and cross-entropy primitives.

Formulas follow Keras 3 (``keras.ops.nn``); most map to one fused torch kernel.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from layerwise.ops.core import convert_to_tensor
from layerwise.ops.symbolic import keras_op


def _t(x: Any) -> torch.Tensor:
    return x if isinstance(x, torch.Tensor) else convert_to_tensor(x)


@keras_op("layerwise.ops.nn.relu")
def relu(x):
    """``max(x, 0)``.

    Example:
        >>> from layerwise import ops
        >>> ops.relu(torch.tensor([-1.0, 2.0]))
        tensor([0., 2.])
    """
    return torch.relu(_t(x))


@keras_op("layerwise.ops.nn.relu6")
def relu6(x):
    """``min(max(x, 0), 6)``.

    Example:
        >>> from layerwise import ops
        >>> ops.relu6(torch.tensor([-1.0, 8.0]))
        tensor([0., 6.])
    """
    return F.relu6(_t(x))


@keras_op("layerwise.ops.nn.leaky_relu")
def leaky_relu(x, negative_slope=0.2):
    """``x`` if ``x >= 0`` else ``negative_slope * x``.

    Example:
        >>> from layerwise import ops
        >>> ops.leaky_relu(torch.tensor([-1.0, 2.0]))
        tensor([-0.2000,  2.0000])
    """
    return F.leaky_relu(_t(x), negative_slope)


@keras_op("layerwise.ops.nn.sigmoid")
def sigmoid(x):
    """``1 / (1 + exp(-x))``.

    Example:
        >>> from layerwise import ops
        >>> ops.sigmoid(torch.tensor([0.0]))
        tensor([0.5000])
    """
    return torch.sigmoid(_t(x))


@keras_op("layerwise.ops.nn.hard_sigmoid")
def hard_sigmoid(x):
    """``relu6(x + 3) / 6``, Keras 3's piecewise-linear sigmoid.

    Example:
        >>> from layerwise import ops
        >>> ops.hard_sigmoid(torch.tensor([-4.0, 0.0, 4.0]))
        tensor([0.0000, 0.5000, 1.0000])
    """
    return F.hardsigmoid(_t(x))


@keras_op("layerwise.ops.nn.log_sigmoid")
def log_sigmoid(x):
    """``log(sigmoid(x))``, computed stably.

    Example:
        >>> from layerwise import ops
        >>> ops.log_sigmoid(torch.tensor([0.0]))
        tensor([-0.6931])
    """
    return F.logsigmoid(_t(x))


@keras_op("layerwise.ops.nn.tanh")
def tanh(x):
    """Hyperbolic tangent.

    Example:
        >>> from layerwise import ops
        >>> ops.tanh(torch.tensor([0.0]))
        tensor([0.])
    """
    return torch.tanh(_t(x))


@keras_op("layerwise.ops.nn.softplus")
def softplus(x):
    """``log(1 + exp(x))``.

    Example:
        >>> from layerwise import ops
        >>> ops.softplus(torch.tensor([0.0]))
        tensor([0.6931])
    """
    return F.softplus(_t(x))


@keras_op("layerwise.ops.nn.softsign")
def softsign(x):
    """``x / (1 + |x|)``.

    Example:
        >>> from layerwise import ops
        >>> ops.softsign(torch.tensor([1.0]))
        tensor([0.5000])
    """
    return F.softsign(_t(x))


@keras_op("layerwise.ops.nn.silu", "layerwise.ops.swish", "layerwise.ops.nn.swish")
def silu(x):
    """``x * sigmoid(x)`` (also called swish).

    Example:
        >>> from layerwise import ops
        >>> ops.silu(torch.tensor([0.0]))
        tensor([0.])
    """
    return F.silu(_t(x))


@keras_op("layerwise.ops.nn.elu")
def elu(x, alpha=1.0):
    """``x`` if ``x > 0`` else ``alpha * (exp(x) - 1)``.

    Example:
        >>> from layerwise import ops
        >>> ops.elu(torch.tensor([-1.0, 1.0]))
        tensor([-0.6321,  1.0000])
    """
    return F.elu(_t(x), alpha)


@keras_op("layerwise.ops.nn.selu")
def selu(x):
    """Scaled ELU with Klambauer et al.'s constants (scale 1.0507..., alpha 1.6732...).

    Example:
        >>> from layerwise import ops
        >>> ops.selu(torch.tensor([1.0]))
        tensor([1.0507])
    """
    return F.selu(_t(x))


@keras_op("layerwise.ops.nn.gelu")
def gelu(x, approximate=True):
    """Gaussian error linear unit; ``approximate`` uses the tanh form (Keras's op default).

    Example:
        >>> from layerwise import ops
        >>> ops.gelu(torch.tensor([1.0]), approximate=False)
        tensor([0.8413])
    """
    return F.gelu(_t(x), approximate="tanh" if approximate else "none")


@keras_op("layerwise.ops.nn.celu")
def celu(x, alpha=1.0):
    """Continuously differentiable ELU.

    Example:
        >>> from layerwise import ops
        >>> ops.celu(torch.tensor([1.0]))
        tensor([1.])
    """
    return F.celu(_t(x), alpha)


@keras_op("layerwise.ops.nn.mish")
def mish(x):
    """``x * tanh(softplus(x))``.

    Example:
        >>> from layerwise import ops
        >>> ops.mish(torch.tensor([0.0]))
        tensor([0.])
    """
    return F.mish(_t(x))


@keras_op("layerwise.ops.nn.hard_silu", "layerwise.ops.hard_swish")
def hard_silu(x):
    """``x * hard_sigmoid(x)``.

    Example:
        >>> from layerwise import ops
        >>> ops.hard_silu(torch.tensor([3.0]))
        tensor([3.])
    """
    return F.hardswish(_t(x))


@keras_op("layerwise.ops.nn.softmax")
def softmax(x, axis=-1):
    """``exp(x) / sum(exp(x))`` along ``axis``.

    Example:
        >>> from layerwise import ops
        >>> ops.softmax(torch.tensor([0.0, 0.0]))
        tensor([0.5000, 0.5000])
    """
    x = _t(x)
    if isinstance(axis, (tuple, list)):
        axes = [a % x.ndim for a in axis]
        rest = [a for a in range(x.ndim) if a not in axes]
        moved = x.permute(*rest, *axes)
        flat = moved.reshape(*moved.shape[: len(rest)], -1)
        out = torch.softmax(flat, dim=-1).reshape(moved.shape)
        inverse = [0] * x.ndim
        for position, axis_index in enumerate(rest + axes):
            inverse[axis_index] = position
        return out.permute(*inverse)
    return torch.softmax(x, dim=axis)


@keras_op("layerwise.ops.nn.log_softmax")
def log_softmax(x, axis=-1):
    """``x - logsumexp(x)`` along ``axis``.

    Example:
        >>> from layerwise import ops
        >>> ops.log_softmax(torch.tensor([0.0, 0.0]))
        tensor([-0.6931, -0.6931])
    """
    return torch.log_softmax(_t(x), dim=axis)


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
