"""Batch renormalization (Ioffe, 2017) for ``BatchNormalization(renorm=True)``, with Keras 3's formulas.

In training the batch-normalised value is corrected to ``x_hat * r + d`` with
``r = stddev / renorm_stddev`` and ``d = (mean - renorm_mean) / renorm_stddev`` (no gradient through
``r`` and ``d``, each optionally clipped), so training sees the same normalisation as inference
once the moving statistics settle. ``renorm_mean``/``renorm_stddev`` follow the batches with
``renorm_momentum``; ``moving_mean``/``moving_stddev`` with ``momentum``, and ``moving_variance``
is derived as ``max(moving_stddev**2 - epsilon, 0)``.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import torch

from layerwise import initializers

_CLIP_KEYS = ("rmax", "rmin", "dmax")


def validate_clipping(clipping: Any) -> dict:
    """``renorm_clipping`` as a dict with only ``rmax``, ``rmin``, ``dmax`` (numbers) and ``rmin <= rmax``.

    Example:
        >>> validate_clipping({"rmax": 3.0, "dmax": 5.0})
        {'rmax': 3.0, 'dmax': 5.0}
    """
    clipping = {} if clipping is None else clipping
    if not isinstance(clipping, dict) or set(clipping) - set(_CLIP_KEYS):
        raise ValueError("`BatchNormalization` argument `renorm_clipping` must be a dict with keys among "
                         f"{list(_CLIP_KEYS)}; received renorm_clipping={clipping!r}.")
    for key, value in clipping.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Real)):
            raise ValueError(f"`BatchNormalization` argument `renorm_clipping` must map {key!r} to a number; "
                             f"received renorm_clipping={clipping!r}.")
    rmax, rmin, dmax = (clipping.get(k) for k in _CLIP_KEYS)
    if rmax is not None and rmin is not None and rmax < rmin:
        raise ValueError("`BatchNormalization` argument `renorm_clipping` must have rmin <= rmax; "
                         f"received renorm_clipping={clipping!r}.")
    if dmax is not None and dmax < 0:
        raise ValueError("`BatchNormalization` argument `renorm_clipping` must have dmax >= 0; "
                         f"received renorm_clipping={clipping!r}.")
    return dict(clipping)


def add_renorm_weights(layer: Any, shape: tuple[int]) -> None:
    """Create ``moving_stddev``, ``renorm_mean`` and ``renorm_stddev`` after the moving statistics."""
    config = initializers.serialize(layer.moving_variance_initializer)

    def stddev_initializer(shape, dtype=None):
        fresh = initializers.get(config) if config is not None else layer.moving_variance_initializer
        return torch.sqrt(torch.as_tensor(fresh(shape, dtype=dtype)))

    mean_initializer = initializers.get(initializers.serialize(layer.moving_mean_initializer))
    layer.moving_stddev = layer.add_weight(shape=shape, initializer=stddev_initializer, trainable=False,
                                           name="moving_stddev")
    layer.renorm_mean = layer.add_weight(shape=shape, initializer=mean_initializer, trainable=False,
                                         name="renorm_mean")
    layer.renorm_stddev = layer.add_weight(shape=shape, initializer=stddev_initializer, trainable=False,
                                           name="renorm_stddev")


def corrected_affine(layer: Any, mean: torch.Tensor, variance: torch.Tensor, gamma: torch.Tensor | None,
                     beta: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor]:
    """The scale and offset that apply ``(x_hat * r + d) * gamma + beta`` in one affine map."""
    dtype = mean.dtype
    with torch.no_grad():
        stddev = torch.sqrt(variance + layer.epsilon)
        renorm_stddev = torch.clamp(layer.renorm_stddev.to(dtype), min=math.sqrt(layer.epsilon))
        r = stddev / renorm_stddev
        d = (mean - layer.renorm_mean.to(dtype)) / renorm_stddev
        clipping = layer.renorm_clipping or {}
        if clipping.get("rmin") is not None:
            r = torch.clamp(r, min=float(clipping["rmin"]))
        if clipping.get("rmax") is not None:
            r = torch.clamp(r, max=float(clipping["rmax"]))
        if clipping.get("dmax") is not None:
            d = torch.clamp(d, -float(clipping["dmax"]), float(clipping["dmax"]))
    scale = r if gamma is None else r * gamma
    offset = d if gamma is None else d * gamma
    return scale, offset if beta is None else offset + beta


def update_renorm_statistics(layer: Any, mean: torch.Tensor, variance: torch.Tensor) -> None:
    """Advance the renorm and moving statistics by one batch, in place (on ``.data``, unseen by autograd)."""
    with torch.no_grad():
        stddev = torch.sqrt(variance + layer.epsilon)
        for moving, batch, momentum in ((layer.renorm_mean, mean, layer.renorm_momentum),
                                        (layer.renorm_stddev, stddev, layer.renorm_momentum),
                                        (layer.moving_mean, mean, layer.momentum),
                                        (layer.moving_stddev, stddev, layer.momentum)):
            moving.data.copy_(moving * momentum + batch.to(moving.dtype) * (1.0 - momentum))
        layer.moving_variance.data.copy_(torch.relu(layer.moving_stddev * layer.moving_stddev - layer.epsilon))
