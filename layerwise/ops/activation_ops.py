"""Element-wise activation ops (``keras.ops.relu``, ``sigmoid``, ``gelu``, the shrinkage family...).

Formulas follow Keras 3 (``keras.ops.nn``); most map to one fused torch kernel. ``layerwise.ops.nn``
re-exports them next to the axis-wise ops (softmax, glu, sparsemax) and the other nn ops.
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F

from layerwise.ops.core import convert_to_tensor
from layerwise.ops.symbolic import keras_op

__all__ = ["swish", "hard_swish", "relu", "relu6", "leaky_relu", "sigmoid", "hard_sigmoid", "log_sigmoid", "tanh", "softplus", "softsign", "silu", "elu", "selu", "gelu", "celu", "mish", "hard_silu", "threshold", "bru", "hard_tanh", "hard_shrink", "soft_shrink", "tanh_shrink", "sparse_sigmoid", "sparse_plus", "squareplus"]


def _t(x: Any) -> torch.Tensor:
    return x if isinstance(x, torch.Tensor) else convert_to_tensor(x)


def _floating(x: Any) -> torch.Tensor:
    """``x`` as a tensor of a floating dtype: float inputs keep theirs, integer ones get floatx."""
    x = _t(x)
    if x.is_floating_point():
        return x
    from layerwise import config
    from layerwise.utils.dtype_utils import to_torch_dtype

    return x.to(to_torch_dtype(config.floatx()))


def _non_negative(op: str, name: str, value: Any) -> None:
    """Refuse anything but a Python number >= 0 (NaN, tensors and booleans included)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
        raise ValueError(f"`{op}` argument `{name}` must be a number >= 0; received {name}={value!r}.")


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
    if threshold is None and default_value is None:
        return _Step.apply(_floating(x))
    x = _t(x)
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
    x = _floating(x)
    # Each branch sees only its own half-line, so neither overflows nor gives NaN gradients.
    root = torch.pow(torch.clamp(x, min=0.0) * (r * r) + 1.0, 1.0 / r)
    exponential = torch.exp(torch.clamp(x, max=0.0) * r)
    return torch.where(x >= 0, root, exponential) - 1.0 / r


@keras_op("layerwise.ops.nn.hard_tanh")
def hard_tanh(x):
    """``x`` clipped to ``[-1, 1]``: the piecewise-linear tanh (integer inputs stay integers).

    Example:
        >>> from layerwise import ops
        >>> ops.hard_tanh(torch.tensor([-3.0, 0.25, 2.0]))
        tensor([-1.0000,  0.2500,  1.0000])
    """
    return F.hardtanh(_t(x), -1.0, 1.0)


@keras_op("layerwise.ops.nn.hard_shrink")
def hard_shrink(x, threshold=0.5):
    """``x`` where ``|x| > threshold``, else 0; ``threshold`` is a number >= 0.

    Example:
        >>> from layerwise import ops
        >>> ops.hard_shrink(torch.tensor([-1.0, 0.5, 0.75]))
        tensor([-1.0000,  0.0000,  0.7500])
    """
    _non_negative("hard_shrink", "threshold", threshold)
    return F.hardshrink(_floating(x), float(threshold))


@keras_op("layerwise.ops.nn.soft_shrink")
def soft_shrink(x, threshold=0.5):
    """``sign(x) * max(|x| - threshold, 0)``: ``x`` moved ``threshold`` towards 0, and 0 in between.

    Example:
        >>> from layerwise import ops
        >>> ops.soft_shrink(torch.tensor([-1.0, 0.25, 2.0]))
        tensor([-0.5000,  0.0000,  1.5000])
    """
    _non_negative("soft_shrink", "threshold", threshold)
    return F.softshrink(_floating(x), float(threshold))


@keras_op("layerwise.ops.nn.tanh_shrink")
def tanh_shrink(x):
    """``x - tanh(x)``.

    Example:
        >>> from layerwise import ops
        >>> ops.tanh_shrink(torch.tensor([0.0, 1.0]))
        tensor([0.0000, 0.2384])
    """
    return F.tanhshrink(_floating(x))


@keras_op("layerwise.ops.nn.sparse_sigmoid")
def sparse_sigmoid(x):
    """``(hard_tanh(x) + 1) / 2``: 0 for ``x <= -1``, ``(x + 1) / 2`` in between, 1 for ``x >= 1``.

    Example:
        >>> from layerwise import ops
        >>> ops.sparse_sigmoid(torch.tensor([-2.0, 0.0, 0.5, 3.0]))
        tensor([0.0000, 0.5000, 0.7500, 1.0000])
    """
    return (hard_tanh(_floating(x)) + 1.0) * 0.5


@keras_op("layerwise.ops.nn.sparse_plus")
def sparse_plus(x):
    """0 for ``x <= -1``, ``(x + 1)**2 / 4`` in between, ``x`` for ``x >= 1``; its slope is ``sparse_sigmoid``.

    Example:
        >>> from layerwise import ops
        >>> ops.sparse_plus(torch.tensor([-2.0, 0.0, 3.0]))
        tensor([0.0000, 0.2500, 3.0000])
    """
    x = _floating(x)
    # Below 1 the quadratic is the square of sparse_sigmoid, which is clipped, so the branch not
    # taken stays finite (and its gradient too) for any input.
    return torch.where(x >= 1, x, torch.square(sparse_sigmoid(x)))


@keras_op("layerwise.ops.nn.squareplus")
def squareplus(x, b=4):
    """``(x + sqrt(x**2 + b)) / 2``, a smooth rectifier with smoothness ``b >= 0`` (``b = 0`` is ReLU).

    Computed without cancellation for negative ``x`` (as ``b / (2 * (sqrt(x**2 + b) - x))``) and
    without overflowing ``x**2``, so large negative inputs keep their small positive values.

    Example:
        >>> from layerwise import ops
        >>> ops.squareplus(torch.tensor([-1.5, 0.0, 1.5]))
        tensor([0.5000, 1.0000, 2.0000])
    """
    _non_negative("squareplus", "b", b)
    x = _floating(x)
    if b == 0:
        return torch.relu(x)
    root = torch.hypot(x, torch.tensor(math.sqrt(b), dtype=x.dtype, device=x.device))  # sqrt(x**2 + b)
    # For x < 0, x + root cancels; multiplying by its conjugate gives b / (root - x) with no
    # cancellation. The other branch's denominator is set to 1 where it is not used, so that it
    # stays finite (and so does its gradient) where root - x would round to 0.
    negative = (0.5 * b) / torch.where(x < 0, root - x, 1.0)
    return torch.where(x < 0, negative, 0.5 * x + 0.5 * root)
