"""Convolution ops (``keras.ops.conv``, ``conv_transpose``, ``depthwise_conv``, ``separable_conv``).

Inputs arrive channels-last as Keras users give them, ``(batch, *spatial, channels)``, and kernels
in Keras's layouts. Both are handed to torch as *views*: a permutation of a contiguous
channels-last tensor is a channels-first tensor with channels-last strides, which cuDNN and oneDNN
run natively, and their output permuted back is again a dense channels-last tensor. 1-D
channels-last inputs go through the 2-D kernels with a unit height, which keeps them on that fast
path too (torch's 1-D convolution would copy them).

Padding follows TensorFlow. ``"same"`` gives ``ceil(n / stride)`` positions, with the odd padding
element on the right (torch's own ``padding="same"`` only exists for stride 1); transposed
``"same"`` crops the odd element on the right, which is a view of torch's output.

The layers call the ``*_with_bias`` functions, which fuse the bias into the torch kernel.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import torch
import torch.nn.functional as F

from layerwise import config
from layerwise.ops.symbolic import keras_op

_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_CONV_TRANSPOSE = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}
# Axis orders by tensor rank: channels-last -> channels-first and back, and Keras kernel -> torch.
_TO_FIRST = {3: (0, 2, 1), 4: (0, 3, 1, 2), 5: (0, 4, 1, 2, 3)}
_TO_LAST = {3: (0, 2, 1), 4: (0, 2, 3, 1), 5: (0, 2, 3, 4, 1)}
_KERNEL = {3: (2, 1, 0), 4: (3, 2, 0, 1), 5: (4, 3, 0, 1, 2)}

# Public ops, re-exported by ``layerwise.ops`` (internal helpers stay out).
__all__ = ["conv", "conv_transpose", "depthwise_conv", "separable_conv"]


# ---- shape helpers (also used by pooling and the layers) -------------------------------------------
def as_tuple(value: Any, n: int) -> tuple[int, ...]:
    if type(value) is tuple:
        return value
    return (int(value),) * n if isinstance(value, int) else tuple(int(v) for v in value)


def same_padding(size: int, kernel: int, stride: int, dilation: int) -> tuple[int, int]:
    """(before, after) padding so that the output has ``ceil(size / stride)`` positions."""
    effective = (kernel - 1) * dilation + 1
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + effective - size, 0)
    return total // 2, total - total // 2


def output_length(size: int | None, kernel: int, stride: int, dilation: int, padding: str) -> int | None:
    """Keras's output size of a convolution along one spatial axis (``None`` stays unknown)."""
    if size is None:
        return None
    if padding in ("same", "causal"):
        return math.ceil(size / stride)
    effective = (kernel - 1) * dilation + 1
    return max((size - effective) // stride + 1, 0)


def transpose_crops(kernel: int, stride: int, dilation: int, padding: str,
                    output_padding: int | None) -> tuple[int, int]:
    """How much Keras crops from each end of the full transposed output ``(n - 1) * stride + k_eff``.

    A negative value extends that end with zeros. ``output_padding=None`` gives ``n * stride``
    positions for ``"same"`` and ``(n - 1) * stride + max(k_eff, stride)`` for ``"valid"``.
    """
    effective = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(effective, stride) - effective if output_padding is None else output_padding
        return 0, -extra
    total = stride + effective - 2 if output_padding is None else effective + effective % 2 - 2 + output_padding
    before = min(total // 2 + total % 2, effective - 1)
    return effective - 1 - before, effective - 1 - (total - before)


def transpose_output_length(size: int | None, kernel: int, stride: int, dilation: int, padding: str,
                            output_padding: int | None) -> int | None:
    """Keras's output size of a transposed convolution along one spatial axis."""
    if size is None:
        return None
    crop_before, crop_after = transpose_crops(kernel, stride, dilation, padding, output_padding)
    return (size - 1) * stride + (kernel - 1) * dilation + 1 - crop_before - crop_after


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


_CHANNELS_LAST = {4: torch.channels_last, 5: torch.channels_last_3d}


def _torch_weight(kernel: torch.Tensor, dtype: torch.dtype, channels_last: bool = False) -> torch.Tensor:
    """``(*k, a, b)`` -> ``(b, a, *k)``: a view of the Keras-layout kernel (cast if the dtype differs).

    For channels-last data the weight is laid out channels-last too (a copy of the small weight), as a
    torch model converted with ``.to(memory_format=torch.channels_last)`` has it. Measured on the CPU
    (oneDNN), the permuted Keras-layout view instead made a trained MNIST CNN's inference 1.6x slower
    than that torch model (both its convolutions and the pooling after them), for the same outputs.
    """
    weight = kernel.permute(_KERNEL[kernel.ndim])
    weight = weight if weight.dtype == dtype else weight.to(dtype)
    if channels_last and weight.ndim in _CHANNELS_LAST:
        weight = weight.contiguous(memory_format=_CHANNELS_LAST[weight.ndim])
    return weight


def _cast(bias: torch.Tensor | None, dtype: torch.dtype) -> torch.Tensor | None:
    return bias if bias is None or bias.dtype == dtype else bias.to(dtype)


def _standardize(op: str, inputs: torch.Tensor, kernel: torch.Tensor, data_format: str | None,
                 kernel_rank_offset: int = 2) -> tuple[int, bool, int]:
    """(spatial rank, channels-last?, input channels), with errors that name the op."""
    data_format = data_format or config.image_data_format()
    if data_format not in ("channels_last", "channels_first"):
        raise ValueError(f"`{op}` argument `data_format` must be one of 'channels_last', 'channels_first'; "
                         f"received data_format={data_format!r}.")
    rank = inputs.ndim - 2
    if rank not in _CONV:
        raise ValueError(f"`{op}` supports 1-D, 2-D and 3-D inputs (rank 3 to 5); received input shape "
                         f"{tuple(inputs.shape)}.")
    if kernel.ndim != rank + kernel_rank_offset:
        raise ValueError(f"`{op}`: the kernel must have rank {rank + kernel_rank_offset} for an input of rank "
                         f"{inputs.ndim}; received kernel shape {tuple(kernel.shape)}.")
    channels_last = data_format == "channels_last"
    return rank, channels_last, int(inputs.shape[-1] if channels_last else inputs.shape[1])


def _spatial(inputs: torch.Tensor, channels_last: bool) -> tuple[int, ...]:
    return tuple(inputs.shape[1:-1] if channels_last else inputs.shape[2:])


def _enter(x: torch.Tensor, channels_last: bool) -> tuple[torch.Tensor, bool]:
    """The channels-first view torch needs; a 1-D channels-last input gets a unit height (lifted)."""
    if not channels_last:
        return x, False
    if x.ndim == 3:
        return x.unsqueeze(1).permute(0, 3, 1, 2), True
    return x.permute(_TO_FIRST[x.ndim]), False


def _leave(out: torch.Tensor, channels_last: bool, lifted: bool) -> torch.Tensor:
    if not channels_last:
        return out
    out = out.permute(_TO_LAST[out.ndim])
    return out.squeeze(1) if lifted else out


# ---- convolution -----------------------------------------------------------------------------------
def conv_with_bias(inputs: torch.Tensor, kernel: torch.Tensor, bias: torch.Tensor | None, strides: Any = 1,
                   padding: str = "valid", data_format: str | None = None, dilation_rate: Any = 1) -> torch.Tensor:
    """:func:`conv` plus a bias of ``filters`` values, fused into the torch kernel."""
    rank, channels_last, channels = _standardize("conv", inputs, kernel, data_format)
    per_group = int(kernel.shape[-2])
    if channels % per_group:
        raise ValueError(f"`conv`: the input has {channels} channels, which is not a multiple of the kernel's "
                         f"{per_group} input channels per group; received input shape {tuple(inputs.shape)} and "
                         f"kernel shape {tuple(kernel.shape)}.")
    strides, dilation = as_tuple(strides, rank), as_tuple(dilation_rate, rank)
    sizes = tuple(kernel.shape[:rank])
    if padding == "same":
        pads = [same_padding(n, k, s, d) for n, k, s, d in zip(_spatial(inputs, channels_last), sizes, strides, dilation)]
    elif padding == "causal":
        if rank != 1:
            raise ValueError(f"`conv` padding 'causal' is only defined for 1-D inputs; received input shape "
                             f"{tuple(inputs.shape)}.")
        pads = [((sizes[0] - 1) * dilation[0], 0)]
    elif padding == "valid":
        pads = [(0, 0)] * rank
    else:
        raise ValueError(f"`conv` argument `padding` must be one of 'valid', 'same', 'causal'; received "
                         f"padding={padding!r}.")
    x, lifted = _enter(inputs, channels_last)
    if lifted:
        kernel, strides, dilation, pads, rank = kernel.unsqueeze(0), (1,) + strides, (1,) + dilation, \
            [(0, 0)] + pads, 2
    if any(before != after for before, after in pads):
        x = pad_spatial(x, pads)
        torch_padding: Any = 0
    else:
        torch_padding = tuple(before for before, _ in pads)
    out = _CONV[rank](x, _torch_weight(kernel, x.dtype, channels_last), _cast(bias, x.dtype), strides, torch_padding,
                      dilation, channels // per_group)
    return _leave(out, channels_last, lifted)


@keras_op("layerwise.ops.nn.conv")
def conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """N-D convolution (N = 1, 2, 3) of ``inputs`` with a Keras-layout ``kernel``.

    Args:
        inputs: ``(batch, *spatial, in_channels)`` (or channels-first with ``data_format``).
        kernel: ``(*kernel_size, in_channels / groups, filters)``; the number of groups is
            ``in_channels / kernel.shape[-2]``, as in Keras.
        strides, dilation_rate: ints or tuples, one per spatial axis.
        padding: ``"valid"``, ``"same"`` or ``"causal"`` (1-D only: pad on the left).

    Example:
        >>> import torch
        >>> from layerwise import ops
        >>> x = torch.ones(1, 4, 4, 1)
        >>> ops.conv(x, torch.ones(3, 3, 1, 1)).shape, float(ops.conv(x, torch.ones(3, 3, 1, 1))[0, 0, 0, 0])
        (torch.Size([1, 2, 2, 1]), 9.0)
    """
    return conv_with_bias(inputs, kernel, None, strides, padding, data_format, dilation_rate)


# ---- transposed convolution ------------------------------------------------------------------------
def conv_transpose_with_bias(inputs: torch.Tensor, kernel: torch.Tensor, bias: torch.Tensor | None,
                             strides: Any = 1, padding: str = "valid", output_padding: Any = None,
                             data_format: str | None = None, dilation_rate: Any = 1) -> torch.Tensor:
    """:func:`conv_transpose` plus a bias of ``filters`` values, fused into the torch kernel."""
    rank, channels_last, channels = _standardize("conv_transpose", inputs, kernel, data_format)
    if int(kernel.shape[-1]) != channels:
        raise ValueError(f"`conv_transpose`: the kernel's last axis must match the {channels} input channels; "
                         f"received input shape {tuple(inputs.shape)} and kernel shape {tuple(kernel.shape)}.")
    if padding not in ("valid", "same"):
        raise ValueError(f"`conv_transpose` argument `padding` must be one of 'valid', 'same'; received "
                         f"padding={padding!r}.")
    strides, dilation = as_tuple(strides, rank), as_tuple(dilation_rate, rank)
    extra = (None,) * rank if output_padding is None else as_tuple(output_padding, rank)
    crops = [transpose_crops(k, s, d, padding, p) for k, s, d, p in zip(kernel.shape[:rank], strides, dilation, extra)]
    # torch crops `before` from both ends, then extends the end by `output_padding` (< stride or
    # dilation); a longer result is sliced (a view). Only a direct call with an `output_padding`
    # beyond that needs the full output and zeros at the end.
    torch_extra = [max(before - after, 0) for before, after in crops]
    fast = all(e < max(s, d) for e, s, d in zip(torch_extra, strides, dilation))
    torch_padding = tuple(before for before, _ in crops) if fast else (0,) * rank
    if not fast:
        torch_extra = [0] * rank
    x, lifted = _enter(inputs, channels_last)
    if lifted:
        kernel, strides, dilation, rank = kernel.unsqueeze(0), (1,) + strides, (1,) + dilation, 2
        torch_padding, torch_extra, crops = (0,) + torch_padding, [0] + torch_extra, [(0, 0)] + crops
    out = _CONV_TRANSPOSE[rank](x, _torch_weight(kernel, x.dtype, channels_last),
                                _cast(bias, x.dtype) if fast else None,
                                strides, torch_padding, tuple(torch_extra), 1, dilation)
    if fast:
        ends = [min(before - after, 0) for before, after in crops]
        if any(ends):
            out = out[(slice(None), slice(None)) + tuple(slice(0, e or None) for e in ends)]
    else:
        out = out[(slice(None), slice(None)) + tuple(slice(before, -after if after > 0 else None)
                                                     for before, after in crops)]
        out = pad_spatial(out, [(0, max(-after, 0)) for _, after in crops])
        if bias is not None:
            out = out + _cast(bias, out.dtype).reshape((1, -1) + (1,) * rank)
    return _leave(out, channels_last, lifted)


@keras_op("layerwise.ops.nn.conv_transpose")
def conv_transpose(inputs, kernel, strides=1, padding="valid", output_padding=None, data_format=None,
                   dilation_rate=1):
    """Transposed convolution (the gradient of :func:`conv`, "deconvolution") with a Keras-layout kernel.

    Args:
        inputs: ``(batch, *spatial, in_channels)`` (or channels-first with ``data_format``).
        kernel: ``(*kernel_size, filters, in_channels)``.
        padding: ``"valid"`` or ``"same"``; with ``output_padding=None``, ``"same"`` gives
            ``n * stride`` positions and ``"valid"`` ``(n - 1) * stride + max(kernel, stride)``.
        output_padding: extra positions at the end of each axis (int or tuple), as in Keras.

    Example:
        >>> import torch
        >>> from layerwise import ops
        >>> x = torch.ones(1, 2, 2, 1)
        >>> ops.conv_transpose(x, torch.ones(2, 2, 1, 1), strides=2)[0, :, :, 0]
        tensor([[1., 1., 1., 1.],
                [1., 1., 1., 1.],
                [1., 1., 1., 1.],
                [1., 1., 1., 1.]])
    """
    return conv_transpose_with_bias(inputs, kernel, None, strides, padding, output_padding, data_format,
                                    dilation_rate)


# ---- depthwise and separable convolution -----------------------------------------------------------
def depthwise_conv_with_bias(inputs: torch.Tensor, kernel: torch.Tensor, bias: torch.Tensor | None,
                             strides: Any = 1, padding: str = "valid", data_format: str | None = None,
                             dilation_rate: Any = 1) -> torch.Tensor:
    """:func:`depthwise_conv` plus a bias of ``in_channels * depth_multiplier`` values."""
    rank, _, channels = _standardize("depthwise_conv", inputs, kernel, data_format)
    if int(kernel.shape[-2]) != channels:
        raise ValueError(f"`depthwise_conv`: the kernel's axis -2 must match the {channels} input channels; "
                         f"received input shape {tuple(inputs.shape)} and kernel shape {tuple(kernel.shape)}.")
    if padding not in ("valid", "same"):
        raise ValueError(f"`depthwise_conv` argument `padding` must be one of 'valid', 'same'; received "
                         f"padding={padding!r}.")
    # (*k, in, multiplier) -> (*k, 1, in * multiplier): one group per input channel (a view).
    grouped = kernel.reshape(tuple(kernel.shape[:rank]) + (1, channels * int(kernel.shape[-1])))
    return conv_with_bias(inputs, grouped, bias, strides, padding, data_format, dilation_rate)


@keras_op("layerwise.ops.nn.depthwise_conv")
def depthwise_conv(inputs, kernel, strides=1, padding="valid", data_format=None, dilation_rate=1):
    """Each input channel convolved with its own ``depth_multiplier`` filters.

    Args:
        kernel: ``(*kernel_size, in_channels, depth_multiplier)``; output channel
            ``c * depth_multiplier + m`` comes from input channel ``c`` and filter ``m``.

    Example:
        >>> import torch
        >>> from layerwise import ops
        >>> x = torch.ones(1, 3, 3, 2)
        >>> kernel = torch.stack([torch.ones(2, 2, 2), 2 * torch.ones(2, 2, 2)], -1)  # (2, 2, 2, 2)
        >>> ops.depthwise_conv(x, kernel)[0, 0, 0]
        tensor([4., 8., 4., 8.])
    """
    return depthwise_conv_with_bias(inputs, kernel, None, strides, padding, data_format, dilation_rate)


def separable_conv_with_bias(inputs: torch.Tensor, depthwise_kernel: torch.Tensor, pointwise_kernel: torch.Tensor,
                             bias: torch.Tensor | None, strides: Any = 1, padding: str = "valid",
                             data_format: str | None = None, dilation_rate: Any = 1) -> torch.Tensor:
    """:func:`separable_conv` plus a bias of ``filters`` values, fused into the pointwise kernel."""
    middle = depthwise_conv_with_bias(inputs, depthwise_kernel, None, strides, padding, data_format, dilation_rate)
    if pointwise_kernel.ndim != middle.ndim or any(int(k) != 1 for k in pointwise_kernel.shape[:-2]):
        raise ValueError(f"`separable_conv`: the pointwise kernel must have shape (1, ..., 1, channels, filters) "
                         f"with {middle.ndim - 2} ones; received {tuple(pointwise_kernel.shape)}.")
    return conv_with_bias(middle, pointwise_kernel, bias, 1, "valid", data_format, 1)


@keras_op("layerwise.ops.nn.separable_conv")
def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding="valid", data_format=None,
                   dilation_rate=1):
    """A depthwise convolution followed by a 1x1 (pointwise) convolution that mixes the channels.

    Args:
        depthwise_kernel: ``(*kernel_size, in_channels, depth_multiplier)``.
        pointwise_kernel: ``(1, ..., 1, in_channels * depth_multiplier, filters)``.
        strides, padding, dilation_rate: of the depthwise step.

    Example:
        >>> import torch
        >>> from layerwise import ops
        >>> out = ops.separable_conv(torch.ones(1, 5, 5, 3), torch.ones(3, 3, 3, 2), torch.ones(1, 1, 6, 4))
        >>> out.shape, float(out[0, 0, 0, 0])
        (torch.Size([1, 3, 3, 4]), 54.0)
    """
    return separable_conv_with_bias(inputs, depthwise_kernel, pointwise_kernel, None, strides, padding,
                                    data_format, dilation_rate)
