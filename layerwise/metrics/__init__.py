"""``layerwise.metrics``: stateful metrics, metric functions, and ``get`` by identifier."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.losses.probabilistic import (
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
)
from layerwise.losses.regression import mean_absolute_error, mean_squared_error
from layerwise.metrics.accuracy_metrics import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
)
from layerwise.metrics.confusion_matrix import ConfusionMatrix, confusion_matrix
from layerwise.metrics.metric import Metric
from layerwise.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum
from layerwise.saving.serialization_lib import deserialize_keras_object, get_by_identifier, serialize_keras_object
from layerwise.utils.naming import to_snake_case

_CLASSES = [Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, ConfusionMatrix, Mean,
            MeanMetricWrapper, Sum]
_FUNCTIONS = [accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, mean_squared_error,
              mean_absolute_error, binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy]
ALL_OBJECTS: dict[str, Any] = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS.update({fn.__name__: fn for fn in _FUNCTIONS})
ALL_OBJECTS.update({"mse": mean_squared_error, "mae": mean_absolute_error, "MSE": mean_squared_error,
                    "MAE": mean_absolute_error, "acc": accuracy})
ALL_OBJECTS.update({to_snake_case(cls.__name__): cls for cls in _CLASSES
                    if to_snake_case(cls.__name__) not in ALL_OBJECTS})


def _default_module(config: Any) -> Any:
    """A config without ``module`` naming one of this module's classes resolves here (as in Keras)."""
    if (isinstance(config, dict) and not config.get("module") and isinstance(config.get("class_name"), str)
            and config["class_name"] in {c.__name__ for c in _CLASSES} and "config" in config):
        return {**config, "module": "layerwise.metrics"}
    return config


@export("layerwise.metrics.get")
def get(identifier: Any) -> Any:
    """A metric (object or function) from a name, a config, or a callable.

    Example:
        >>> get("mae").__name__
        'mean_absolute_error'
    """
    if identifier is None:
        return None
    return get_by_identifier(_default_module(identifier), "metric", ALL_OBJECTS, instantiate_classes=True)


@export("layerwise.metrics.serialize")
def serialize(metric: Any) -> Any:
    """The config of a metric.

    Example:
        >>> serialize(Accuracy())["config"]
        {'name': 'accuracy', 'dtype': 'float32'}
    """
    return serialize_keras_object(metric)


@export("layerwise.metrics.deserialize")
def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """A metric from its config.

    Example:
        >>> deserialize(serialize(Mean(name="avg"))).name
        'avg'
    """
    return deserialize_keras_object(_default_module(config), custom_objects)


__all__ = [c.__name__ for c in _CLASSES] + [f.__name__ for f in _FUNCTIONS] + [
    "Metric", "confusion_matrix", "get", "serialize", "deserialize"]
