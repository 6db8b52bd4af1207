"""``Rescaling``: ``x * scale + offset`` (e.g. pixels from ``[0, 255]`` to ``[0, 1]`` or ``[-1, 1]``)."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import torch

from layerwise import config
from layerwise.api_export import export
from layerwise.layers.layer import Layer


def _check_number_or_array(owner: str, arg: str, value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"`{owner}` argument `{arg}` must be a number or a list of numbers; received {arg}={value!r}.")
    if isinstance(value, numbers.Real):
        return float(value)
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"`{owner}` argument `{arg}` must be a number or a list of numbers; "
                         f"received {arg}={value!r}.") from None
    return array.tolist()


@export("layerwise.layers.Rescaling")
class Rescaling(Layer):
    """Multiplies the inputs by ``scale`` and adds ``offset``; integer inputs are cast to floats.

    Args:
        scale: a number, or a list of numbers (one per channel, broadcast against the last axis;
            against axis 1 when ``image_data_format`` is ``"channels_first"``).
        offset: a number or a list of numbers added after scaling.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.Rescaling(1 / 127.5, offset=-1)
        >>> layer(torch.tensor([[0, 255]], dtype=torch.uint8)).tolist()
        [[-1.0, 1.0]]
    """

    def __init__(self, scale: Any, offset: Any = 0.0, **kwargs):
        owner = type(self).__name__
        scale = _check_number_or_array(owner, "scale", scale)
        offset = _check_number_or_array(owner, "offset", offset)
        super().__init__(**kwargs)
        self.scale = scale
        self.offset = offset
        self.supports_masking = True
        self.built = True

    def _as_tensor(self, value: Any, like: torch.Tensor) -> Any:
        if isinstance(value, float):
            return value
        tensor = torch.as_tensor(value, dtype=like.dtype, device=like.device)
        if tensor.ndim and config.image_data_format() == "channels_first":
            tensor = tensor.reshape(tuple(tensor.shape) + (1,) * (3 - tensor.ndim))
        return tensor

    def call(self, inputs):
        inputs = inputs.to(self._dtype_policy.torch_compute_dtype)
        return inputs * self._as_tensor(self.scale, inputs) + self._as_tensor(self.offset, inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}
