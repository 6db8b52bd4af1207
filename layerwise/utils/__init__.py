"""``layerwise.utils``: seeds, one-hot encoding, normalisation, progress bars, serialization helpers.

Submodules here are imported by the core; this file stays free of imports that would pull the
graph or layers in (``is_keras_tensor`` is resolved on first use).
"""

from layerwise.utils.dataset_utils import ArrayDataset, split_dataset
from layerwise.utils.numerical_utils import normalize, to_categorical
from layerwise.utils.progbar import Progbar
from layerwise.utils.rng_utils import set_random_seed
from layerwise.utils.sequence_utils import pad_sequences

# The plots live in ``layerwise.viz``; Keras users find them here (``keras.utils.plot_model``).
_VIZ_NAMES = ("model_to_dot", "plot_activations", "plot_confusion_matrix", "plot_decision_boundary",
              "plot_history", "plot_images", "plot_model")

__all__ = ["ArrayDataset", "Progbar", "is_keras_tensor", "normalize", "pad_sequences", "set_random_seed",
           "split_dataset", "to_categorical", *_VIZ_NAMES]


def __getattr__(name):
    if name == "is_keras_tensor":
        from layerwise.graph.keras_tensor import is_keras_tensor

        return is_keras_tensor
    if name in _VIZ_NAMES:
        from layerwise import viz

        return getattr(viz, name)
    raise AttributeError(f"module 'layerwise.utils' has no attribute {name!r}")
