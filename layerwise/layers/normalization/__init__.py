"""Normalization layers: BatchNormalization, LayerNormalization, GroupNormalization, UnitNormalization.

Each layer package lists its public layers in ``__all__``; ``layerwise.layers`` re-exports them."""

from layerwise.layers.normalization.batch_normalization import BatchNormalization
from layerwise.layers.normalization.group_normalization import GroupNormalization
from layerwise.layers.normalization.layer_normalization import LayerNormalization
from layerwise.layers.normalization.unit_normalization import UnitNormalization

__all__: list[str] = ["BatchNormalization", "GroupNormalization", "LayerNormalization", "UnitNormalization"]
