"""Activation layers: ReLU, LeakyReLU, PReLU, ELU, Softmax, and Maxout.

Each layer package lists its public layers in ``__all__``; ``layerwise.layers`` re-exports them."""

from layerwise.layers.activations.elu import ELU
from layerwise.layers.activations.leaky_relu import LeakyReLU
from layerwise.layers.activations.maxout import Maxout
from layerwise.layers.activations.prelu import PReLU
from layerwise.layers.activations.relu import ReLU
from layerwise.layers.activations.softmax import Softmax

__all__ = ["ELU", "LeakyReLU", "Maxout", "PReLU", "ReLU", "Softmax"]
