"""``BaseUpSampling``: each spatial position repeated ``size`` times (UpSampling1D/2D/3D); 2-D can
also interpolate bilinearly or bicubically."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from layerwise import config
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.layer import Layer
from layerwise.ops.conv import to_channels_first, to_channels_last
from layerwise.utils.argument_validation import one_of, standardize_tuple


def repeat_spatial(x: torch.Tensor, sizes: tuple[int, ...], first_axis: int) -> torch.Tensor:
    """Repeat each position of the axes ``first_axis ...`` ``sizes[i]`` times: one broadcast copy."""
    if all(s == 1 for s in sizes):
        return x
    index: list[Any] = [slice(None)] * first_axis
    expanded = list(x.shape[:first_axis])
    for axis, size in enumerate(sizes, start=first_axis):
        index += [slice(None), None]
        expanded += [x.shape[axis], size]
    rest = list(x.shape[first_axis + len(sizes):])
    out = list(x.shape[:first_axis]) + [x.shape[first_axis + i] * s for i, s in enumerate(sizes)] + rest
    return x[tuple(index) + (Ellipsis,)].expand(*expanded, *rest).reshape(out)


class BaseUpSampling(Layer):
    """Upsamples ``rank`` spatial axes by integer factors ``size``."""

    rank = 2
    interpolation = "nearest"

    def __init__(self, size: Any = 2, data_format: str | None = None, **kwargs):
        owner = type(self).__name__
        size = standardize_tuple(owner, "size", size, self.rank)
        data_format = one_of(owner, "data_format", data_format or config.image_data_format(),
                             ("channels_last", "channels_first"), str.lower)
        super().__init__(**kwargs)
        self.size, self.data_format = size, data_format
        self._first_axis = 1 if data_format == "channels_last" else 2
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self.built = True

    def call(self, inputs):
        if self.interpolation == "nearest":
            return repeat_spatial(inputs, self.size, self._first_axis)
        x = inputs if inputs.is_floating_point() else inputs.to(torch.float32)
        channels_last = self.data_format == "channels_last"
        # A channels-last tensor seen as channels-first is what torch's kernels run natively.
        out = F.interpolate(to_channels_first(x) if channels_last else x, scale_factor=self.size,
                            mode=self.interpolation, align_corners=False)
        out = to_channels_last(out) if channels_last else out
        return out if inputs.is_floating_point() else torch.round(out).to(inputs.dtype)

    def compute_output_shape(self, input_shape):
        shape = list(input_shape)
        for i, size in enumerate(self.size):
            axis = self._first_axis + i
            shape[axis] = None if shape[axis] is None else shape[axis] * size
        return tuple(shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "size": list(self.size), "data_format": self.data_format}
