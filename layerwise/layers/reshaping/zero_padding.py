"""``BaseZeroPadding``: zeros added around the spatial axes (ZeroPadding1D/2D/3D), and the
``(before, after)`` argument parsing it shares with the cropping layers."""

from __future__ import annotations

import numbers
from typing import Any

import torch.nn.functional as F

from layerwise import config
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.layer import Layer
from layerwise.utils.argument_validation import one_of


def standardize_pairs(owner: str, arg: str, value: Any, rank: int) -> tuple[tuple[int, int], ...]:
    """``rank`` non-negative ``(before, after)`` pairs from Keras's forms of the argument.

    An int applies to both ends of every axis; for one axis a pair is ``(before, after)``; for
    several axes a tuple holds one entry per axis, each an int (both ends) or a pair.

    Example:
        >>> standardize_pairs("ZeroPadding2D", "padding", (1, (2, 3)), 2)
        ((1, 1), (2, 3))
    """
    expected = ("a non-negative integer or a pair of them" if rank == 1 else
                f"a non-negative integer, a tuple of {rank} non-negative integers, or a tuple of {rank} "
                f"(before, after) pairs")

    def fail():
        return ValueError(f"`{owner}` argument `{arg}` must be {expected}; received {arg}={value!r}.")

    def integer(v):
        if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < 0:
            raise fail()
        return int(v)

    def pair(v):
        if isinstance(v, numbers.Integral) and not isinstance(v, bool):
            return integer(v), integer(v)
        if not isinstance(v, (tuple, list)) or len(v) != 2:
            raise fail()
        return integer(v[0]), integer(v[1])

    if rank == 1:
        return (pair(value),)
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return (pair(value),) * rank
    if not isinstance(value, (tuple, list)) or len(value) != rank:
        raise fail()
    return tuple(pair(v) for v in value)


def spatial_axes(rank: int, data_format: str) -> range:
    return range(1, rank + 1) if data_format == "channels_last" else range(2, rank + 2)


class BaseZeroPadding(Layer):
    """Pads ``rank`` spatial axes with zeros, by ``((before, after), ...)`` per axis."""

    rank = 2

    def __init__(self, padding: Any = 1, data_format: str | None = None, **kwargs):
        owner = type(self).__name__
        pads = standardize_pairs(owner, "padding", padding, self.rank)
        data_format = one_of(owner, "data_format", data_format or config.image_data_format(),
                             ("channels_last", "channels_first"), str.lower)
        super().__init__(**kwargs)
        self.padding, self.data_format = pads, data_format
        # F.pad's flat list starts at the last axis: (last_before, last_after, previous_before, ...).
        flat = [0, 0] if data_format == "channels_last" else []
        for before, after in reversed(pads):
            flat.extend([before, after])
        self._flat_padding = tuple(flat)
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self.built = True

    def call(self, inputs):
        if not any(self._flat_padding):
            return inputs
        return F.pad(inputs, self._flat_padding)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for axis, (before, after) in zip(spatial_axes(self.rank, self.data_format), self.padding):
            if shape[axis] is not None:
                shape[axis] += before + after
        return tuple(shape)

    def get_config(self) -> dict:
        padding = list(self.padding[0]) if self.rank == 1 else [list(p) for p in self.padding]
        return {**super().get_config(), "padding": padding, "data_format": self.data_format}
