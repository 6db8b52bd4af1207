"""Saving and loading: model files, weights files, and the object (de)serialization they use."""

from layerwise.saving.object_registration import (
    CustomObjectScope,
    custom_object_scope,
    get_custom_objects,
    get_registered_name,
    get_registered_object,
    register_keras_serializable,
)
from layerwise.saving.serialization_lib import deserialize_keras_object, serialize_keras_object

__all__ = [
    "CustomObjectScope",
    "custom_object_scope",
    "deserialize_keras_object",
    "get_custom_objects",
    "get_registered_name",
    "get_registered_object",
    "load_model",
    "load_weights",
    "register_keras_serializable",
    "save_model",
    "save_weights",
    "serialize_keras_object",
]


def __getattr__(name):
    # The file-level API imports models, which import this package: load it on first use.
    if name in ("save_model", "load_model", "save_weights", "load_weights"):
        from layerwise.saving import saving_api

        return getattr(saving_api, name)
    raise AttributeError(f"module 'layerwise.saving' has no attribute {name!r}")
