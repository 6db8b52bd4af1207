"""Layers that regularise: dropout and its spatial, Gaussian and alpha relatives, Gaussian noise,
and activity penalties. All of them are the identity at inference.

Each layer package lists its public layers in ``__all__``; ``layerwise.layers`` re-exports them."""


from layerwise.layers.regularization.activity_regularization import (
           ActivityRegularization,
)
from layerwise.layers.regularization.alpha_dropout import AlphaDropout
from layerwise.layers.regularization.dropout import Dropout
from layerwise.layers.regularization.gaussian_dropout import GaussianDropout
from layerwise.layers.regularization.gaussian_noise import GaussianNoise
from layerwise.layers.regularization.spatial_dropout import (
           SpatialDropout1D,
           SpatialDropout2D,
           SpatialDropout3D,
)

__all__ = ["ActivityRegularization", "AlphaDropout", "Dropout", "GaussianDropout", "GaussianNoise",
           "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"]
