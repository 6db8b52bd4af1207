"""Preprocessing layers: feature scaling, resizing, encoding, lookup, hashing and data augmentation.

Each layer package lists its public layers in ``__all__``; ``layerwise.layers`` re-exports them."""

from layerwise.layers.preprocessing import augmentation
from layerwise.layers.preprocessing.augmentation import *  # noqa: F403
from layerwise.layers.preprocessing.category_encoding import CategoryEncoding
from layerwise.layers.preprocessing.center_crop import CenterCrop
from layerwise.layers.preprocessing.discretization import Discretization
from layerwise.layers.preprocessing.hashing import Hashing
from layerwise.layers.preprocessing.integer_lookup import IntegerLookup
from layerwise.layers.preprocessing.normalization import Normalization
from layerwise.layers.preprocessing.rescaling import Rescaling
from layerwise.layers.preprocessing.resizing import Resizing
from layerwise.layers.preprocessing.string_lookup import StringLookup
from layerwise.layers.preprocessing.text_vectorization import TextVectorization

__all__: list[str] = ["CategoryEncoding", "CenterCrop", "Discretization", "Hashing", "IntegerLookup", "Normalization", "Rescaling", "Resizing", "StringLookup", "TextVectorization"]
__all__ += augmentation.__all__
