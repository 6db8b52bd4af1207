"""A float64 NumPy reference for windowed pooling, written from Keras's (TensorFlow's) definition,
and the input and configurations the pooling tests share.

Windows: with ``"valid"`` padding, ``(n - pool) // stride + 1`` windows starting at ``j * stride``;
with ``"same"``, ``ceil(n / stride)`` windows starting at ``j * stride - before`` where ``before`` is
half the total padding ``max((out - 1) * stride + pool - n, 0)`` rounded down. A window is reduced
over its real (in-range) positions only.
"""

from __future__ import annotations

import itertools

import numpy as np
import torch

REDUCERS = {"max": np.max, "min": np.min, "average": np.mean}

# One input shape (channels-last, batch 2) per rank, with odd sizes.
SHAPES = {1: (2, 9, 3), 2: (2, 7, 8, 3), 3: (2, 5, 6, 7, 2)}

# (configuration, output shape) per rank: strides != pool_size, strides that do not divide, stride >
# pool_size, symmetric and asymmetric "same" padding (including stride 1 with an even window),
# channels_first (whose input is SHAPES[rank] with the channel axis moved to position 1).
CASES = {
    1: [({}, (2, 4, 3)), ({"pool_size": 3, "strides": 2, "padding": "same"}, (2, 5, 3)),
        ({"pool_size": 2, "padding": "same"}, (2, 5, 3)),
        ({"pool_size": 4, "strides": 1, "padding": "same"}, (2, 9, 3)),
        ({"pool_size": 4, "strides": 3}, (2, 2, 3)), ({"pool_size": 1, "strides": 4, "padding": "same"}, (2, 3, 3)),
        ({"pool_size": 3, "data_format": "channels_first"}, (2, 3, 3)),
        ({"pool_size": 2, "strides": 1, "padding": "same", "data_format": "channels_first"}, (2, 3, 9))],
    2: [({}, (2, 3, 4, 3)), ({"pool_size": 3, "strides": 2, "padding": "same"}, (2, 4, 4, 3)),
        ({"pool_size": (2, 3), "padding": "same"}, (2, 4, 3, 3)), ({"pool_size": 3, "strides": 1}, (2, 5, 6, 3)),
        ({"pool_size": 4, "strides": 3}, (2, 2, 2, 3)),
        ({"pool_size": 2, "strides": 3, "padding": "same"}, (2, 3, 3, 3)),
        ({"pool_size": (3, 2), "strides": (2, 2), "padding": "same"}, (2, 4, 4, 3)),
        ({"pool_size": (3, 2), "strides": (2, 1), "padding": "same", "data_format": "channels_first"}, (2, 3, 4, 8)),
        ({"pool_size": 2, "data_format": "channels_first"}, (2, 3, 3, 4))],
    3: [({}, (2, 2, 3, 3, 2)), ({"pool_size": 3, "strides": 2, "padding": "same"}, (2, 3, 3, 4, 2)),
        ({"pool_size": 3, "strides": (2, 1, 2), "padding": "same"}, (2, 3, 6, 4, 2)),
        ({"pool_size": (2, 3, 4), "strides": (1, 2, 3), "padding": "same", "data_format": "channels_first"},
         (2, 2, 5, 3, 3)),
        ({"pool_size": (3, 2, 2), "strides": (2, 1, 3)}, (2, 2, 5, 2, 2)),
        ({"pool_size": 2, "data_format": "channels_first"}, (2, 2, 2, 3, 3))],
}
CONFIGS = {rank: [kwargs for kwargs, _ in cases] for rank, cases in CASES.items()}


def case_id(kwargs: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in kwargs.items()) or "defaults"


def as_tuple(value, rank):
    return (value,) * rank if isinstance(value, int) else tuple(value)


def window_starts(size: int, pool: int, stride: int, padding: str) -> list[int]:
    if padding == "same":
        out = -(-size // stride)
        before = max((out - 1) * stride + pool - size, 0) // 2
    else:
        out, before = (size - pool) // stride + 1, 0
    return [j * stride - before for j in range(out)]


def has_asymmetric_padding(rank: int, kwargs: dict) -> bool:
    """Whether "same" padding puts more padding on the right than on the left along some axis."""
    if kwargs.get("padding", "valid") != "same":
        return False
    spatial = SHAPES[rank][1:-1]
    pool = as_tuple(kwargs.get("pool_size", 2), rank)
    strides = as_tuple(kwargs.get("strides") or pool, rank)
    for n, k, s in zip(spatial, pool, strides):
        total = max((-(-n // s) - 1) * s + k - n, 0)
        if total % 2:
            return True
    return False


def reference_pool(x, mode: str, pool_size=2, strides=None, padding="valid", data_format="channels_last"):
    """Pool ``x`` (a NumPy array or tensor) in float64 NumPy with Keras's windows."""
    x = np.asarray(x, np.float64)
    if data_format == "channels_first":
        x = np.moveaxis(x, 1, -1)
    rank = x.ndim - 2
    pool = as_tuple(pool_size, rank)
    strides = pool if strides is None else as_tuple(strides, rank)
    spatial = x.shape[1:-1]
    starts = [window_starts(n, k, s, padding) for n, k, s in zip(spatial, pool, strides)]
    out = np.empty((x.shape[0],) + tuple(len(a) for a in starts) + (x.shape[-1],))
    for index in itertools.product(*[range(len(a)) for a in starts]):
        window = tuple(slice(max(a[i], 0), min(a[i] + k, n)) for a, i, k, n in zip(starts, index, pool, spatial))
        values = x[(slice(None),) + window + (slice(None),)]
        assert values.size, "every window holds a real input"
        out[(slice(None),) + index + (slice(None),)] = REDUCERS[mode](values, axis=tuple(range(1, rank + 1)))
    return np.moveaxis(out, -1, 1) if data_format == "channels_first" else out


def layer_input(rank: int, kwargs: dict, seed: int = 0, dtype=np.float32) -> np.ndarray:
    """Random input of ``SHAPES[rank]``, transposed when the configuration is channels-first."""
    x = np.random.RandomState(seed).randn(*SHAPES[rank]).astype(dtype)
    return np.moveaxis(x, -1, 1).copy() if kwargs.get("data_format") == "channels_first" else x


def to_torch(x: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(x))
