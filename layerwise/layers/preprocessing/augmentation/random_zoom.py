"""``RandomZoom``: zoom each image in or out by its own random amount during training."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.layers.preprocessing.augmentation.affine import zoom_transforms
from layerwise.layers.preprocessing.augmentation.augmentation_utils import (
    factor_interval,
    plain_factor,
    uniform,
)
from layerwise.layers.preprocessing.augmentation.base_random_affine import (
    BaseRandomAffine,
)


def _zoom_interval(owner: str, arg: str, factor: Any) -> tuple[float, float]:
    return factor_interval(owner, arg, factor, low=-1.0, high=1.0, low_inclusive=False)


@export("layerwise.layers.RandomZoom")
class RandomZoom(BaseRandomAffine):
    """Zooms each image about its centre by a random amount during training; at inference it is
    the identity (integer images are cast to floats).

    Each output pixel reads ``1 + z`` input pixels, with ``z`` drawn from the factor's interval:
    a positive ``z`` zooms out (the image shrinks and ``fill_mode`` fills the border), a negative
    ``z`` zooms in.

    Args:
        height_factor: the vertical zoom ``z``: a number ``f`` in ``(-1, 1]`` draws from ``[-f, f]``,
            a pair from ``[lower, upper]``, e.g. ``(-0.3, -0.2)`` zooms in by 20% to 30%.
        width_factor: the horizontal zoom, as ``height_factor``; ``None`` (default) uses the vertical
            zoom for both axes, which keeps the aspect ratio.
        fill_mode: ``"reflect"``, ``"wrap"``, ``"constant"`` (``fill_value``) or ``"nearest"``, as in
            :class:`RandomRotation`.
        interpolation: ``"bilinear"`` or ``"nearest"``.
        seed: makes the zooms reproducible (the layer's own generator, seeded once).
        fill_value: the value outside the image for ``fill_mode="constant"``.
        data_format: ``"channels_last"`` (default from ``layerwise.config``) or ``"channels_first"``.

    Call arguments:
        inputs: one image (rank 3) or a batch (rank 4).
        training: zoom only when ``True`` (e.g. inside ``fit``).

    Example:
        >>> import torch, layerwise as keras
        >>> x = torch.arange(1.0, 6.0).reshape(1, 5, 1)
        >>> layer = keras.layers.RandomZoom(0.0, (1.0, 1.0), fill_mode="constant", interpolation="nearest")
        >>> layer(x, training=True).flatten().tolist()  # zoomed out 2x horizontally
        [0.0, 1.0, 3.0, 5.0, 0.0]
    """

    def __init__(self, height_factor: Any, width_factor: Any = None, fill_mode: str = "reflect",
                 interpolation: str = "bilinear", seed: int | None = None, fill_value: float = 0.0,
                 data_format: str | None = None, **kwargs):
        owner = type(self).__name__
        _zoom_interval(owner, "height_factor", height_factor)
        if width_factor is not None:
            _zoom_interval(owner, "width_factor", width_factor)
        super().__init__(fill_mode=fill_mode, interpolation=interpolation, seed=seed, fill_value=fill_value,
                         data_format=data_format, **kwargs)
        self.height_factor = plain_factor(height_factor)
        self.width_factor = plain_factor(width_factor)

    def random_transforms(self, batch: int, height: int, width: int, device: torch.device) -> torch.Tensor:
        owner = type(self).__name__
        generator = self._seeded(device)
        lower, upper = _zoom_interval(owner, "height_factor", self.height_factor)
        zoom_y = uniform((batch,), 1.0 + lower, 1.0 + upper, generator, device)
        zoom_x = zoom_y
        if self.width_factor is not None:
            lower, upper = _zoom_interval(owner, "width_factor", self.width_factor)
            zoom_x = uniform((batch,), 1.0 + lower, 1.0 + upper, generator, device)
        return zoom_transforms(zoom_x, zoom_y, height, width)

    def get_config(self) -> dict:
        return {**super().get_config(), "height_factor": self.height_factor, "width_factor": self.width_factor}
