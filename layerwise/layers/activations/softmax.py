"""``Softmax``: normalised exponentials along an axis, with Keras's optional mask."""

from __future__ import annotations

import numbers
from typing import Any

import torch

from layerwise import activations
from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.ops.core import convert_to_tensor


def _large_negative(dtype: torch.dtype) -> float:
    """What masked positions become before the softmax (Keras's values: -3e4 fits in float16)."""
    return -3e4 if dtype == torch.float16 else -1e9


def _standardize_axis(axis: Any) -> int | list[int]:
    if isinstance(axis, numbers.Integral) and not isinstance(axis, bool):
        return int(axis)
    if isinstance(axis, (list, tuple)) and axis and \
            all(isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in axis):
        return axis
    raise ValueError(f"`Softmax` argument `axis` must be an integer or a non-empty list of integers; "
                     f"received axis={axis!r}.")


@export("layerwise.layers.Softmax")
class Softmax(Layer):
    """Softmax activation: ``exp(x - max(x)) / sum(exp(x - max(x)))`` along ``axis``.

    Args:
        axis: the axis (or list of axes, normalised jointly) of the normalisation; default -1.

    Call arguments:
        inputs: the logits.
        mask: optional, broadcastable to ``inputs`` from the right (each of its sizes 1 or equal to
            the input's, and no more axes than the input); true (or > 0.5) keeps a position.
            Masked positions get probability 0 (the others are renormalised); a slice that is
            masked entirely is all zeros. A mask carried by the input (``_keras_mask``) is used
            when none is given, as in Keras.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.Softmax()
        >>> layer(torch.tensor([[1.0, 2.0, 1.0]]))
        tensor([[0.2119, 0.5761, 0.2119]])
        >>> layer(torch.tensor([[1.0, 2.0, 1.0]]), mask=torch.tensor([[True, False, True]]))
        tensor([[0.5000, 0.0000, 0.5000]])
    """

    def __init__(self, axis: int | list[int] = -1, **kwargs):
        axis = _standardize_axis(axis)
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True

    def call(self, inputs, mask=None):
        if mask is not None:
            mask = self._standardize_mask(inputs, mask)
            inputs = torch.where(mask, inputs, _large_negative(inputs.dtype))
        outputs = activations.softmax(inputs, axis=self.axis)
        if mask is not None:
            outputs = torch.where(mask, outputs, 0.0)
        return outputs

    def _standardize_mask(self, inputs: torch.Tensor, mask: Any) -> torch.Tensor:
        mask = convert_to_tensor(mask, device=inputs.device)
        shape, mask_shape = tuple(inputs.shape), tuple(mask.shape)
        if len(mask_shape) > len(shape) or any(m != 1 and m != i for m, i in zip(mask_shape[::-1], shape[::-1])):
            raise ValueError(f"Layer '{self.name}' (Softmax) argument `mask` must be broadcastable to the inputs "
                             f"(each size 1 or equal to the input's, aligned from the right, and no more axes); "
                             f"received mask.shape={mask_shape} for inputs.shape={shape}.")
        return mask if mask.dtype == torch.bool else mask > 0.5

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": self.axis}
