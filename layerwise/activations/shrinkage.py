"""Shrinkage activations: they pull inputs towards zero, and set the small ones to exactly zero
(``hard_shrink``, ``soft_shrink``) or nearly so (``tanh_shrink``)."""

from __future__ import annotations

from layerwise import ops
from layerwise.activations.activations import _activation


@_activation("hard_shrink")
def hard_shrink(x, threshold: float = 0.5):
    """``x`` where ``|x| > threshold``, else 0: small inputs are dropped, the others kept as they are.

    Args:
        x: input tensor.
        threshold: a number >= 0; inputs with ``|x| <= threshold`` give 0.

    Example:
        >>> import torch
        >>> hard_shrink(torch.tensor([-2.0, 0.5, 0.75]))
        tensor([-2.0000,  0.0000,  0.7500])
    """
    return ops.hard_shrink(x, threshold=threshold)


@_activation("soft_shrink")
def soft_shrink(x, threshold: float = 0.5):
    """``x - threshold`` above ``threshold``, ``x + threshold`` below ``-threshold``, 0 in between.

    Also written ``sign(x) * max(|x| - threshold, 0)``: the soft-thresholding operator, the
    proximal map of ``threshold * |x|``.

    Args:
        x: input tensor.
        threshold: a number >= 0, the width of the dead zone on each side of 0.

    Example:
        >>> import torch
        >>> soft_shrink(torch.tensor([-2.0, 0.25, 1.0]))
        tensor([-1.5000,  0.0000,  0.5000])
    """
    return ops.soft_shrink(x, threshold=threshold)


@_activation("tanh_shrink")
def tanh_shrink(x):
    """``x - tanh(x)``: close to ``x**3 / 3`` near 0 and to ``x - sign(x)`` far from it.

    Example:
        >>> import torch
        >>> tanh_shrink(torch.tensor([0.0, 1.0, -3.0]))
        tensor([ 0.0000,  0.2384, -2.0049])
    """
    return ops.tanh_shrink(x)
