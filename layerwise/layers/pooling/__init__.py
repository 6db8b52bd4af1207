"""Pooling layers: ``BasePooling`` holds the logic; max, average and min pooling are siblings.

Each layer package lists its public layers in ``__all__``; ``layerwise.layers`` re-exports them."""


from layerwise.layers.pooling.max_pooling2d import MaxPooling2D

__all__ = ["MaxPooling2D"]
