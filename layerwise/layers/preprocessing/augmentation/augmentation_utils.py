"""Argument parsing and random draws shared by the augmentation layers.

Factors follow Keras 3's conventions: a single number ``f`` gives the interval
``(max(-|f|, low), |f|)`` for a layer whose factors live in ``[low, high]``, and a pair is sorted
into ``(lower, upper)``. Random draws come from the layer's own generator on the input's device
(see :class:`~layerwise.layers.regularization.noise_utils.SeededMixin`), so nothing is copied to
the host and a seeded layer repeats its sequence of augmentations.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

import torch

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
AFFINE_INTERPOLATIONS = ("bilinear", "nearest")


def is_real(value: Any) -> bool:
    """Whether ``value`` is a real number (not a bool, not NaN).

    Example:
        >>> is_real(0.5), is_real(True), is_real(float("nan")), is_real("1")
        (True, False, False, False)
    """
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and not math.isnan(value)


def _inside(value: float, low: float, high: float, low_inclusive: bool) -> bool:
    return (value > low or (low_inclusive and value == low)) and value <= high


def factor_interval(owner: str, arg: str, value: Any, low: float = -1.0, high: float = 1.0,
                    pair_low: float | None = None, low_inclusive: bool = True) -> tuple[float, float]:
    """``(lower, upper)`` from a number in ``[low, high]`` or a pair of numbers in ``[pair_low, high]``.

    A single number ``f`` gives ``(max(-|f|, low), |f|)``; a pair is sorted. ``low_inclusive=False``
    makes ``low`` itself invalid (``RandomZoom``: a zoom of ``1 + (-1)`` would collapse the image).

    Example:
        >>> factor_interval("RandomRotation", "factor", 0.2)
        (-0.2, 0.2)
        >>> factor_interval("RandomContrast", "factor", 0.5, low=0.0)
        (0.0, 0.5)
        >>> factor_interval("RandomRotation", "factor", [0.3, -0.1])
        (-0.1, 0.3)
    """
    pair_low = low if pair_low is None else pair_low
    left = "[" if low_inclusive else "("
    expected = (f"a number in {left}{low:g}, {high:g}] or a pair of numbers in {left}{pair_low:g}, {high:g}]")
    if is_real(value):
        if not _inside(float(value), low, high, low_inclusive):
            raise ValueError(f"`{owner}` argument `{arg}` must be {expected}; received {arg}={value!r}.")
        magnitude = abs(float(value))
        return (max(-magnitude, low), magnitude)
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(is_real(v) for v in value) and \
            all(_inside(float(v), pair_low, high, low_inclusive) for v in value):
        lower, upper = sorted(float(v) for v in value)
        return (lower, upper)
    raise ValueError(f"`{owner}` argument `{arg}` must be {expected}; received {arg}={value!r}.")


def plain_factor(factor: Any) -> Any:
    """A validated factor in JSON-friendly form: a float or a list of two floats (``None`` kept).

    Example:
        >>> plain_factor((0, 0.5)), plain_factor(1)
        ([0.0, 0.5], 1.0)
    """
    if factor is None:
        return None
    if isinstance(factor, (list, tuple)):
        return [float(v) for v in factor]
    return float(factor)


def value_range_pair(owner: str, value: Any) -> tuple[float, float]:
    """``value_range`` as a sorted pair of distinct floats.

    Example:
        >>> value_range_pair("RandomBrightness", [255, 0])
        (0.0, 255.0)
    """
    if isinstance(value, (list, tuple)) and len(value) == 2 and all(is_real(v) for v in value) and \
            float(value[0]) != float(value[1]):
        low, high = sorted(float(v) for v in value)
        return (low, high)
    raise ValueError(f"`{owner}` argument `value_range` must be a pair of two different numbers such as (0, 255); "
                     f"received value_range={value!r}.")


def uniform(shape: tuple[int, ...], low: float, high: float, generator: torch.Generator | None,
            device: torch.device, dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Samples of ``U(low, high)`` drawn on ``device``; exactly ``low`` everywhere when ``low == high``.

    Example:
        >>> import torch
        >>> uniform((3,), 0.25, 0.25, None, torch.device("cpu")).tolist()
        [0.25, 0.25, 0.25]
    """
    draw = torch.rand(shape, generator=generator, device=device, dtype=dtype)
    return draw * (high - low) + low
