"""Vectorised pieces shared by every optimizer: per-dtype scalars, gradient clipping, moving averages.

Each function works on a whole list of tensors with ``torch._foreach_*`` ops and reads nothing
back from the device, so an optimizer step built from them can be captured in a CUDA graph.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Sequence

import torch


def per_dtype(tensors: Sequence[torch.Tensor], make: Callable[[torch.dtype], Any]) -> Any:
    """``make(dtype)`` for the dtype of each tensor, as Keras casts scalars to each variable's dtype.

    One value when all tensors share a dtype (the fast ``_foreach`` path), else a list with one
    value per tensor; ``make`` is called once per distinct dtype.

    Example:
        >>> import torch
        >>> per_dtype([torch.ones(2), torch.ones(3)], lambda d: torch.tensor(0.5, dtype=d))
        tensor(0.5000)
        >>> [t.dtype for t in per_dtype([torch.ones(1), torch.ones(1, dtype=torch.float64)],
        ...                             lambda d: torch.tensor(0.5, dtype=d))]
        [torch.float32, torch.float64]
    """
    made: dict = {}
    for tensor in tensors:
        if tensor.dtype not in made:
            made[tensor.dtype] = make(tensor.dtype)
    if len(made) == 1:
        return next(iter(made.values()))
    return [made[tensor.dtype] for tensor in tensors]


def foreach_lerp_(tensors: list, targets: list, weight: float) -> None:
    """``t += (target - t) * weight`` for every pair (Keras's moving-average form), in place.

    Example:
        >>> import torch
        >>> m = [torch.zeros(2)]; foreach_lerp_(m, [torch.ones(2)], 0.1); m[0]
        tensor([0.1000, 0.1000])
    """
    torch._foreach_lerp_(tensors, targets, weight)


def clip_by_norm(grads: list, clipnorm: float) -> list:
    """Each gradient scaled down so that its own L2 norm is at most ``clipnorm``.

    Example:
        >>> import torch
        >>> clip_by_norm([torch.tensor([3.0, 4.0]), torch.tensor([0.3, 0.4])], 1.0)
        [tensor([0.6000, 0.8000]), tensor([0.3000, 0.4000])]
    """
    norms = torch._foreach_norm(grads)
    scales = [clipnorm / torch.clamp(norm, min=clipnorm) for norm in norms]
    return list(torch._foreach_mul(grads, scales))


def clip_by_value(grads: list, clipvalue: float) -> list:
    """Each gradient element clipped to ``[-clipvalue, clipvalue]``.

    Example:
        >>> import torch
        >>> clip_by_value([torch.tensor([-2.0, 0.5, 3.0])], 1.0)
        [tensor([-1.0000,  0.5000,  1.0000])]
    """
    clipped = torch._foreach_clamp_min(grads, -clipvalue)
    torch._foreach_clamp_max_(clipped, clipvalue)
    return list(clipped)


def clip_by_global_norm(grads: list, global_clipnorm: float) -> list:
    """All gradients scaled by one factor so that their joint L2 norm is at most ``global_clipnorm``.

    As in Keras, a non-finite global norm makes every gradient NaN (an overflowed step is then
    visible instead of silently zeroed).

    Example:
        >>> import torch
        >>> clip_by_global_norm([torch.tensor([3.0]), torch.tensor([4.0])], 1.0)
        [tensor([0.6000]), tensor([0.8000])]
    """
    norms = torch._foreach_norm(grads)
    # The global norm in the widest gradient dtype (float64 gradients keep float64 precision).
    dtype = functools.reduce(torch.promote_types, [n.dtype for n in norms], torch.float32)
    global_norm = torch.linalg.vector_norm(torch.stack([n.to(dtype) for n in norms]))
    scale = global_clipnorm / torch.clamp(global_norm, min=global_clipnorm) + (global_norm - global_norm)
    return list(torch._foreach_mul(grads, per_dtype(grads, lambda d: scale.to(d))))


def moving_average_(averages: list, values: list, momentum: float) -> None:
    """``average = momentum * average + (1 - momentum) * value`` for every pair, in place.

    Example:
        >>> import torch
        >>> a = [torch.zeros(2)]; moving_average_(a, [torch.ones(2)], 0.75); a[0]
        tensor([0.2500, 0.2500])
    """
    torch._foreach_mul_(averages, momentum)
    torch._foreach_add_(averages, [v.detach() for v in values], alpha=1.0 - momentum)
