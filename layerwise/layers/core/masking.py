"""``Masking``: marks the timesteps whose features all equal ``mask_value`` as padding."""

from __future__ import annotations

import numbers
from typing import Any

import torch

from layerwise.api_export import export
from layerwise.layers.layer import Layer


@export("layerwise.layers.Masking")
class Masking(Layer):
    """Masks every timestep whose features all equal ``mask_value``.

    The output is the input with masked timesteps set to 0, and it carries the mask
    ``any(inputs != mask_value, axis=-1)``: recurrent layers carry their state over those steps,
    and losses and metrics leave them out.

    Args:
        mask_value: the padding value.

    Input shape:
        ``(batch, timesteps, ..., features)``.
    Output shape:
        the input shape.

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.tensor([[[1.0, 2.0], [0.0, 0.0], [0.0, 3.0]]])
        >>> y = keras.layers.Masking(0.0)(x)
        >>> y._keras_mask.tolist()
        [[True, False, True]]
    """

    def __init__(self, mask_value: float = 0.0, **kwargs):
        if isinstance(mask_value, dict) and mask_value.get("class_name") == "__numpy__":
            mask_value = mask_value["config"]["value"]
        if isinstance(mask_value, bool) or not isinstance(mask_value, numbers.Real):
            raise ValueError(  # noqa: TRY004 (Keras raises ValueError for bad arguments)
                f"`Masking` argument `mask_value` must be a number; received mask_value={mask_value!r}.")
        super().__init__(**kwargs)
        self.mask_value = float(mask_value)
        self.supports_masking = True
        self.built = True

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        return (inputs != self.mask_value).any(dim=-1)

    def call(self, inputs):
        keep = (inputs != self.mask_value).any(dim=-1, keepdim=True)
        outputs = torch.where(keep, inputs, torch.zeros((), dtype=inputs.dtype, device=inputs.device))
        outputs._keras_mask = keep.squeeze(-1)
        return outputs

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "mask_value": self.mask_value}
