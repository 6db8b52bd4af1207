"""The activation functions, by Keras 3's names and formulas, written over :mod:`layerwise.ops`."""

from __future__ import annotations

import torch

from layerwise import ops
from layerwise.api_export import export


def _activation(name: str):
    return export(f"layerwise.activations.{name}")


@_activation("relu")
def relu(x, negative_slope: float = 0.0, max_value: float | None = None, threshold: float = 0.0):
    """Rectified linear unit with Keras's options.

    ``x`` above ``threshold`` (and at most ``max_value``), else ``negative_slope * (x - threshold)``.

    Example:
        >>> import torch
        >>> relu(torch.tensor([-2.0, 1.0, 8.0]), max_value=6.0)
        tensor([0., 1., 6.])
    """
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return ops.relu(x)
    x = ops.convert_to_tensor(x)
    if negative_slope != 0.0 and max_value is None and threshold == 0.0:
        return torch.nn.functional.leaky_relu(x, negative_slope)
    negative_part = torch.relu(threshold - x) if negative_slope != 0.0 else None
    if threshold != 0.0:
        out = x * (x > threshold).to(x.dtype)
    else:
        out = torch.relu(x)
    if max_value is not None:
        out = torch.clamp(out, 0.0, max_value)
    if negative_part is not None:
        out = out - negative_slope * negative_part
    return out


@_activation("leaky_relu")
def leaky_relu(x, negative_slope: float = 0.2):
    """``x`` if positive, else ``negative_slope * x``.

    Example:
        >>> import torch
        >>> leaky_relu(torch.tensor([-1.0]))
        tensor([-0.2000])
    """
    return ops.leaky_relu(x, negative_slope)


@_activation("relu6")
def relu6(x):
    """``min(max(x, 0), 6)``.

    Example:
        >>> import torch
        >>> relu6(torch.tensor([7.0]))
        tensor([6.])
    """
    return ops.relu6(x)


@_activation("elu")
def elu(x, alpha: float = 1.0):
    """``x`` if positive, else ``alpha * (exp(x) - 1)``.

    Example:
        >>> import torch
        >>> elu(torch.tensor([0.0]))
        tensor([0.])
    """
    return ops.elu(x, alpha)


@_activation("selu")
def selu(x):
    """Scaled exponential linear unit.

    Example:
        >>> import torch
        >>> selu(torch.tensor([0.0]))
        tensor([0.])
    """
    return ops.selu(x)


@_activation("gelu")
def gelu(x, approximate: bool = False):
    """Gaussian error linear unit (exact by default, as Keras's activation).

    Example:
        >>> import torch
        >>> gelu(torch.tensor([0.0]))
        tensor([0.])
    """
    return ops.gelu(x, approximate=approximate)


@_activation("silu")
def silu(x):
    """``x * sigmoid(x)``.

    Example:
        >>> import torch
        >>> silu(torch.tensor([0.0]))
        tensor([0.])
    """
    return ops.silu(x)


export("layerwise.activations.swish")(silu)


@_activation("sigmoid")
def sigmoid(x):
    """``1 / (1 + exp(-x))``.

    Example:
        >>> import torch
        >>> sigmoid(torch.tensor([0.0]))
        tensor([0.5000])
    """
    return ops.sigmoid(x)


@_activation("hard_sigmoid")
def hard_sigmoid(x):
    """``relu6(x + 3) / 6``.

    Example:
        >>> import torch
        >>> hard_sigmoid(torch.tensor([0.0]))
        tensor([0.5000])
    """
    return ops.hard_sigmoid(x)


@_activation("hard_silu")
def hard_silu(x):
    """``x * hard_sigmoid(x)``.

    Example:
        >>> import torch
        >>> hard_silu(torch.tensor([0.0]))
        tensor([0.])
    """
    return ops.hard_silu(x)


export("layerwise.activations.hard_swish")(hard_silu)


@_activation("tanh")
def tanh(x):
    """Hyperbolic tangent.

    Example:
        >>> import torch
        >>> tanh(torch.tensor([0.0]))
        tensor([0.])
    """
    return ops.tanh(x)


@_activation("softplus")
def softplus(x):
    """``log(1 + exp(x))``.

    Example:
        >>> import torch
        >>> softplus(torch.tensor([0.0]))
        tensor([0.6931])
    """
    return ops.softplus(x)


@_activation("softsign")
def softsign(x):
    """``x / (1 + |x|)``.

    Example:
        >>> import torch
        >>> softsign(torch.tensor([1.0]))
        tensor([0.5000])
    """
    return ops.softsign(x)


@_activation("exponential")
def exponential(x):
    """``exp(x)``.

    Example:
        >>> import torch
        >>> exponential(torch.tensor([0.0]))
        tensor([1.])
    """
    return ops.exp(x)


@_activation("mish")
def mish(x):
    """``x * tanh(softplus(x))``.

    Example:
        >>> import torch
        >>> mish(torch.tensor([0.0]))
        tensor([0.])
    """
    return ops.mish(x)


@_activation("linear")
def linear(x):
    """The identity (no activation).

    Example:
        >>> import torch
        >>> linear(torch.tensor([-3.0]))
        tensor([-3.])
    """
    return x


@_activation("softmax")
def softmax(x, axis: int = -1):
    """``exp(x) / sum(exp(x))`` along ``axis``.

    Example:
        >>> import torch
        >>> softmax(torch.tensor([[0.0, 0.0]]))
        tensor([[0.5000, 0.5000]])
    """
    return ops.softmax(x, axis=axis)


@_activation("log_softmax")
def log_softmax(x, axis: int = -1):
    """``log(softmax(x))`` computed stably.

    Example:
        >>> import torch
        >>> log_softmax(torch.tensor([[0.0, 0.0]]))
        tensor([[-0.6931, -0.6931]])
    """
    return ops.log_softmax(x, axis=axis)
