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


swish = silu  # Keras's other name, also ``ops.nn.swish``


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


hard_swish = hard_silu  # Keras's other name


class _Step(torch.autograd.Function):
    """The unit step with the gradient it has almost everywhere: zero (so backward still runs)."""

    @staticmethod
    def forward(ctx, x):
        # NaN stays NaN (x >= 0 alone, like torch.heaviside and torch.sign, would turn it into a number).
        return torch.where(torch.isnan(x), x, (x >= 0).to(x.dtype))

    @staticmethod
    def backward(ctx, grad):
        return torch.zeros_like(grad)


@keras_op("layerwise.ops.nn.threshold")
def threshold(x, threshold=None, default_value=None):
    """Keras's ``x if x > threshold else default_value``; with ``x`` alone, the perceptron step.

    Called as Keras's op, ``threshold(x, threshold, default_value)`` keeps ``x`` where it is
    strictly greater than ``threshold`` and writes ``default_value`` elsewhere. Called with ``x``
    only, it is the step unit of the classic perceptron: ``1`` where ``x >= 0``, else ``0``, in the
    input's float dtype (floatx for integer inputs; NaN stays NaN). The step's gradient is zero
    almost everywhere (it is undefined at 0, and zero is used there too), so it serves the
    perceptron learning rule, not back-propagation.

    Example:
        >>> from layerwise import ops
        >>> ops.threshold(torch.tensor([-1.0, 0.0, 2.0]))
        tensor([0., 1., 1.])
        >>> ops.threshold(torch.tensor([-1.0, 0.0, 2.0]), 0.0, -5.0)
        tensor([-5., -5.,  2.])
    """
    x = _t(x)
    if threshold is None and default_value is None:
        if not x.is_floating_point():
            from layerwise import config
            from layerwise.utils.dtype_utils import to_torch_dtype

            x = x.to(to_torch_dtype(config.floatx()))
        return _Step.apply(x)
    if threshold is None or default_value is None:
        missing = "threshold" if threshold is None else "default_value"
        raise ValueError(f"`threshold` argument `{missing}` must be given together with the other one (or neither, "
                         f"for the perceptron step); received threshold={threshold!r}, "
                         f"default_value={default_value!r}.")
    if isinstance(threshold, (int, float)) and isinstance(default_value, (int, float)) and x.is_floating_point():
        return F.threshold(x, threshold, default_value)
    return torch.where(x > threshold, x, torch.as_tensor(default_value, dtype=x.dtype, device=x.device))


@keras_op("layerwise.ops.nn.bru")
def bru(x, r=2.0):
    """Bionodal root unit (Bhumbra 2018): ``(r^2 x + 1)^(1/r) - 1/r`` for ``x >= 0``, ``exp(r x) - 1/r`` below.

    Value (``1 - 1/r``) and slope (``r``) are continuous at 0; ``r = 1`` gives ELU.

    Example:
        >>> from layerwise import ops
        >>> ops.bru(torch.tensor([-1.0, 0.0, 2.0]))
        tensor([-0.3647,  0.5000,  2.5000])
    """
    if isinstance(r, bool) or not isinstance(r, (int, float)) or not 0 < r < float("inf"):
        raise ValueError(f"`bru` argument `r` must be a finite number > 0; received r={r!r}.")
    r = float(r)
    x = _t(x)
    if not x.is_floating_point():
        from layerwise import config
        from layerwise.utils.dtype_utils import to_torch_dtype

        x = x.to(to_torch_dtype(config.floatx()))
    # Each branch sees only its own half-line, so neither overflows nor gives NaN gradients.
    root = torch.pow(torch.clamp(x, min=0.0) * (r * r) + 1.0, 1.0 / r)
    exponential = torch.exp(torch.clamp(x, max=0.0) * r)
    return torch.where(x >= 0, root, exponential) - 1.0 / r


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
