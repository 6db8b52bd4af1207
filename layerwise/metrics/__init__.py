"""``layerwise.metrics``: stateful metrics, metric functions, and ``get`` by identifier.

``get`` accepts Keras 3's class names (``"RootMeanSquaredError"``), their snake-case forms
(``"root_mean_squared_error"``), the metric function names (``"mean_squared_error"``,
``"hinge"``...) and the short names (``"mse"``, ``"mae"``, ``"mape"``, ``"msle"``, ``"bce"``,
``"acc"``). A function name gives the function (``compile`` wraps it in a running mean named
after the string); a class name gives a new instance. Each gives the same values as Keras.
"""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.losses.divergence import kl_divergence, poisson
from layerwise.losses.focal import binary_focal_crossentropy, categorical_focal_crossentropy
from layerwise.losses.hinge import categorical_hinge, hinge, squared_hinge
from layerwise.losses.probabilistic import (
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
)
from layerwise.losses.regression import (
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from layerwise.losses.robust import huber, log_cosh
from layerwise.metrics.accuracy_metrics import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from layerwise.metrics.auc_metrics import AUC
from layerwise.metrics.confusion_matrix import ConfusionMatrix, confusion_matrix
from layerwise.metrics.confusion_metrics import (
    FalseNegatives,
    FalsePositives,
    Precision,
    PrecisionAtRecall,
    Recall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    TrueNegatives,
    TruePositives,
)
from layerwise.metrics.f_score_metrics import F1Score, FBetaScore
from layerwise.metrics.hinge_metrics import CategoricalHinge, Hinge, SquaredHinge
from layerwise.metrics.metric import Metric
from layerwise.metrics.probabilistic_metrics import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
)
from layerwise.metrics.reduction_metrics import Mean, MeanMetricWrapper, Sum
from layerwise.metrics.regression_metrics import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    RootMeanSquaredError,
)
from layerwise.saving.serialization_lib import deserialize_keras_object, get_by_identifier, serialize_keras_object
from layerwise.utils.naming import to_snake_case

_CLASSES = [
    # base
    Mean, MeanMetricWrapper, Sum,
    # regression
    MeanSquaredError, RootMeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, CosineSimilarity, LogCoshError,
    # classification
    Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy, TopKCategoricalAccuracy,
    SparseTopKCategoricalAccuracy, ConfusionMatrix, AUC, TruePositives, FalsePositives, TrueNegatives,
    FalseNegatives, Precision, Recall, SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall,
    RecallAtPrecision, F1Score, FBetaScore,
    # hinge
    Hinge, SquaredHinge, CategoricalHinge,
    # probabilistic
    KLDivergence, Poisson, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
]
_FUNCTIONS = [
    accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, top_k_categorical_accuracy,
    sparse_top_k_categorical_accuracy, mean_squared_error, mean_absolute_error, mean_absolute_percentage_error, mean_squared_logarithmic_error,
    log_cosh, huber, hinge, squared_hinge, categorical_hinge, kl_divergence, poisson, binary_crossentropy,
    binary_focal_crossentropy, categorical_crossentropy, categorical_focal_crossentropy,
    sparse_categorical_crossentropy,
]
# Keras 3's short names (as functions here: see the module docstring) and Keras 2's.
_ALIASES: dict[str, Any] = {
    "mse": mean_squared_error, "MSE": mean_squared_error, "mae": mean_absolute_error, "MAE": mean_absolute_error,
    "mape": mean_absolute_percentage_error, "MAPE": mean_absolute_percentage_error,
    "msle": mean_squared_logarithmic_error, "MSLE": mean_squared_logarithmic_error,
    "bce": binary_crossentropy, "BCE": binary_crossentropy, "acc": accuracy,
    "kld": kl_divergence, "KLD": kl_divergence, "kullback_leibler_divergence": kl_divergence, "logcosh": log_cosh,
}
ALL_OBJECTS: dict[str, Any] = {cls.__name__: cls for cls in _CLASSES + [Metric]}
ALL_OBJECTS.update({fn.__name__: fn for fn in _FUNCTIONS})
ALL_OBJECTS.update(_ALIASES)
# snake-case class names that are not already a function ("root_mean_squared_error", "cosine_similarity")
ALL_OBJECTS.update({to_snake_case(cls.__name__): cls for cls in _CLASSES
                    if to_snake_case(cls.__name__) not in ALL_OBJECTS})

# Keras 2 exposed the short names as module attributes (``keras.metrics.mse``).
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
bce = BCE = binary_crossentropy
logcosh = log_cosh
acc = accuracy


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
        >>> get("root_mean_squared_error").name
        'root_mean_squared_error'
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


__all__ = [c.__name__ for c in _CLASSES] + [f.__name__ for f in _FUNCTIONS] + list(_ALIASES) + [
    "Metric", "confusion_matrix", "get", "serialize", "deserialize"]
