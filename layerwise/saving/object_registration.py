"""Custom objects: ``register_keras_serializable``, ``custom_object_scope`` and lookups.

A saved model names every object it needs. Built-in objects are found through the public
registry (:mod:`layerwise.api_export`); user classes and functions must be registered here, or
passed as ``custom_objects``, before a file that uses them can be loaded.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from layerwise import api_export
from layerwise.api_export import export

_SCOPE = threading.local()


def _scoped_objects() -> dict[str, Any]:
    if not hasattr(_SCOPE, "stack"):
        _SCOPE.stack = []
    merged: dict[str, Any] = {}
    for objects in _SCOPE.stack:
        merged.update(objects)
    return merged


@export("layerwise.saving.register_keras_serializable", "layerwise.utils.register_keras_serializable")
def register_keras_serializable(package: str = "Custom", name: str | None = None) -> Callable:
    """Register a class or function so saved models that use it can be loaded.

    It is stored under ``"package>name"`` (``name`` defaults to the object's ``__name__``). A
    registered class must implement ``get_config`` (or accept no constructor arguments).

    Example:
        >>> import layerwise as keras
        >>> @keras.saving.register_keras_serializable(package="Doc")
        ... def double(x):
        ...     return 2 * x
        >>> keras.saving.get_registered_name(double)
        'Doc>double'
    """
    if not isinstance(package, str) or ">" in package:
        raise ValueError(f"`register_keras_serializable` argument `package` must be a string without '>'; received package={package!r}.")

    def decorator(obj):
        registered = f"{package}>{name or obj.__name__}"
        if isinstance(obj, type) and not hasattr(obj, "get_config"):
            raise ValueError(
                f"Cannot register {obj.__name__}: a registered class must define `get_config()` so its "
                "constructor arguments can be saved."
            )
        api_export.register_custom(registered, obj)
        return obj

    return decorator


@export("layerwise.saving.get_registered_name", "layerwise.utils.get_registered_name")
def get_registered_name(obj: Any) -> str:
    """The name under which ``obj`` is registered (its ``__name__`` if it is not registered).

    Example:
        >>> def plain(x):
        ...     return x
        >>> get_registered_name(plain)
        'plain'
    """
    name = api_export.custom_name(obj)
    if name is not None:
        return name
    return getattr(obj, "__name__", type(obj).__name__)


@export("layerwise.saving.get_registered_object", "layerwise.utils.get_registered_object")
def get_registered_object(name: str, custom_objects: dict | None = None, module_objects: dict | None = None) -> Any:
    """Find an object by name: ``custom_objects``, the active scopes, the registry, then ``module_objects``.

    Example:
        >>> get_registered_object("missing") is None
        True
        >>> get_registered_object("f", custom_objects={"f": len}) is len
        True
    """
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    scoped = _scoped_objects()
    if name in scoped:
        return scoped[name]
    found = api_export.get_custom(name)
    if found is not None:
        return found
    if module_objects and name in module_objects:
        return module_objects[name]
    return None


@export("layerwise.saving.custom_object_scope", "layerwise.utils.custom_object_scope",
        "layerwise.saving.CustomObjectScope", "layerwise.utils.CustomObjectScope")
class CustomObjectScope:
    """Within this ``with`` block, names in ``custom_objects`` resolve during deserialization.

    Example:
        >>> import layerwise as keras
        >>> def triple(x):
        ...     return 3 * x
        >>> with keras.saving.custom_object_scope({"triple": triple}):
        ...     keras.saving.get_registered_object("triple") is triple
        True
    """

    def __init__(self, custom_objects: dict[str, Any] | None = None):
        self.custom_objects = dict(custom_objects or {})

    def __enter__(self) -> "CustomObjectScope":
        if not hasattr(_SCOPE, "stack"):
            _SCOPE.stack = []
        _SCOPE.stack.append(self.custom_objects)
        return self

    def __exit__(self, *exc) -> None:
        _SCOPE.stack.pop()


custom_object_scope = CustomObjectScope


def get_custom_objects() -> dict[str, Any]:
    """A copy of every registered custom object and those of the active scopes.

    Example:
        >>> with CustomObjectScope({"scoped_thing": len}):
        ...     "scoped_thing" in get_custom_objects()
        True
    """
    objects = api_export.custom_items()
    objects.update(_scoped_objects())
    return objects


export("layerwise.saving.get_custom_objects", "layerwise.utils.get_custom_objects")(get_custom_objects)
