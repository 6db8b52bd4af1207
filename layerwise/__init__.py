"""layerwise: Keras 3's public API on the PyTorch engine.

``import layerwise as keras`` and typical Keras code runs unchanged; every layer and model is a
``torch.nn.Module``.
"""

from layerwise.version import __version__
from layerwise import config  # noqa: I001  (config first: everything reads it)
from layerwise import activations, constraints, initializers, ops, regularizers
from layerwise import layers
from layerwise import losses, metrics, optimizers
from layerwise import callbacks, datasets, models, saving, utils
from layerwise import backend, mixed_precision, viz
from layerwise.layers import Input, InputSpec, Layer
from layerwise.losses import Loss
from layerwise.metrics import Metric
from layerwise.models import Functional, Model, Sequential
from layerwise.optimizers import Optimizer
from layerwise.variables import Variable

__all__ = [
    "Functional", "Input", "InputSpec", "Layer", "Loss", "Metric", "Model", "Optimizer", "Sequential", "Variable",
    "__version__", "activations", "backend", "callbacks", "config", "constraints", "datasets", "initializers", "layers",
    "losses", "metrics", "mixed_precision", "models", "ops", "optimizers", "regularizers", "saving", "utils", "viz",
]
