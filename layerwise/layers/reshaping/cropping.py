"""``BaseCropping``: positions removed from both ends of the spatial axes (Cropping1D/2D/3D); a view."""

from __future__ import annotations

from typing import Any

from layerwise import config
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.layer import Layer
from layerwise.layers.reshaping.zero_padding import spatial_axes, standardize_pairs
from layerwise.utils.argument_validation import one_of


class BaseCropping(Layer):
    """Crops ``rank`` spatial axes by ``((before, after), ...)``; the result is a view of the input."""

    rank = 2

    def __init__(self, cropping: Any = 0, data_format: str | None = None, **kwargs):
        owner = type(self).__name__
        crops = standardize_pairs(owner, "cropping", cropping, self.rank)
        data_format = one_of(owner, "data_format", data_format or config.image_data_format(),
                             ("channels_last", "channels_first"), str.lower)
        super().__init__(**kwargs)
        self.cropping, self.data_format = crops, data_format
        index = [slice(None)] * (self.rank + 2)
        for axis, (before, after) in zip(spatial_axes(self.rank, data_format), crops):
            index[axis] = slice(before, -after if after else None)
        self._index = tuple(index)
        self.input_spec = InputSpec(ndim=self.rank + 2)
        self.built = True

    def _check(self, shape: Any) -> None:
        for axis, (before, after) in zip(spatial_axes(self.rank, self.data_format), self.cropping):
            if shape[axis] is not None and before + after >= shape[axis]:
                raise ValueError(f"Layer '{self.name}' ({type(self).__name__}): cropping {(before, after)} removes "
                                 f"all of axis {axis} (size {shape[axis]}) of the input shape {tuple(shape)}; the "
                                 "crops of an axis must sum to less than its size.")

    def call(self, inputs):
        self._check(inputs.shape)
        return inputs[self._index]

    def compute_output_shape(self, input_shape):
        self._check(input_shape)
        shape = list(input_shape)
        for axis, (before, after) in zip(spatial_axes(self.rank, self.data_format), self.cropping):
            if shape[axis] is not None:
                shape[axis] -= before + after
        return tuple(shape)

    def get_config(self) -> dict:
        config_ = {**super().get_config(), "cropping": list(self.cropping[0]) if self.rank == 1 else
                   [list(c) for c in self.cropping]}
        if self.rank > 1:
            config_["data_format"] = self.data_format
        return config_
