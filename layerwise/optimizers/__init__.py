"""``layerwise.optimizers``: optimizers with Keras 3's update formulas, schedules, ``get`` by name."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.optimizers import schedules
from layerwise.optimizers.adam import Adam
from layerwise.optimizers.optimizer import Optimizer
from layerwise.optimizers.rmsprop import RMSprop
from layerwise.optimizers.sgd import SGD
from layerwise.saving.serialization_lib import deserialize_keras_object, serialize_keras_object
from layerwise.utils.argument_validation import unknown_identifier

ALL_OBJECTS: dict[str, Any] = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop, "SGD": SGD, "Adam": Adam,
                               "RMSprop": RMSprop}


@export("layerwise.optimizers.get")
def get(identifier: Any) -> Optimizer:
    """An optimizer from a name (``"adam"``), a config dict, or an optimizer instance.

    Example:
        >>> type(get("adam")).__name__
        'Adam'
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        cls = ALL_OBJECTS.get(identifier) or ALL_OBJECTS.get(identifier.lower())
        if cls is None:
            raise unknown_identifier("optimizer", identifier, [k for k in ALL_OBJECTS if k.islower()])
        return cls()
    if isinstance(identifier, dict):
        return deserialize_keras_object(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Optimizer):
        return identifier()
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}.")


@export("layerwise.optimizers.serialize")
def serialize(optimizer: Optimizer) -> dict:
    """The config of an optimizer."""
    return serialize_keras_object(optimizer)


@export("layerwise.optimizers.deserialize")
def deserialize(config: dict, custom_objects: dict | None = None) -> Optimizer:
    """An optimizer from its config."""
    return deserialize_keras_object(config, custom_objects)


__all__ = ["Adam", "Optimizer", "RMSprop", "SGD", "deserialize", "get", "schedules", "serialize"]
