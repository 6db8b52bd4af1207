"""``layerwise.losses``: loss classes, loss functions, and ``get`` by identifier.

Families: ``regression`` (squared, absolute, percentage, log errors), ``robust`` (Huber,
log-cosh), ``similarity`` (cosine, Dice), ``probabilistic`` (cross-entropies), ``focal``,
``divergence`` (KL, Poisson), ``hinge``, and ``ours`` (Jensen-Shannon, Wasserstein: beyond Keras).
"""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.losses.divergence import KLDivergence, Poisson, kl_divergence, poisson
from layerwise.losses.focal import (
    BinaryFocalCrossentropy,
    CategoricalFocalCrossentropy,
    binary_focal_crossentropy,
    categorical_focal_crossentropy,
)
from layerwise.losses.hinge import CategoricalHinge, Hinge, SquaredHinge, categorical_hinge, hinge, squared_hinge
from layerwise.losses.loss import Loss, LossFunctionWrapper, reduce_weighted_values
from layerwise.losses.ours import JSDivergence, Wasserstein, js_divergence, wasserstein
from layerwise.losses.probabilistic import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
)
from layerwise.losses.regression import (
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from layerwise.losses.robust import Huber, LogCosh, huber, log_cosh
from layerwise.losses.similarity import CosineSimilarity, Dice, cosine_similarity, dice
from layerwise.saving.serialization_lib import deserialize_keras_object, get_by_identifier, serialize_keras_object
from layerwise.utils.naming import to_snake_case

_CLASSES = [
    MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, MeanSquaredLogarithmicError, CosineSimilarity,
    Huber, LogCosh, Dice, BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalCrossentropy,
    CategoricalFocalCrossentropy, SparseCategoricalCrossentropy, KLDivergence, Poisson, Hinge, SquaredHinge,
    CategoricalHinge, JSDivergence, Wasserstein,
]
_FUNCTIONS = [
    mean_squared_error, mean_absolute_error, mean_absolute_percentage_error, mean_squared_logarithmic_error,
    cosine_similarity, huber, log_cosh, dice, binary_crossentropy, binary_focal_crossentropy,
    categorical_crossentropy, categorical_focal_crossentropy, sparse_categorical_crossentropy, kl_divergence, poisson,
    hinge, squared_hinge, categorical_hinge, js_divergence, wasserstein,
]
# Keras 3's short names, plus Keras 2's (``logcosh``, ``huber_loss``, ``kullback_leibler_divergence``).
_ALIASES: dict[str, Any] = {
    "mse": mean_squared_error, "MSE": mean_squared_error, "mae": mean_absolute_error, "MAE": mean_absolute_error,
    "mape": mean_absolute_percentage_error, "MAPE": mean_absolute_percentage_error,
    "msle": mean_squared_logarithmic_error, "MSLE": mean_squared_logarithmic_error,
    "kld": kl_divergence, "KLD": kl_divergence, "kullback_leibler_divergence": kl_divergence,
    "bce": binary_crossentropy, "BCE": binary_crossentropy, "logcosh": log_cosh, "huber_loss": huber,
    "jsd": js_divergence,
}
ALL_OBJECTS: dict[str, Any] = {cls.__name__: cls for cls in _CLASSES + [Loss, LossFunctionWrapper]}
ALL_OBJECTS.update({fn.__name__: fn for fn in _FUNCTIONS})
ALL_OBJECTS.update(_ALIASES)
# snake-case class names that are not already a function ("binary_crossentropy" is the function)
ALL_OBJECTS.update({to_snake_case(cls.__name__): cls for cls in _CLASSES if to_snake_case(cls.__name__) not in ALL_OBJECTS})

# Keras 2 exposed the short names as module attributes (``keras.losses.mse``).
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
bce = BCE = binary_crossentropy
logcosh = log_cosh
huber_loss = huber
jsd = js_divergence


def _default_module(config: Any) -> Any:
    """A config without ``module`` naming one of this module's classes resolves here (as in Keras)."""
    if (isinstance(config, dict) and not config.get("module") and isinstance(config.get("class_name"), str)
            and config["class_name"] in {c.__name__ for c in _CLASSES} and "config" in config):
        return {**config, "module": "layerwise.losses"}
    return config


@export("layerwise.losses.get")
def get(identifier: Any) -> Any:
    """A loss from a name (``"mse"``, ``"sparse_categorical_crossentropy"``), a config, or a callable.

    Function names give the function; class names (``"Huber"``) give a new instance.

    Example:
        >>> get("mse").__name__
        'mean_squared_error'
        >>> get("Huber").delta
        1.0
    """
    if identifier is None:
        return None
    return get_by_identifier(_default_module(identifier), "loss", ALL_OBJECTS)


@export("layerwise.losses.serialize")
def serialize(loss: Any) -> Any:
    """The config of a loss.

    Example:
        >>> serialize(MeanSquaredError())["class_name"]
        'MeanSquaredError'
    """
    return serialize_keras_object(loss)


@export("layerwise.losses.deserialize")
def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """A loss from its config.

    Example:
        >>> type(deserialize(serialize(BinaryCrossentropy(from_logits=True)))).__name__
        'BinaryCrossentropy'
    """
    return deserialize_keras_object(_default_module(config), custom_objects)


__all__ = [c.__name__ for c in _CLASSES] + [f.__name__ for f in _FUNCTIONS] + list(_ALIASES) + [
    "Loss", "LossFunctionWrapper", "reduce_weighted_values", "get", "serialize", "deserialize"]
