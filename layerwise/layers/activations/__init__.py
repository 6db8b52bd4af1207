"""Activation layers: ReLU, LeakyReLU, PReLU, ELU, Softmax, and Maxout.

Each layer package lists its public layers in ``__all__``; ``layerwise.layers`` re-exports them."""

__all__: list[str] = []
