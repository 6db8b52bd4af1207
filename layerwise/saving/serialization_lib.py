"""Objects to JSON-ready configs and back, by registered name only.

The format follows Keras 3's: ``{"module", "class_name", "config", "registered_name"}``. A config
written by Keras itself (``"module": "keras.layers"``) resolves to the layerwise class of the
same name. Deserialization instantiates only registered classes; Python code stored in a config
(a ``Lambda`` layer's function) is refused unless ``safe_mode=False``.
"""

from __future__ import annotations

import inspect
import threading
import types
from typing import Any

import numpy as np
import torch

from layerwise import api_export
from layerwise.api_export import export
from layerwise.saving import object_registration

_SAFE_MODE = threading.local()


def in_safe_mode() -> bool:
    """False only inside ``load_model(..., safe_mode=False)`` (or ``enable_unsafe_deserialization``)."""
    return getattr(_SAFE_MODE, "value", True)


class SafeModeScope:
    """Set the safe-mode flag for the duration of a ``with`` block."""

    def __init__(self, safe_mode: bool = True):
        self.safe_mode = safe_mode

    def __enter__(self):
        self.previous = in_safe_mode()
        _SAFE_MODE.value = self.safe_mode
        return self

    def __exit__(self, *exc):
        _SAFE_MODE.value = self.previous


@export("layerwise.config.enable_unsafe_deserialization")
def enable_unsafe_deserialization() -> None:
    """Allow loading Python code stored in configs (``Lambda`` layers) for the rest of the process."""
    _SAFE_MODE.value = False


@export("layerwise.saving.serialize_keras_object", "layerwise.utils.serialize_keras_object")
def serialize_keras_object(obj: Any) -> Any:
    """A JSON-ready description of ``obj``.

    Example:
        >>> import layerwise as keras
        >>> keras.saving.serialize_keras_object(keras.initializers.Constant(2.0))
        {'module': 'layerwise.initializers', 'class_name': 'Constant', 'config': {'value': 2.0}, 'registered_name': None}
    """
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, (np.integer, np.floating, np.bool_)):
        return obj.item()
    if isinstance(obj, torch.dtype):
        return str(obj).replace("torch.", "")
    if isinstance(obj, np.dtype):
        return obj.name
    if isinstance(obj, tuple):
        return {"class_name": "__tuple__", "config": {"value": [serialize_keras_object(v) for v in obj]}}
    if isinstance(obj, list):
        return [serialize_keras_object(v) for v in obj]
    if isinstance(obj, dict):
        return {str(k): serialize_keras_object(v) for k, v in obj.items()}
    if isinstance(obj, slice):
        return {"class_name": "__slice__", "config": {"start": obj.start, "stop": obj.stop, "step": obj.step}}
    if isinstance(obj, (np.ndarray, torch.Tensor)):
        array = obj.detach().cpu().numpy() if isinstance(obj, torch.Tensor) else obj
        return {"class_name": "__numpy__", "config": {"value": array.tolist(), "dtype": array.dtype.name}}
    if isinstance(obj, (types.FunctionType, types.BuiltinFunctionType)) or (callable(obj) and not hasattr(obj, "get_config")):
        return _serialize_function(obj)
    if hasattr(obj, "get_config"):
        cls = type(obj)
        registered = api_export.custom_name(cls)
        path = api_export.canonical_path(cls)
        module, _, class_name = (path.rpartition(".") if path else (cls.__module__, "", cls.__name__))
        config = obj.get_config()
        return {
            "module": module,
            "class_name": class_name,
            "config": serialize_keras_object(config) if not _is_plain(config) else config,
            "registered_name": registered,
        }
    raise TypeError(
        f"Cannot serialize {obj!r} (type {type(obj).__name__}): an object saved in a config must be a "
        "plain value, a registered function, or a class with `get_config()`."
    )


def _is_plain(value: Any) -> bool:
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    if isinstance(value, list):
        return all(_is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_plain(v) for k, v in value.items())
    return False


def _serialize_function(fn: Any) -> dict:
    registered = api_export.custom_name(fn)
    path = api_export.canonical_path(fn)
    if registered is None and path is None:
        name = getattr(fn, "__name__", repr(fn))
        raise TypeError(
            f"Cannot serialize function {name!r}: it is neither a layerwise function nor registered. "
            "Decorate it with `@layerwise.saving.register_keras_serializable()`."
        )
    module, _, name = path.rpartition(".") if path else ("", "", registered)
    return {"module": module, "class_name": "function", "config": name, "registered_name": registered}


def _resolve(module: str | None, class_name: str, registered_name: str | None, custom_objects: dict | None) -> Any:
    for key in (registered_name, class_name):
        if key:
            found = object_registration.get_registered_object(key, custom_objects)
            if found is not None:
                return found
    if module:
        if module == "keras" or module.startswith("keras."):
            module = "layerwise" + module[len("keras"):]
        found = api_export.get_public(f"{module}.{class_name}")
        if found is not None:
            return found
        # Keras writes some objects under a submodule path (keras.src...) or under a module alias.
        for path, obj in api_export.public_items():
            if path.rpartition(".")[2] == class_name and path.startswith(module.split(".src")[0]):
                return obj
    return None


@export("layerwise.saving.deserialize_keras_object", "layerwise.utils.deserialize_keras_object")
def deserialize_keras_object(config: Any, custom_objects: dict | None = None, safe_mode: bool = True, **kwargs) -> Any:
    """Rebuild an object from :func:`serialize_keras_object`'s output.

    Example:
        >>> import layerwise as keras
        >>> init = keras.saving.deserialize_keras_object(
        ...     {"module": "keras.initializers", "class_name": "Constant", "config": {"value": 2.0}})
        >>> type(init).__name__, init.value
        ('Constant', 2.0)
    """
    if config is None or isinstance(config, (bool, int, float, str)):
        return config
    if isinstance(config, list):
        return [deserialize_keras_object(v, custom_objects, safe_mode) for v in config]
    if not isinstance(config, dict):
        raise TypeError(f"Cannot deserialize {config!r}: expected a dict, a list or a plain value.")
    if "class_name" not in config or "config" not in config:
        return {k: deserialize_keras_object(v, custom_objects, safe_mode) for k, v in config.items()}
    class_name = config["class_name"]
    inner = config["config"]
    if class_name == "__tuple__":
        return tuple(deserialize_keras_object(v, custom_objects, safe_mode) for v in inner["value"])
    if class_name == "__slice__":
        return slice(inner["start"], inner["stop"], inner["step"])
    if class_name == "__numpy__":
        return np.array(inner["value"], dtype=inner["dtype"])
    if class_name == "__bytes__":
        return inner["value"].encode("utf-8")
    module = config.get("module")
    registered_name = config.get("registered_name")
    if class_name == "function":
        fn = _resolve(module, inner, registered_name, custom_objects)
        if fn is None:
            raise ValueError(
                f"Could not locate function {registered_name or inner!r}. A custom function must be "
                "passed in `custom_objects` or decorated with `@layerwise.saving.register_keras_serializable()`."
            )
        return fn
    cls = _resolve(module, class_name, registered_name, custom_objects)
    if cls is None:
        raise ValueError(
            f"Could not locate class {registered_name or class_name!r} (module {module!r}). A custom class "
            "must be passed in `custom_objects` or decorated with "
            "`@layerwise.saving.register_keras_serializable()`. Full object config: "
            f"{_truncate(config)}"
        )
    with object_registration.CustomObjectScope(custom_objects or {}), SafeModeScope(safe_mode and in_safe_mode()):
        if hasattr(cls, "from_config"):
            instance = cls.from_config(inner)
        elif inspect.isclass(cls):
            instance = cls(**inner)
        else:
            raise TypeError(f"Registered object {class_name!r} is not a class with `from_config`.")
        if isinstance(config.get("build_config"), dict) and hasattr(instance, "build_from_config"):
            instance.build_from_config(config["build_config"])
        if isinstance(config.get("compile_config"), dict) and hasattr(instance, "compile_from_config"):
            instance.compile_from_config(config["compile_config"])
    return instance


def _truncate(value: Any, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def get_by_identifier(identifier: Any, kind: str, module_objects: dict[str, Any], instantiate_classes: bool = True) -> Any:
    """Shared body of ``activations.get``, ``initializers.get`` and friends.

    Strings are looked up in ``module_objects`` (then the custom registry); dicts are
    deserialized; callables are returned as they are; classes are instantiated with no arguments.
    """
    from layerwise.utils.argument_validation import unknown_identifier

    if isinstance(identifier, str):
        obj = module_objects.get(identifier)
        if obj is None:
            obj = object_registration.get_registered_object(identifier)
        if obj is None:
            raise unknown_identifier(kind, identifier, module_objects.keys())
    elif isinstance(identifier, dict):
        obj = deserialize_keras_object(identifier)
    else:
        obj = identifier
    if instantiate_classes and inspect.isclass(obj):
        obj = obj()
    if not callable(obj):
        raise TypeError(f"Could not interpret {kind} identifier {identifier!r}: expected a string, a dict or a callable.")
    return obj
