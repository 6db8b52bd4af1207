"""``Permute``: reorder the non-batch axes."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.layer import Layer


@export("layerwise.layers.Permute")
class Permute(Layer):
    """Permutes the axes of each sample; ``dims`` counts from 1 (the batch axis is 0 and stays).

    Args:
        dims: a permutation of ``1 .. rank-1``, e.g. ``(2, 1)`` swaps the two axes of a sequence.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.Permute((2, 1))(torch.zeros(4, 10, 64)).shape
        torch.Size([4, 64, 10])
    """

    def __init__(self, dims: Any, **kwargs):
        super().__init__(**kwargs)
        dims = tuple(int(d) for d in dims)
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(
                "`Permute` argument `dims` must be a permutation of the axes 1.."
                f"{len(dims)} (the batch axis 0 is not included); received dims={dims}."
            )
        self.dims = dims
        self.input_spec = InputSpec(ndim=len(dims) + 1)
        self.built = True

    def call(self, inputs):
        return inputs.permute(0, *self.dims)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self) -> dict:
        return {**super().get_config(), "dims": list(self.dims)}
