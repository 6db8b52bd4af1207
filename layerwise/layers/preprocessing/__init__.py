"""Preprocessing layers: feature scaling, resizing, encoding, lookup, hashing and data augmentation.

Each layer package lists its public layers in ``__all__``; ``layerwise.layers`` re-exports them."""

from layerwise.layers.preprocessing.category_encoding import CategoryEncoding
from layerwise.layers.preprocessing.center_crop import CenterCrop
from layerwise.layers.preprocessing.discretization import Discretization
from layerwise.layers.preprocessing.normalization import Normalization
from layerwise.layers.preprocessing.rescaling import Rescaling
from layerwise.layers.preprocessing.resizing import Resizing

__all__: list[str] = ["CategoryEncoding", "CenterCrop", "Discretization", "Normalization", "Rescaling", "Resizing"]
