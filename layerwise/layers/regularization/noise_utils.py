"""What the noise layers share: the ``seed`` argument, a private generator per layer, and
``noise_shape`` (the shape of the random draw, broadcast over the input).

A seeded layer owns a ``torch.Generator`` seeded once with ``seed``; every training call draws
from it, so two layers created with the same seed produce the same sequence of masks, and calls
differ from each other (Keras's ``SeedGenerator`` behaves the same way). Without a seed the layer
draws from torch's global generator, which ``layerwise.utils.set_random_seed`` seeds.
"""

from __future__ import annotations

import numbers
from typing import Any

import torch


def validate_seed(owner: str, seed: Any) -> int | None:
    """``seed`` as an ``int`` (or ``None``); anything else is refused naming the layer.

    Example:
        >>> validate_seed("Dropout", 3), validate_seed("Dropout", None)
        (3, None)
    """
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"`{owner}` argument `seed` must be None or a non-negative integer; received seed={seed!r}.")
    return int(seed)


def validate_noise_shape(owner: str, noise_shape: Any) -> tuple | None:
    """``noise_shape`` as a tuple of positive ints and ``None`` (a size taken from the input).

    Example:
        >>> validate_noise_shape("Dropout", [None, 1, 4])
        (None, 1, 4)
    """
    if noise_shape is None:
        return None
    expected = "None or a tuple of positive integers and None (e.g. (None, 1, 64))"
    if isinstance(noise_shape, (str, bytes)):
        raise ValueError(f"`{owner}` argument `noise_shape` must be {expected}; received noise_shape={noise_shape!r}.")
    try:
        dims = tuple(noise_shape)
    except TypeError:
        raise ValueError(f"`{owner}` argument `noise_shape` must be {expected}; "
                         f"received noise_shape={noise_shape!r}.") from None
    for dim in dims:
        if dim is not None and (isinstance(dim, bool) or not isinstance(dim, numbers.Integral) or dim <= 0):
            raise ValueError(f"`{owner}` argument `noise_shape` must be {expected}; "
                             f"received noise_shape={noise_shape!r}.")
    return tuple(None if d is None else int(d) for d in dims)


def concrete_noise_shape(layer: Any, noise_shape: tuple | None, shape: torch.Size) -> tuple[int, ...]:
    """The shape to draw for an input of ``shape``: ``None`` entries take the input's size.

    The result must broadcast against the input (each entry 1 or the input's size).

    Example:
        >>> import torch, layerwise as keras
        >>> concrete_noise_shape(keras.layers.Dropout(0.5), (None, 1, 4), torch.Size([2, 3, 4]))
        (2, 1, 4)
    """
    if noise_shape is None:
        return tuple(shape)
    if len(noise_shape) != len(shape):
        raise ValueError(f"Layer '{layer.name}' ({type(layer).__name__}) has noise_shape={noise_shape} of rank "
                         f"{len(noise_shape)}, but received an input of rank {len(shape)} (shape {tuple(shape)}).")
    dims = tuple(size if d is None else d for d, size in zip(noise_shape, shape))
    if any(d != 1 and d != size for d, size in zip(dims, shape)):
        raise ValueError(f"Layer '{layer.name}' ({type(layer).__name__}) has noise_shape={noise_shape}, which does "
                         f"not broadcast to the input shape {tuple(shape)}: each entry must be None, 1 or the "
                         "input's size.")
    return dims


class SeededMixin:
    """Gives a layer with a ``seed`` attribute the generator its random draws should use."""

    seed: int | None
    _generator: torch.Generator | None = None

    def _seeded(self, device: torch.device) -> torch.Generator | None:
        """The layer's own generator on ``device`` (``None`` without a seed: the global one)."""
        if self.seed is None:
            return None
        if self._generator is None or self._generator.device != device:
            self._generator = torch.Generator(device=device).manual_seed(int(self.seed))
        return self._generator
