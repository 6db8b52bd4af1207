"""Weight initializers (Keras 3 names, defaults and formulas), and ``get`` by identifier."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.initializers.constant_initializers import Constant, Identity, Ones, Zeros
from layerwise.initializers.initializer import Initializer
from layerwise.initializers.random_initializers import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    Orthogonal,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
    compute_fans,
)
from layerwise.saving.serialization_lib import deserialize_keras_object, get_by_identifier, serialize_keras_object
from layerwise.utils.naming import to_snake_case

_CLASSES = [
    Constant, Identity, Ones, Zeros, GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal,
    LecunUniform, Orthogonal, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling,
]
ALL_OBJECTS: dict[str, Any] = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS.update({to_snake_case(cls.__name__): cls for cls in _CLASSES})
# Aliases Keras accepts, the Keras-2 "uniform" among them.
ALL_OBJECTS.update({"uniform": RandomUniform, "normal": RandomNormal, "zero": Zeros, "one": Ones,
                    "IdentityInitializer": Identity, "OrthogonalInitializer": Orthogonal})


@export("layerwise.initializers.get")
def get(identifier: Any) -> Any:
    """An initializer from a name (``"glorot_uniform"``), a config dict, a class or a callable.

    Example:
        >>> type(get("he_normal")).__name__
        'HeNormal'
    """
    if identifier is None:
        return None
    return get_by_identifier(identifier, "initializer", ALL_OBJECTS)


@export("layerwise.initializers.serialize")
def serialize(initializer: Any) -> Any:
    """The config of an initializer."""
    return serialize_keras_object(initializer)


@export("layerwise.initializers.deserialize")
def deserialize(config: Any, custom_objects: dict | None = None) -> Any:
    """An initializer from its config."""
    return deserialize_keras_object(config, custom_objects)


__all__ = [c.__name__ for c in _CLASSES] + ["Initializer", "compute_fans", "get", "serialize", "deserialize"]
