"""``Reshape``: give each sample a new shape with the same number of elements."""

from __future__ import annotations

import math
from typing import Any

from layerwise.api_export import export
from layerwise.layers.layer import Layer


@export("layerwise.layers.Reshape")
class Reshape(Layer):
    """Reshapes each sample to ``target_shape`` (one entry may be ``-1``, inferred).

    Args:
        target_shape: the new shape of one sample, without the batch axis.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.Reshape((3, -1))(torch.zeros(2, 12)).shape
        torch.Size([2, 3, 4])
    """

    def __init__(self, target_shape: Any, **kwargs):
        super().__init__(**kwargs)
        try:
            target = tuple(int(d) for d in target_shape)
        except (TypeError, ValueError):
            raise ValueError(f"`Reshape` argument `target_shape` must be a tuple of ints; received target_shape={target_shape!r}.") from None
        if sum(1 for d in target if d == -1) > 1 or any(d == 0 or d < -1 for d in target):
            raise ValueError(
                "`Reshape` argument `target_shape` must hold positive sizes and at most one -1; "
                f"received target_shape={target_shape!r}."
            )
        self.target_shape = target
        self.built = True

    def _resolve(self, input_shape: tuple) -> tuple:
        rest = input_shape[1:]
        known = math.prod(d for d in self.target_shape if d != -1)
        if any(d is None for d in rest):
            if -1 in self.target_shape:
                return tuple(None if d == -1 else d for d in self.target_shape)
            return self.target_shape
        total = math.prod(rest)
        if -1 in self.target_shape:
            if total % known:
                raise self._mismatch(input_shape)
            return tuple(total // known if d == -1 else d for d in self.target_shape)
        if total != known:
            raise self._mismatch(input_shape)
        return self.target_shape

    def _mismatch(self, input_shape: tuple) -> ValueError:
        return ValueError(
            f"Layer '{self.name}' (Reshape) cannot reshape samples of shape {tuple(input_shape[1:])} "
            f"({math.prod(d for d in input_shape[1:] if d is not None)} elements) into target_shape "
            f"{self.target_shape}: the number of elements must stay the same."
        )

    def call(self, inputs):
        target = self._resolve(tuple(inputs.shape))
        return inputs.reshape((inputs.shape[0],) + target)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + self._resolve(tuple(input_shape))

    def get_config(self) -> dict:
        return {**super().get_config(), "target_shape": list(self.target_shape)}
