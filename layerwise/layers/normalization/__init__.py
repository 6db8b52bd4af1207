"""Normalization layers: BatchNormalization, LayerNormalization, GroupNormalization, UnitNormalization.

Each layer package lists its public layers in ``__all__``; ``layerwise.layers`` re-exports them."""

__all__: list[str] = []
