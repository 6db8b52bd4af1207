"""``RandomContrast``: scale each image's deviations from its channel means by a random factor."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.preprocessing.augmentation.augmentation_utils import (
    factor_interval,
    uniform,
    value_range_pair,
)
from layerwise.layers.preprocessing.augmentation.base_augmentation import BaseAugmentation
from layerwise.layers.preprocessing.image_utils import check_images


@export("layerwise.layers.RandomContrast")
class RandomContrast(BaseAugmentation):
    """Adjusts the contrast of each image by a random factor during training: every value ``x`` of a
    channel becomes ``(x - mean) * c + mean``, with ``mean`` the channel's mean over the image and
    ``c`` drawn once per image, then the result is clipped to ``value_range``. At inference the
    layer is the identity.

    Args:
        factor: ``c`` is drawn from ``[1 - lower, 1 + upper]``. A pair gives ``(lower, upper)``
            directly (entries in ``[-1, 1]``); a single number ``f`` in ``[0, 1]`` gives
            ``(0, f)``, i.e. ``c`` in ``[1, 1 + f]`` -- Keras 3's reading; pass ``(f, f)`` for
            ``[1 - f, 1 + f]``.
        value_range: ``(low, high)``, the range of the image values; outputs are clipped to it.
        seed: makes the factors reproducible (the layer's own generator, seeded once).
        data_format: ``"channels_last"`` (default from ``layerwise.config``) or ``"channels_first"``.

    Call arguments:
        inputs: one image (rank 3) or a batch (rank 4).
        training: adjust only when ``True`` (e.g. inside ``fit``).

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.tensor([1.0, 3.0]).reshape(1, 2, 1)  # channel mean 2
        >>> layer = keras.layers.RandomContrast((-0.5, 0.5), value_range=(0, 10))  # c = 1.5
        >>> layer(x, training=True).flatten().tolist()
        [0.5, 3.5]
    """

    def __init__(self, factor: Any, value_range: Any = (0, 255), seed: int | None = None,
                 data_format: str | None = None, **kwargs):
        owner = type(self).__name__
        factor = factor_interval(owner, "factor", factor, low=0.0, high=1.0, pair_low=-1.0)
        value_range = value_range_pair(owner, value_range)
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.factor = factor
        self.value_range = value_range

    def call(self, inputs, training=False):
        check_images(self, inputs)
        if not training:
            return inputs
        inputs = self._as_float(inputs)
        lower, upper = self.factor
        batch = inputs.shape[0] if inputs.ndim == 4 else 1
        shape = (batch, 1, 1, 1) if inputs.ndim == 4 else (1, 1, 1)
        factors = uniform(shape, 1.0 - lower, 1.0 + upper, self._seeded(inputs.device), inputs.device,
                          inputs.dtype)
        spatial = (-3, -2) if self.data_format == "channels_last" else (-2, -1)
        mean = inputs.mean(dim=spatial, keepdim=True)  # (..., 1, 1, channels) or (..., channels, 1, 1)
        return ((inputs - mean) * factors + mean).clamp(*self.value_range)

    def get_config(self) -> dict:
        return {**super().get_config(), "factor": list(self.factor), "value_range": list(self.value_range)}
