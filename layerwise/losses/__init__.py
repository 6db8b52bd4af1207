"""``layerwise.losses``: loss classes, loss functions, and ``get`` by identifier."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.losses.loss import Loss, LossFunctionWrapper, reduce_weighted_values
from layerwise.losses.probabilistic import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
)
from layerwise.losses.regression import MeanAbsoluteError, MeanSquaredError, mean_absolute_error, mean_squared_error
from layerwise.saving.serialization_lib import deserialize_keras_object, get_by_identifier, serialize_keras_object
from layerwise.utils.naming import to_snake_case

_CLASSES = [BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, MeanAbsoluteError,
            MeanSquaredError]
_FUNCTIONS = [binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy, mean_absolute_error,
              mean_squared_error]
ALL_OBJECTS: dict[str, Any] = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS.update({fn.__name__: fn for fn in _FUNCTIONS})
ALL_OBJECTS.update({"mse": mean_squared_error, "mae": mean_absolute_error, "MSE": mean_squared_error,
                    "MAE": mean_absolute_error})
# snake-case class names ("binary_crossentropy" is already the function)
ALL_OBJECTS.update({to_snake_case(cls.__name__): cls for cls in _CLASSES if to_snake_case(cls.__name__) not in ALL_OBJECTS})


def _default_module(config: Any) -> Any:
    """A config without ``module`` naming one of this module's classes resolves here (as in Keras)."""
    if (isinstance(config, dict) and not config.get("module") and isinstance(config.get("class_name"), str)
            and config["class_name"] in {c.__name__ for c in _CLASSES} and "config" in config):
        return {**config, "module": "layerwise.losses"}
    return config


@export("layerwise.losses.get")
def get(identifier: Any) -> Any:
    """A loss from a name (``"mse"``, ``"sparse_categorical_crossentropy"``), a config, or a callable.

    Example:
        >>> get("mse").__name__
        'mean_squared_error'
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


__all__ = [c.__name__ for c in _CLASSES] + [f.__name__ for f in _FUNCTIONS] + [
    "Loss", "LossFunctionWrapper", "reduce_weighted_values", "get", "serialize", "deserialize"]
