"""The activation functions, by Keras 3's names and formulas, written over :mod:`layerwise.ops`."""

from __future__ import annotations

from layerwise import ops
from layerwise.activations.logits import remember_logits
from layerwise.api_export import export


def _activation(name: str):
    return export(f"layerwise.activations.{name}")


@_activation("relu")
def relu(x, negative_slope: float = 0.0, max_value: float | None = None, threshold: float = 0.0):
    """Rectified linear unit with Keras's options.

    ``x`` where ``x > threshold`` (else 0), clipped to ``[0, max_value]`` when ``max_value`` is
    given, minus ``negative_slope * max(threshold - x, 0)``. With the defaults: ``max(x, 0)``.

    Example:
        >>> import torch
        >>> relu(torch.tensor([-2.0, 1.0, 8.0]), max_value=6.0)
        tensor([0., 1., 6.])
        >>> relu(torch.tensor([-10.0, 0.0, 5.0, 10.0]), negative_slope=0.5, threshold=5.0)
        tensor([-7.5000, -2.5000,  0.0000, 10.0000])
    """
    if max_value is None and threshold == 0:
        return ops.relu(x) if negative_slope == 0 else ops.leaky_relu(x, negative_slope)
    negative_part = ops.relu(ops.subtract(threshold, x)) if negative_slope != 0 else None
    if threshold != 0:
        # ``where``, not ``x * (x > threshold)``: the product would turn -inf into NaN.
        out = ops.where(ops.greater(x, threshold), x, 0.0)
    elif max_value == 6:
        out, max_value = ops.relu6(x), None
    else:
        out = ops.relu(x)
    if max_value is not None:
        out = ops.clip(out, 0.0, max_value)
    if negative_part is not None:
        out = ops.subtract(out, ops.multiply(negative_slope, negative_part))
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

    As in Keras, the output remembers ``x`` so that ``binary_crossentropy`` computes from the logits
    (see :mod:`layerwise.activations.logits`).
    """
    return remember_logits(ops.sigmoid(x), x, "sigmoid")


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


@_activation("hard_tanh")
def hard_tanh(x):
    """``x`` clipped to ``[-1, 1]``: ``-1`` below ``-1``, ``x`` in between, ``1`` above ``1``.

    Example:
        >>> import torch
        >>> hard_tanh(torch.tensor([-2.0, 0.5, 3.0]))
        tensor([-1.0000,  0.5000,  1.0000])
    """
    return ops.hard_tanh(x)


@_activation("softplus")
def softplus(x):
    """``log(1 + exp(x))``.

    Example:
        >>> import torch
        >>> softplus(torch.tensor([0.0]))
        tensor([0.6931])
    """
    return ops.softplus(x)


@_activation("squareplus")
def squareplus(x, b: float = 4):
    """``(x + sqrt(x**2 + b)) / 2``, an algebraic, softplus-like rectifier (J. T. Barron,
    "Squareplus: a softplus-like algebraic rectifier", 2021, arXiv:2112.11687).

    ``b >= 0`` sets the smoothness near 0: the value there is ``sqrt(b) / 2``, and ``b = 0`` is
    ReLU. Large negative inputs keep their small positive values (about ``b / (4 |x|)``).

    Example:
        >>> import torch
        >>> squareplus(torch.tensor([-1.5, 0.0, 1.5]))
        tensor([0.5000, 1.0000, 2.0000])
    """
    return ops.squareplus(x, b=b)


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
def softmax(x, axis: int | tuple | None = -1):
    """``exp(x) / sum(exp(x))`` along ``axis`` (an int, a tuple of axes normalised jointly, or ``None`` for all).

    Example:
        >>> import torch
        >>> softmax(torch.tensor([[0.0, 0.0]]))
        tensor([[0.5000, 0.5000]])

    As in Keras, the output remembers ``x`` (for an integer ``axis``) so that the categorical
    cross-entropies compute from the logits (see :mod:`layerwise.activations.logits`).
    """
    output = ops.softmax(x, axis=axis)
    return remember_logits(output, x, "softmax", axis) if isinstance(axis, int) else output


@_activation("log_softmax")
def log_softmax(x, axis: int | tuple | None = -1):
    """``log(softmax(x))`` computed stably, along ``axis`` as for :func:`softmax`.

    Example:
        >>> import torch
        >>> log_softmax(torch.tensor([[0.0, 0.0]]))
        tensor([[-0.6931, -0.6931]])
    """
    return ops.log_softmax(x, axis=axis)


@_activation("log_sigmoid")
def log_sigmoid(x):
    """``log(sigmoid(x)) = -softplus(-x)``, computed stably.

    Example:
        >>> import torch
        >>> log_sigmoid(torch.tensor([0.0]))
        tensor([-0.6931])
    """
    return ops.log_sigmoid(x)


@_activation("glu")
def glu(x, axis: int = -1):
    """Gated linear unit: with ``a, b`` the two halves of ``x`` along ``axis``, ``a * sigmoid(b)``.

    The size of ``x`` along ``axis`` must be even; the result is half as long there (Dauphin et
    al., "Language modeling with gated convolutional networks", 2017, arXiv:1612.08083).

    Example:
        >>> import torch
        >>> glu(torch.tensor([[3.0, -1.0, 0.0, 100.0]]))
        tensor([[ 1.5000, -1.0000]])
    """
    return ops.glu(x, axis=axis)


@_activation("celu")
def celu(x, alpha: float = 1.0):
    """Continuously differentiable ELU: ``x`` if positive, else ``alpha * (exp(x / alpha) - 1)``.

    Example:
        >>> import torch
        >>> celu(torch.tensor([-1.0, 2.0]), alpha=2.0)
        tensor([-0.7869,  2.0000])
    """
    return ops.celu(x, alpha)


@_activation("threshold")
def threshold(x, threshold: float | None = None, default_value: float | None = None):
    """The perceptron's step unit ``1 if x >= 0 else 0``; with arguments, Keras's thresholding.

    ``threshold(x)`` is the transfer function of Rosenblatt's perceptron: 1 where ``x >= 0`` and 0
    elsewhere, in the input's float dtype (floatx for integer inputs). Its derivative is zero
    wherever it exists (everywhere but at 0, where zero is used as well), so no error signal
    passes back through it: it serves the perceptron learning rule ``w += lr * (y - threshold(w.x)) x``,
    not gradient descent.

    ``threshold(x, threshold, default_value)`` is Keras 3's activation of that name: ``x`` where
    ``x > threshold``, else ``default_value``. Give both arguments or neither.

    Example:
        >>> import torch
        >>> threshold(torch.tensor([-0.5, 0.0, 3.0]))
        tensor([0., 1., 1.])
        >>> threshold(torch.tensor([-0.5, 0.0, 3.0]), 0.0, 9.0)
        tensor([9., 9., 3.])
    """
    if threshold is None and default_value is None:
        return ops.threshold(x)
    return ops.threshold(x, threshold, default_value)


@_activation("bru")
def bru(x, r: float = 2.0):
    """Bionodal root unit, from G. S. Bhumbra, "Deep learning improved by biological activation
    functions" (2018), arXiv:1804.11237.

    ``f(x) = (r**2 * x + 1) ** (1 / r) - 1 / r`` for ``x >= 0`` and ``exp(r * x) - 1 / r`` for
    ``x < 0``, with ``r > 0``: a root-law growth for positive inputs, like a neurone's firing rate
    against injected current, and an exponential approach to ``-1/r`` below. Both pieces meet at
    ``f(0) = 1 - 1/r`` with the same slope ``r``, so the function is continuously differentiable;
    ``r = 1`` gives back ELU.

    Args:
        x: input tensor.
        r: the root order (``r = 2``, the default, is a square-root law); a number > 0.

    Example:
        >>> import torch
        >>> bru(torch.tensor([-1.0, 0.0, 2.0]))
        tensor([-0.3647,  0.5000,  2.5000])
    """
    return ops.bru(x, r)
