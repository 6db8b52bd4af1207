"""Lists and dicts of layers assigned to a layer attribute are tracked, as in Keras.

``self.blocks = [Dense(8), Dense(8)]`` in a subclassed layer registers both layers as PyTorch
submodules (``blocks.0``, ``blocks.1``), so their weights train, save and move with ``.to()``;
later ``append``/``pop`` calls keep the registration in step.
"""

from __future__ import annotations

from typing import Any

import torch


def _sync(owner: Any, attr: str, items) -> None:
    modules = [m for m in items if isinstance(m, torch.nn.Module)]
    registry = owner.__dict__["_modules"]
    if modules:
        container = torch.nn.ModuleList(modules)
        registry[attr] = container
    else:
        registry.pop(attr, None)


class TrackedList(list):
    """A ``list`` that re-registers its layers on its owner after every change."""

    def __init__(self, items, owner: Any, attr: str):
        super().__init__(items)
        self._owner = owner
        self._attr = attr
        self._changed()

    def _changed(self):
        _sync(self._owner, self._attr, self)

    def _wrap(name):
        method = getattr(list, name)

        def mutator(self, *args, **kwargs):
            result = method(self, *args, **kwargs)
            self._changed()
            return result

        mutator.__name__ = name
        return mutator

    append = _wrap("append")
    extend = _wrap("extend")
    insert = _wrap("insert")
    pop = _wrap("pop")
    remove = _wrap("remove")
    clear = _wrap("clear")
    sort = _wrap("sort")
    reverse = _wrap("reverse")
    __setitem__ = _wrap("__setitem__")
    __delitem__ = _wrap("__delitem__")
    __iadd__ = _wrap("__iadd__")
    del _wrap

    def __reduce_ex__(self, protocol):
        return (list, (list(self),))


class TrackedDict(dict):
    """A ``dict`` that re-registers its layers on its owner after every change."""

    def __init__(self, items, owner: Any, attr: str):
        super().__init__(items)
        self._owner = owner
        self._attr = attr
        self._changed()

    def _changed(self):
        modules = {str(k): v for k, v in self.items() if isinstance(v, torch.nn.Module)}
        registry = self._owner.__dict__["_modules"]
        if modules:
            registry[self._attr] = torch.nn.ModuleDict(modules)
        else:
            registry.pop(self._attr, None)

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self._changed()

    def __delitem__(self, key):
        super().__delitem__(key)
        self._changed()

    def pop(self, *args):
        result = super().pop(*args)
        self._changed()
        return result

    def update(self, *args, **kwargs):
        super().update(*args, **kwargs)
        self._changed()

    def clear(self):
        super().clear()
        self._changed()

    def __reduce_ex__(self, protocol):
        return (dict, (dict(self),))


def maybe_track(owner: Any, attr: str, value: Any) -> Any:
    """Wrap a list/dict (or register a tuple's layers) when it is assigned to ``owner.attr``."""
    if type(value) is list:
        return TrackedList(value, owner, attr)
    if type(value) is dict and all(isinstance(k, (str, int)) for k in value):
        return TrackedDict(value, owner, attr)
    if type(value) is tuple and any(isinstance(v, torch.nn.Module) for v in value):
        _sync(owner, attr, value)
    return value
