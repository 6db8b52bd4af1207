"""``layerwise.layers``: every layer, by its Keras name.

Each sub-package (``core``, ``convolutional``, ``pooling``...) lists its public layers in its own
``__all__``; this module re-exports them all, so adding a layer touches only its own package.
"""

from layerwise.layers import (
    convolutional,
    core,
    merging,
    pooling,
    regularization,
    reshaping,
)
from layerwise.layers.convolutional import *  # noqa: F403
from layerwise.layers.core import *  # noqa: F403
from layerwise.layers.input_spec import InputSpec as InputSpec
from layerwise.layers.layer import Layer as Layer
from layerwise.layers.merging import *  # noqa: F403
from layerwise.layers.pooling import *  # noqa: F403
from layerwise.layers.regularization import *  # noqa: F403
from layerwise.layers.reshaping import *  # noqa: F403

__all__ = sorted(
    ["InputSpec", "Layer"]
    + [name for package in (convolutional, core, merging, pooling, regularization, reshaping) for name in package.__all__]
)
