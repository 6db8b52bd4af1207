"""Convolution (``keras.ops.conv``): channels-last inputs, Keras kernel layout, TF padding rules.

Inputs arrive channels-last as Keras users give them, ``(batch, *spatial, channels)``, and the
kernel in Keras's layout ``(*kernel_size, in_channels / groups, filters)``. Both are handed to
torch as *views* (a permutation of a contiguous channels-last tensor is a channels-last-strided
channels-first tensor), so no copy is made per call and the backend can run its channels-last
kernels directly.

``"same"`` padding follows TensorFlow: output size ``ceil(n / stride)``, with the odd padding
element on the right (torch's own ``padding="same"`` only exists for stride 1).
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import torch
import torch.nn.functional as F

from layerwise import config
from layerwise.ops.symbolic import keras_op

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}

# Public ops, re-exported by ``layerwise.ops`` (internal helpers stay out).
__all__ = ["conv"]


def as_tuple(value: Any, n: int) -> tuple[int, ...]:
    return (int(value),) * n if isinstance(value, int) else tuple(int(v) for v in value)


def same_padding(size: int, kernel: int, stride: int, dilation: int) -> tuple[int, int]:
    """(before, after) padding so that the output has ``ceil(size / stride)`` positions."""
    effective = (kernel - 1) * dilation + 1
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


def output_length(size: int | None, kernel: int, stride: int, dilation: int, padding: str) -> int | None:
    """Keras's output size along one spatial axis."""
    if size is None:
        return None
    if padding == "same":
        return math.ceil(size / stride)
    effective = (kernel - 1) * dilation + 1
    if padding == "causal":
        return math.ceil(size / stride)
    return max((size - effective) // stride + 1, 0)


def to_channels_first(x: torch.Tensor) -> torch.Tensor:
    """``(batch, *spatial, channels)`` -> ``(batch, channels, *spatial)`` as a view."""
    return x.permute(0, x.ndim - 1, *range(1, x.ndim - 1))


def to_channels_last(x: torch.Tensor) -> torch.Tensor:
    """``(batch, channels, *spatial)`` -> ``(batch, *spatial, channels)`` as a view."""
    return x.permute(0, *range(2, x.ndim), 1)


def pad_spatial(x: torch.Tensor, pads: Sequence[tuple[int, int]], value: float = 0.0) -> torch.Tensor:
    """Pad the spatial axes of a channels-first tensor by ``[(before, after), ...]``."""
    flat = []
    for before, after in reversed(list(pads)):
        flat.extend([before, after])
    if not any(flat):
        return x
    return F.pad(x, flat, mode="constant", value=value)


@keras_op("layerwise.ops.nn.conv")
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1, groups=1):
    """N-D convolution (N = 1, 2, 3) of ``inputs`` with a Keras-layout ``kernel``.

    Args:
        inputs: ``(batch, *spatial, in_channels)`` (or channels-first with ``data_format``).
        kernel: ``(*kernel_size, in_channels / groups, filters)``.
        strides, dilation_rate: ints or tuples, one per spatial axis.
        padding: ``"valid"``, ``"same"`` or ``"causal"`` (1-D only: pad on the left).

    Example:
        >>> import torch
        >>> from layerwise import ops
        >>> x = torch.ones(1, 4, 4, 1)
        >>> ops.conv(x, torch.ones(3, 3, 1, 1)).shape, float(ops.conv(x, torch.ones(3, 3, 1, 1))[0, 0, 0, 0])
        (torch.Size([1, 2, 2, 1]), 9.0)
    """
    data_format = data_format or config.image_data_format()
    rank = inputs.ndim - 2
    if rank not in _CONV:
        raise ValueError(f"`conv` supports 1-D, 2-D and 3-D inputs (rank 3 to 5); received shape {tuple(inputs.shape)}.")
    strides = as_tuple(strides, rank)
    dilation = as_tuple(dilation_rate, rank)
    x = to_channels_first(inputs) if data_format == "channels_last" else inputs
    weight = kernel.permute(rank + 1, rank, *range(rank))  # (filters, in / groups, *kernel_size)
    if weight.dtype != x.dtype:
        weight = weight.to(x.dtype)
    kernel_size = tuple(kernel.shape[:rank])
    if padding == "same":
        pads = [same_padding(x.shape[2 + i], kernel_size[i], strides[i], dilation[i]) for i in range(rank)]
    elif padding == "causal":
        if rank != 1:
            raise ValueError("`causal` padding is only defined for 1-D convolutions.")
        pads = [((kernel_size[0] - 1) * dilation[0], 0)]
    else:
        pads = [(0, 0)] * rank
    symmetric = all(before == after for before, after in pads)
    if not symmetric:
        x = pad_spatial(x, pads)
    torch_padding = tuple(before for before, _ in pads) if symmetric else 0
    out = _CONV[rank](x, weight, None, strides, torch_padding, dilation, groups)
    return to_channels_last(out) if data_format == "channels_last" else out
