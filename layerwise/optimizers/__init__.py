"""``layerwise.optimizers``: optimizers with Keras 3's update formulas, schedules, ``get`` by name."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.optimizers import schedules
from layerwise.optimizers.adadelta import Adadelta
from layerwise.optimizers.adagrad import Adagrad
from layerwise.optimizers.adam import Adam
from layerwise.optimizers.adamax import Adamax
from layerwise.optimizers.adamw import AdamW
from layerwise.optimizers.ftrl import Ftrl
from layerwise.optimizers.lion import Lion
from layerwise.optimizers.loss_scale_optimizer import LossScaleOptimizer
from layerwise.optimizers.nadam import Nadam
from layerwise.optimizers.optimizer import Optimizer
from layerwise.optimizers.rmsprop import RMSprop
from layerwise.optimizers.sgd import SGD
from layerwise.saving.serialization_lib import deserialize_keras_object, serialize_keras_object
from layerwise.utils.argument_validation import unknown_identifier

# Keras 3 looks names up case-insensitively: "adamw", "AdamW" and "ADAMW" are all AdamW.
ALL_OBJECTS: dict[str, Any] = {cls.__name__.lower(): cls for cls in (
    Adadelta, Adagrad, Adam, Adamax, AdamW, Ftrl, Lion, Nadam, RMSprop, SGD)}


@export("layerwise.optimizers.get")
def get(identifier: Any) -> Optimizer:
    """An optimizer from a name (``"adam"``), a config dict, or an optimizer instance.

    Example:
        >>> type(get("adam")).__name__
        'Adam'
        >>> type(get("AdamW")).__name__
        'AdamW'
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        cls = ALL_OBJECTS.get(identifier.lower())
        if cls is None:
            raise unknown_identifier("optimizer", identifier, ALL_OBJECTS)
        return cls()
    if isinstance(identifier, dict):
        return deserialize_keras_object(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Optimizer):
        return identifier()
    raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}; expected a name such as 'adam', "
                     "a config dict or an `Optimizer` instance.")


@export("layerwise.optimizers.serialize")
def serialize(optimizer: Optimizer) -> dict:
    """The config of an optimizer.

    Example:
        >>> serialize(get("sgd"))["class_name"]
        'SGD'
    """
    return serialize_keras_object(optimizer)


@export("layerwise.optimizers.deserialize")
def deserialize(config: dict, custom_objects: dict | None = None) -> Optimizer:
    """An optimizer from its config.

    Example:
        >>> type(deserialize(serialize(get("nadam")))).__name__
        'Nadam'
    """
    return deserialize_keras_object(config, custom_objects)


__all__ = ["Adadelta", "Adagrad", "Adam", "Adamax", "AdamW", "Ftrl", "Lion", "LossScaleOptimizer", "Nadam", "Optimizer", "RMSprop", "SGD",
           "deserialize", "get", "schedules", "serialize"]
