"""Pooling ops (``keras.ops.max_pool``/``average_pool``, and min pooling) over 1-D, 2-D and 3-D inputs.

Inputs are channels-last by default, ``(batch, *spatial, channels)``, and reach torch as
channels-first *views* (no copy); 1-D pooling runs as 2-D pooling over a unit axis, whose kernels
read channels-last strides directly.

``"same"`` padding follows TensorFlow and Keras: the output has ``ceil(n / stride)`` positions and
the total padding ``max((out - 1) * stride + pool - n, 0)`` is split with the odd element on the
right. Padded positions are never values: max and min pooling ignore them, and average pooling
divides by the number of real inputs in each window (every window holds at least one). No padded
copy of the input is made: the left padding is torch's implicit padding, the extra element on the
right comes from ``ceil_mode`` (stride > 1) or from one extra window on the left that is dropped
(stride 1).
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from layerwise import config
from layerwise.ops.conv import same_padding, to_channels_first, to_channels_last
from layerwise.ops.symbolic import keras_op
from layerwise.utils.argument_validation import one_of, standardize_tuple
from layerwise.utils.dtype_utils import to_torch_dtype

_MAX = {2: F.max_pool2d, 3: F.max_pool3d}
_AVG = {2: F.avg_pool2d, 3: F.avg_pool3d}

# Public ops, re-exported by ``layerwise.ops`` (internal helpers stay out).
__all__ = ["average_pool", "max_pool", "min_pool"]


def pool_output_length(size: Any, pool: int, stride: int, padding: str) -> Any:
    """Keras's pooled size along one axis (``None`` stays ``None``); 0 when a valid window does not fit."""
    if size is None:
        return None
    if padding == "same":
        return -(-size // stride)
    return max((size - pool) // stride + 1, 0)


def check_window_fits(owner: str, spatial: tuple, pool: tuple, padding: str) -> None:
    """Refuse ``"valid"`` pooling whose window is larger than a (known) spatial size: no output."""
    if padding == "valid" and any(n is not None and n < p for n, p in zip(spatial, pool)):
        raise ValueError(f"`{owner}` argument `pool_size` must fit in the input with padding='valid' (or use "
                         f"padding='same'); received pool_size={tuple(pool)} for spatial shape {tuple(spatial)}.")


def _torch_windows(spatial: tuple, pool: tuple, strides: tuple, padding: str):
    """torch's ``(padding, ceil_mode, axes whose first window is dropped)`` giving Keras's windows."""
    if padding == "valid":
        return (0,) * len(spatial), False, ()
    pads, dropped = [], []
    for axis, (size, k, s) in enumerate(zip(spatial, pool, strides)):
        before, after = same_padding(size, k, s, 1)
        if before == after or s > 1:
            pads.append(before)  # ceil_mode adds the one extra element on the right
        else:
            # Stride 1, even window: pad ``after`` on both sides and drop the first window.
            pads.append(after)
            dropped.append(axis)
    return tuple(pads), True, tuple(dropped)


def pool_nd(mode: str, inputs: torch.Tensor, pool: tuple, strides: tuple, padding: str, data_format: str,
            owner: str) -> torch.Tensor:
    """Pool with already validated arguments (tuples of ints, lower-case strings); layers call this."""
    rank = inputs.ndim - 2
    if rank not in (1, 2, 3):
        raise ValueError(f"`{owner}` expects a 1-D, 2-D or 3-D input (rank 3, 4 or 5 with the batch and channel "
                         f"axes); received shape {tuple(inputs.shape)}.")
    x = to_channels_first(inputs) if data_format == "channels_last" else inputs
    spatial = tuple(x.shape[2:])
    check_window_fits(owner, spatial, pool, padding)
    pads, ceil_mode, dropped = _torch_windows(spatial, pool, strides, padding)
    if rank == 1:  # as 2-D over a unit axis
        x = x.unsqueeze(2)
        pool, strides, pads, dropped = (1,) + pool, (1,) + strides, (0,) + pads, tuple(a + 1 for a in dropped)
    n = x.ndim - 2
    if mode == "average":
        if not x.is_floating_point():
            x = x.to(to_torch_dtype(config.floatx()))
        out = _AVG[n](x, pool, strides, pads, ceil_mode, count_include_pad=False)
    elif mode == "max":
        out = _MAX[n](x, pool, strides, pads, 1, ceil_mode)
    else:
        # min = flip(max(flip(x))) with an order-reversing flip that cannot overflow integers.
        flip = torch.neg if x.is_floating_point() else torch.bitwise_not
        out = flip(_MAX[n](flip(x), pool, strides, pads, 1, ceil_mode))
    for axis in dropped:
        out = out.narrow(2 + axis, 1, out.shape[2 + axis] - 1)
    if rank == 1:
        out = out.squeeze(2)
    return to_channels_last(out) if data_format == "channels_last" else out


def _pool_op(mode: str, owner: str, inputs, pool_size, strides, padding, data_format):
    if not isinstance(inputs, torch.Tensor):
        inputs = torch.as_tensor(inputs)
    rank = inputs.ndim - 2
    if rank not in (1, 2, 3):
        raise ValueError(f"`{owner}` expects a 1-D, 2-D or 3-D input (rank 3, 4 or 5 with the batch and channel "
                         f"axes); received shape {tuple(inputs.shape)}.")
    pool = standardize_tuple(owner, "pool_size", pool_size, rank)
    strides = pool if strides is None else standardize_tuple(owner, "strides", strides, rank)
    padding = one_of(owner, "padding", padding, ("valid", "same"), str.lower)
    data_format = one_of(owner, "data_format", data_format or config.image_data_format(),
                         ("channels_last", "channels_first"), str.lower)
    return pool_nd(mode, inputs, pool, strides, padding, data_format, owner)


@keras_op("layerwise.ops.nn.max_pool")
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Maximum over each ``pool_size`` window moved by ``strides`` (default ``pool_size``).

    With ``padding="same"`` the padded positions are ignored.

    Example:
        >>> import torch
        >>> from layerwise import ops
        >>> x = torch.arange(16.0).reshape(1, 4, 4, 1)
        >>> ops.max_pool(x, 2)[0, :, :, 0]
        tensor([[ 5.,  7.],
                [13., 15.]])
    """
    return _pool_op("max", "max_pool", inputs, pool_size, strides, padding, data_format)


@keras_op("layerwise.ops.nn.min_pool")
def min_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Minimum over each window (``-max_pool(-x)``); with ``padding="same"`` the padding is ignored.

    Example:
        >>> import torch
        >>> from layerwise import ops
        >>> x = torch.arange(16.0).reshape(1, 4, 4, 1)
        >>> ops.min_pool(x, 2)[0, :, :, 0]
        tensor([[ 0.,  2.],
                [ 8., 10.]])
    """
    return _pool_op("min", "min_pool", inputs, pool_size, strides, padding, data_format)


@keras_op("layerwise.ops.nn.average_pool")
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Mean over each window; with ``padding="same"``, over the real (unpadded) inputs only.

    Example:
        >>> import torch
        >>> from layerwise import ops
        >>> x = torch.arange(16.0).reshape(1, 4, 4, 1)
        >>> ops.average_pool(x, 2)[0, :, :, 0]
        tensor([[ 2.5000,  4.5000],
                [10.5000, 12.5000]])
        >>> ops.average_pool(torch.tensor([[[1.0], [2.0], [6.0]]]), 2, padding="same")[0, :, 0]  # last: 6 / 1
        tensor([1.5000, 6.0000])
    """
    return _pool_op("average", "average_pool", inputs, pool_size, strides, padding, data_format)
