"""Pooling ops (``keras.ops.max_pool``/``average_pool``, and min pooling): channels-last inputs.

``"same"`` padding follows TensorFlow (output ``ceil(n / stride)``); max pooling pads with
``-inf``, and average pooling divides by the number of real (unpadded) inputs in each window, as
Keras does. Min pooling is max pooling of the negated input.
"""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from layerwise import config
from layerwise.ops.conv import as_tuple, pad_spatial, same_padding, to_channels_first, to_channels_last
from layerwise.ops.symbolic import keras_op

_MAX = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}
_AVG = {1: F.avg_pool1d, 2: F.avg_pool2d, 3: F.avg_pool3d}

# Public ops, re-exported by ``layerwise.ops`` (internal helpers stay out).
__all__ = ["average_pool", "max_pool", "min_pool"]


def _prepare(inputs, pool_size, strides, data_format):
    data_format = data_format or config.image_data_format()
    rank = inputs.ndim - 2
    if rank not in _MAX:
        raise ValueError(f"Pooling supports 1-D, 2-D and 3-D inputs (rank 3 to 5); received shape {tuple(inputs.shape)}.")
    pool = as_tuple(pool_size, rank)
    strides = pool if strides is None else as_tuple(strides, rank)
    x = to_channels_first(inputs) if data_format == "channels_last" else inputs
    return data_format, rank, pool, strides, x


def _finish(out, data_format):
    return to_channels_last(out) if data_format == "channels_last" else out


@keras_op("layerwise.ops.nn.max_pool")
def max_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Maximum over each window.

    Example:
        >>> import torch
        >>> from layerwise import ops
        >>> x = torch.arange(16.0).reshape(1, 4, 4, 1)
        >>> ops.max_pool(x, 2)[0, :, :, 0]
        tensor([[ 5.,  7.],
                [13., 15.]])
    """
    data_format, rank, pool, strides, x = _prepare(inputs, pool_size, strides, data_format)
    if padding == "same":
        pads = [same_padding(x.shape[2 + i], pool[i], strides[i], 1) for i in range(rank)]
        x = pad_spatial(x, pads, value=float("-inf"))
    return _finish(_MAX[rank](x, pool, strides), data_format)


@keras_op("layerwise.ops.nn.min_pool")
def min_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Minimum over each window (``-max_pool(-x)``).

    Example:
        >>> import torch
        >>> from layerwise import ops
        >>> x = torch.arange(16.0).reshape(1, 4, 4, 1)
        >>> ops.min_pool(x, 2)[0, :, :, 0]
        tensor([[ 0.,  2.],
                [ 8., 10.]])
    """
    return -max_pool(-inputs, pool_size, strides, padding, data_format)


@keras_op("layerwise.ops.nn.average_pool")
def average_pool(inputs, pool_size, strides=None, padding="valid", data_format=None):
    """Mean over each window; with ``"same"`` padding, over the real inputs only.

    Example:
        >>> import torch
        >>> from layerwise import ops
        >>> x = torch.arange(16.0).reshape(1, 4, 4, 1)
        >>> ops.average_pool(x, 2)[0, :, :, 0]
        tensor([[ 2.5000,  4.5000],
                [10.5000, 12.5000]])
    """
    data_format, rank, pool, strides, x = _prepare(inputs, pool_size, strides, data_format)
    if padding == "same":
        pads = [same_padding(x.shape[2 + i], pool[i], strides[i], 1) for i in range(rank)]
        ones = torch.ones((1, 1) + tuple(x.shape[2:]), dtype=x.dtype, device=x.device)
        summed = _AVG[rank](pad_spatial(x, pads), pool, strides, divisor_override=1) if rank > 1 else \
            _AVG[rank](pad_spatial(x, pads), pool, strides) * pool[0]
        counts = _AVG[rank](pad_spatial(ones, pads), pool, strides, divisor_override=1) if rank > 1 else \
            _AVG[rank](pad_spatial(ones, pads), pool, strides) * pool[0]
        return _finish(summed / counts, data_format)
    return _finish(_AVG[rank](x, pool, strides), data_format)


def pool_output_length(size: Any, pool: int, stride: int, padding: str) -> Any:
    """Keras's pooled size along one axis."""
    if size is None:
        return None
    if padding == "same":
        return -(-size // stride)
    return max((size - pool) // stride + 1, 0)
