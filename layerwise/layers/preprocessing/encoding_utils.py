"""Turning integer indices into one-hot, multi-hot or count vectors, on the device and in batch.

Used by ``CategoryEncoding`` and ``Discretization`` (and the lookup layers). Indices outside
``[0, depth)`` contribute nothing, as TensorFlow's ``one_hot`` does.
"""

from __future__ import annotations

from typing import Any

import torch

ENCODINGS = ("one_hot", "multi_hot", "count")


def encoded_shape(input_shape: tuple, output_mode: str, depth: int) -> tuple:
    """The output shape of :func:`encode_categorical` for a rank-0, 1 or 2 input shape.

    Example:
        >>> encoded_shape((None, 3), "multi_hot", 5), encoded_shape((None, 1), "one_hot", 5)
        ((None, 5), (None, 5))
    """
    input_shape = tuple(input_shape)
    if not input_shape:
        return (depth,)
    if output_mode == "one_hot" and (len(input_shape) == 1 or input_shape[-1] != 1):
        return input_shape + (depth,)
    return input_shape[:-1] + (depth,)


def encode_categorical(indices: torch.Tensor, output_mode: str, depth: int, dtype: torch.dtype,
                       count_weights: Any = None) -> torch.Tensor:
    """One-hot (a new last axis, or replacing a last axis of size 1), multi-hot or count encoding
    (the last axis reduced) of integer ``indices`` of rank 0, 1 or 2.

    Example:
        >>> import torch
        >>> encode_categorical(torch.tensor([[0, 2, 2]]), "count", 4, torch.float32).tolist()
        [[1.0, 0.0, 2.0, 0.0]]
    """
    indices = indices.long()
    if indices.ndim == 0:
        indices = indices.reshape(1)
    valid = (indices >= 0) & (indices < depth)
    if output_mode == "one_hot":
        if indices.ndim > 1 and indices.shape[-1] == 1:
            indices, valid = indices.squeeze(-1), valid.squeeze(-1)
        safe = torch.where(valid, indices, torch.zeros_like(indices))
        return torch.nn.functional.one_hot(safe, depth).to(dtype) * valid.unsqueeze(-1).to(dtype)
    safe = torch.where(valid, indices, torch.full_like(indices, depth))  # an extra slot, dropped below
    if count_weights is None:
        weights = torch.ones(indices.shape, dtype=dtype, device=indices.device)
    else:
        weights = torch.as_tensor(count_weights, dtype=dtype, device=indices.device).expand(indices.shape)
    out = torch.zeros(indices.shape[:-1] + (depth + 1,), dtype=dtype, device=indices.device)
    out = out.scatter_add(-1, safe, weights.to(dtype))[..., :depth]
    if output_mode == "multi_hot":
        return (out != 0).to(dtype)
    return out
