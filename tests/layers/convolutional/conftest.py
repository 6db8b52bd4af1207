"""Float64 NumPy references for the convolutions, written from TensorFlow's definitions, and the
Keras parity check the convolution tests share.

Convolution: output position ``j`` of an axis sums ``x[j * stride - before + t * dilation] @ kernel[t]``
over the kernel taps ``t``; ``"valid"`` has ``before = 0`` and ``(n - k_eff) // stride + 1``
outputs, ``"same"`` has ``ceil(n / stride)`` outputs and ``before`` = half the total padding
``max((out - 1) * stride + k_eff - n, 0)`` rounded down, ``"causal"`` pads ``k_eff - 1`` on the left.

Transposed convolution (TensorFlow's ``conv_transpose`` with an output size ``m``, the gradient of
the convolution of an ``m``-sized input): input ``i`` adds ``kernel[t] @ x[i]`` to output
``i * stride + t * dilation - before``, where ``before`` is 0 for ``"valid"`` and, for ``"same"``,
half of ``max((n - 1) * stride + k_eff - m, 0)`` rounded down. Keras's ``m``: ``n * stride``
(``"same"``) or ``(n - 1) * stride + max(k_eff, stride)`` (``"valid"``) without
``output_padding``; ``(n - 1) * stride + k_eff + p`` (``"valid"``) or
``(n - 1) * stride + k_eff % 2 + p`` (``"same"``) with ``output_padding=p``.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import torch


def as_tuple(value, rank):
    return (value,) * rank if isinstance(value, int) else tuple(value)


def _channels_last(x, data_format):
    return np.moveaxis(x, 1, -1) if data_format == "channels_first" else x


def _restore(out, data_format):
    return np.moveaxis(out, -1, 1) if data_format == "channels_first" else out


def reference_conv(x, kernel, strides=1, padding="valid", data_format="channels_last", dilation_rate=1):
    """Grouped N-D convolution in float64 (groups = input channels / kernel.shape[-2])."""
    x = _channels_last(np.asarray(x, np.float64), data_format)
    kernel = np.asarray(kernel, np.float64)
    rank = x.ndim - 2
    strides, dilation = as_tuple(strides, rank), as_tuple(dilation_rate, rank)
    taps = kernel.shape[:rank]
    per_group, filters = kernel.shape[-2:]
    groups = x.shape[-1] // per_group
    outs, pads = [], []
    for n, k, s, d in zip(x.shape[1:-1], taps, strides, dilation):
        eff = (k - 1) * d + 1
        if padding == "valid":
            out, before = (n - eff) // s + 1, 0
        elif padding == "same":
            out = math.ceil(n / s)
            before = max((out - 1) * s + eff - n, 0) // 2
        else:  # causal
            out, before = math.ceil(n / s), eff - 1
        outs.append(out)
        pads.append((before, max((out - 1) * s + eff - n - before, 0)))
    x = np.pad(x, [(0, 0)] + pads + [(0, 0)])  # zeros outside the input
    result = np.zeros((x.shape[0],) + tuple(outs) + (filters,))
    for t in itertools.product(*[range(k) for k in taps]):
        # the input seen by tap t at every output position
        window = tuple(slice(tt * d, tt * d + (o - 1) * s + 1, s) for tt, d, o, s in zip(t, dilation, outs, strides))
        values = x[(slice(None),) + window]
        for g in range(groups):
            fs = slice(g * filters // groups, (g + 1) * filters // groups)
            cs = slice(g * per_group, (g + 1) * per_group)
            result[..., fs] += values[..., cs] @ kernel[t][:, fs]
    return _restore(result, data_format)


def keras_transpose_length(n, k, s, d, padding, output_padding):
    eff = (k - 1) * d + 1
    if output_padding is None:
        return n * s if padding == "same" else (n - 1) * s + max(eff, s)
    return (n - 1) * s + (eff if padding == "valid" else eff % 2) + output_padding


def reference_conv_transpose(x, kernel, strides=1, padding="valid", output_padding=None,
                             data_format="channels_last", dilation_rate=1):
    """Transposed convolution in float64 with a ``(*k, filters, in_channels)`` kernel."""
    x = _channels_last(np.asarray(x, np.float64), data_format)
    kernel = np.asarray(kernel, np.float64)
    rank = x.ndim - 2
    strides, dilation = as_tuple(strides, rank), as_tuple(dilation_rate, rank)
    extra = (None,) * rank if output_padding is None else as_tuple(output_padding, rank)
    taps = kernel.shape[:rank]
    sizes, befores = [], []
    for n, k, s, d, p in zip(x.shape[1:-1], taps, strides, dilation, extra):
        m = keras_transpose_length(n, k, s, d, padding, p)
        sizes.append(m)
        befores.append(0 if padding == "valid" else max((n - 1) * s + (k - 1) * d + 1 - m, 0) // 2)
    # every contribution lands in [0, full); the result is the window [before, before + m) of it
    full = [max((n - 1) * s + (k - 1) * d + 1, b + m) for n, s, k, d, b, m in
            zip(x.shape[1:-1], strides, taps, dilation, befores, sizes)]
    result = np.zeros((x.shape[0],) + tuple(full) + (kernel.shape[-2],))
    for t in itertools.product(*[range(k) for k in taps]):
        # input i lands at i * stride + t * dilation
        window = tuple(slice(tt * d, tt * d + (n - 1) * s + 1, s) for tt, d, n, s in
                       zip(t, dilation, x.shape[1:-1], strides))
        result[(slice(None),) + window] += x @ kernel[t].T
    crop = tuple(slice(b, b + m) for b, m in zip(befores, sizes))
    return _restore(result[(slice(None),) + crop], data_format)


def reference_depthwise(x, kernel, strides=1, padding="valid", data_format="channels_last", dilation_rate=1):
    """Each channel ``c`` convolved with ``kernel[..., c, :]``; output channel ``c * multiplier + m``."""
    x = _channels_last(np.asarray(x, np.float64), data_format)
    parts = [reference_conv(x[..., c:c + 1], kernel[..., c:c + 1, :], strides, padding, "channels_last",
                            dilation_rate) for c in range(x.shape[-1])]
    return _restore(np.concatenate(parts, axis=-1), data_format)


def keras_parity(keras, name, kwargs, x, seed=0, atol=1e-5):
    """Build ``name`` in Keras and in layerwise, give Keras random weights (bias included), copy
    them over with ``set_weights`` and compare outputs and shapes; return our output."""
    import layerwise

    theirs = getattr(keras.layers, name)(**kwargs)
    theirs(x)
    rs = np.random.RandomState(seed)
    theirs.set_weights([rs.uniform(-1, 1, w.shape).astype("float32") for w in theirs.get_weights()])
    expected = keras.ops.convert_to_numpy(theirs(x))
    ours = getattr(layerwise.layers, name)(**kwargs)
    ours(torch.from_numpy(x))
    assert [w.name for w in ours.weights] == [w.name for w in theirs.weights]
    ours.set_weights(theirs.get_weights())
    got = ours(torch.from_numpy(x))
    assert tuple(got.shape) == expected.shape
    np.testing.assert_allclose(got.detach().numpy(), expected, rtol=1e-4, atol=atol)
    unknown_batch = (None,) + x.shape[1:]
    assert tuple(ours.compute_output_shape(unknown_batch)) == tuple(theirs.compute_output_shape(unknown_batch))
    return got


def case_id(kwargs: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in kwargs.items()) or "defaults"


def with_bias(expected, layer):
    """``expected`` plus the layer's bias on the channel axis."""
    bias = layer.bias.detach().double().numpy()
    return expected + (bias if layer.data_format == "channels_last" else bias.reshape((-1,) + (1,) * layer.rank))
