"""``RandomFlip``: flip each image left-right and/or top-bottom with probability 1/2 during training."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.layers.preprocessing.image_utils import (
    check_images,
    standardize_data_format,
)
from layerwise.layers.regularization.noise_utils import SeededMixin, validate_seed
from layerwise.utils.argument_validation import one_of

HORIZONTAL = "horizontal"
VERTICAL = "vertical"
HORIZONTAL_AND_VERTICAL = "horizontal_and_vertical"


@export("layerwise.layers.RandomFlip")
class RandomFlip(SeededMixin, Layer):
    """Flips each image with probability 1/2 during training; at inference it is the identity
    (integer images are cast to floats).

    As in Keras, ``"horizontal_and_vertical"`` draws one coin per image: the image is flipped along
    both axes (a half turn) or left as it is.

    Args:
        mode: ``"horizontal"`` (left-right), ``"vertical"`` (top-bottom) or
            ``"horizontal_and_vertical"`` (default).
        seed: makes the flips reproducible (the layer's own generator, seeded once).
        data_format: ``"channels_last"`` (default from ``layerwise.config``) or ``"channels_first"``.

    Call arguments:
        inputs: one image (rank 3) or a batch (rank 4).
        training: flip only when ``True`` (e.g. inside ``fit``).

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.arange(3.0).reshape(1, 3, 1).expand(64, 1, 3, 1)
        >>> y = keras.layers.RandomFlip("horizontal", seed=0)(x, training=True)
        >>> sorted({tuple(row) for row in y.reshape(64, 3).tolist()})
        [(0.0, 1.0, 2.0), (2.0, 1.0, 0.0)]
    """

    _direct_call_trains = True  # as in Keras: `layer(images)` augments; inside a model the model's mode rules

    def __init__(self, mode: str = HORIZONTAL_AND_VERTICAL, seed: int | None = None, data_format: str | None = None,
                 **kwargs):
        owner = type(self).__name__
        mode = one_of(owner, "mode", mode, (HORIZONTAL, VERTICAL, HORIZONTAL_AND_VERTICAL), str.lower)
        seed = validate_seed(owner, seed)
        data_format = standardize_data_format(owner, data_format)
        super().__init__(**kwargs)
        self.mode = mode
        self.seed = seed
        self.data_format = data_format
        self._generator = None
        self.built = True

    def call(self, inputs, training=False):
        check_images(self, inputs)
        if not inputs.is_floating_point():
            inputs = inputs.to(self._dtype_policy.torch_compute_dtype)
        if not training:
            return inputs
        height_axis, width_axis = (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        axes = {HORIZONTAL: (width_axis,), VERTICAL: (height_axis,),
                HORIZONTAL_AND_VERTICAL: (height_axis, width_axis)}[self.mode]
        batch = inputs.shape[0] if inputs.ndim == 4 else 1
        coin = torch.rand((batch,), generator=self._seeded(inputs.device), device=inputs.device, dtype=torch.float32)
        flip = (coin <= 0.5).view((batch,) + (1,) * 3 if inputs.ndim == 4 else (1, 1, 1))
        return torch.where(flip, torch.flip(inputs, axes), inputs)

    def compute_output_shape(self, input_shape: Any):
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "mode": self.mode, "seed": self.seed, "data_format": self.data_format}
