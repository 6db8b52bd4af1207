"""Preprocessing layers: feature scaling, resizing, encoding, lookup, hashing and data augmentation.

Each layer package lists its public layers in ``__all__``; ``layerwise.layers`` re-exports them."""

__all__: list[str] = []
