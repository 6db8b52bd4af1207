"""Layers that regularise by noise: Dropout (and, later, its spatial and Gaussian relatives).

Each layer package lists its public layers in ``__all__``; ``layerwise.layers`` re-exports them."""


from layerwise.layers.regularization.dropout import Dropout

__all__ = ["Dropout"]
