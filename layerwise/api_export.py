"""One registry for public names and serialization names.

``@export("layerwise.layers.Dense")`` does two things at once: it records the public path of the
object (so ``tests/test_common.py`` can walk every public class) and the name under which the
object is written to, and read back from, a saved model's JSON config. A saved file can then only
refer to objects that were deliberately exported or registered: loading never imports an
arbitrary module named in a file.

Custom objects join the same registry through
:func:`layerwise.saving.register_keras_serializable`, under ``"Package>Name"``.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

T = TypeVar("T")

# public path ("layerwise.layers.Dense") -> object
_PUBLIC: dict[str, Any] = {}
# object -> its canonical public path (the first one given)
_CANONICAL: dict[int, str] = {}
# custom registered name ("Custom>MyLayer") -> object, and back
_CUSTOM: dict[str, Any] = {}
_CUSTOM_NAMES: dict[int, str] = {}


def export(*paths: str) -> Callable[[T], T]:
    """Register an object under one or more public paths.

    The first path is canonical: it is the ``module`` and ``class_name`` written in configs.

    Example:
        >>> from layerwise.api_export import export, get_public
        >>> @export("layerwise.testing.Doubler")
        ... def doubler(x):
        ...     return 2 * x
        >>> get_public("layerwise.testing.Doubler") is doubler
        True
    """
    if not paths:
        raise ValueError("`export` needs at least one public path, such as 'layerwise.layers.Dense'.")
    for path in paths:
        if not path.startswith("layerwise.") or len(path) <= len("layerwise."):
            raise ValueError(
                f"`export` argument must look like 'layerwise.<module>.<Name>' or 'layerwise.<Name>'; received {path!r}."
            )

    def decorator(obj: T) -> T:
        for path in paths:
            _PUBLIC[path] = obj
        _CANONICAL.setdefault(id(obj), paths[0])
        return obj

    return decorator


def get_public(path: str) -> Any:
    """Return the object exported under ``path``, or ``None``."""
    return _PUBLIC.get(path)


def public_items() -> list[tuple[str, Any]]:
    """All ``(path, object)`` pairs exported so far, sorted by path."""
    return sorted(_PUBLIC.items())


def canonical_path(obj: Any) -> str | None:
    """The canonical public path of an exported object (``None`` if it was not exported)."""
    return _CANONICAL.get(id(obj))


def register_custom(name: str, obj: Any) -> None:
    """Record a custom object under its registered name (``"Package>Name"``)."""
    previous = _CUSTOM.get(name)
    if previous is not None and previous is not obj:
        # Re-running a notebook cell re-defines the class: the newest definition wins.
        _CUSTOM_NAMES.pop(id(previous), None)
    _CUSTOM[name] = obj
    _CUSTOM_NAMES[id(obj)] = name


def get_custom(name: str) -> Any:
    """The custom object registered under ``name``, or ``None``."""
    return _CUSTOM.get(name)


def custom_name(obj: Any) -> str | None:
    """The registered name of a custom object, or ``None``."""
    return _CUSTOM_NAMES.get(id(obj))


def custom_items() -> dict[str, Any]:
    """A copy of the custom-object registry."""
    return dict(_CUSTOM)
