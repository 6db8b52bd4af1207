"""``layerwise.layers``: every layer, by its Keras name.

Each sub-package (``core``, ``convolutional``, ``pooling``...) lists its public layers in its own
``__all__``; this module re-exports them all, so adding a layer touches only its own package.
"""

from layerwise.layers import (
    activations,
    convolutional,
    core,
    merging,
    normalization,
    pooling,
    preprocessing,
    regularization,
    reshaping,
    rnn,
)
from layerwise.layers.activations import *  # noqa: F403
from layerwise.layers.convolutional import *  # noqa: F403
from layerwise.layers.core import *  # noqa: F403
from layerwise.layers.input_spec import InputSpec as InputSpec
from layerwise.layers.layer import Layer as Layer
from layerwise.layers.merging import *  # noqa: F403
from layerwise.layers.normalization import *  # noqa: F403
from layerwise.layers.pooling import *  # noqa: F403
from layerwise.layers.preprocessing import *  # noqa: F403
from layerwise.layers.regularization import *  # noqa: F403
from layerwise.layers.reshaping import *  # noqa: F403
from layerwise.layers.rnn import *  # noqa: F403

_FAMILIES = (activations, convolutional, core, merging, normalization, pooling, preprocessing, regularization, reshaping,
             rnn)
__all__ = sorted(["InputSpec", "Layer"] + [name for family in _FAMILIES for name in family.__all__])
