"""Layers that change shapes without weights: Flatten, Reshape, Permute, RepeatVector.

Each layer package lists its public layers in ``__all__``; ``layerwise.layers`` re-exports them."""


from layerwise.layers.reshaping.flatten import Flatten
from layerwise.layers.reshaping.permute import Permute
from layerwise.layers.reshaping.repeat_vector import RepeatVector
from layerwise.layers.reshaping.reshape import Reshape

__all__ = ["Flatten", "Permute", "RepeatVector", "Reshape"]
