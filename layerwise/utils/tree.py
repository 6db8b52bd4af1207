"""Nested structures (lists, tuples, dicts) of tensors: flatten, map and rebuild.

Dicts are flattened in sorted-key order, as Keras (``keras.tree``) does, so the order of a model's
dict outputs is stable. ``None`` is a leaf.
"""

from __future__ import annotations

from typing import Any, Callable


def is_nested(structure: Any) -> bool:
    """True for a list, tuple or dict (the containers this module walks).

    Example:
        >>> is_nested([1, 2]), is_nested(3)
        (True, False)
    """
    return isinstance(structure, (list, tuple, dict))


def flatten(structure: Any) -> list:
    """The leaves of ``structure`` in order (dict values by sorted key).

    Example:
        >>> flatten({"b": [1, 2], "a": 3})
        [3, 1, 2]
    """
    out: list = []
    _flatten_into(structure, out)
    return out


def _flatten_into(structure: Any, out: list) -> None:
    if isinstance(structure, dict):
        for key in sorted(structure):
            _flatten_into(structure[key], out)
    elif isinstance(structure, (list, tuple)):
        for item in structure:
            _flatten_into(item, out)
    else:
        out.append(structure)


def pack_sequence_as(structure: Any, flat: list) -> Any:
    """Rebuild ``structure`` with the leaves taken in order from ``flat``.

    Example:
        >>> pack_sequence_as({"b": [0, 0], "a": 0}, [3, 1, 2])
        {'b': [1, 2], 'a': 3}
    """
    iterator = iter(flat)
    result = _pack(structure, iterator)
    leftover = sum(1 for _ in iterator)
    if leftover:
        raise ValueError(f"`pack_sequence_as` received {leftover} more leaves than the structure holds.")
    return result


def _pack(structure: Any, iterator) -> Any:
    if isinstance(structure, dict):
        values = {key: _pack(structure[key], iterator) for key in sorted(structure)}
        return {key: values[key] for key in structure}  # keep the caller's key order
    if isinstance(structure, (list, tuple)):
        items = [_pack(item, iterator) for item in structure]
        if isinstance(structure, list):
            return items
        if hasattr(structure, "_fields"):  # namedtuple
            return type(structure)(*items)
        return tuple(items)
    try:
        return next(iterator)
    except StopIteration:
        raise ValueError("`pack_sequence_as` received fewer leaves than the structure holds.") from None


def map_structure(fn: Callable, *structures: Any) -> Any:
    """Apply ``fn`` leaf-wise over one or more structures of the same shape.

    Example:
        >>> map_structure(lambda a, b: a + b, [1, (2, 3)], [10, (20, 30)])
        [11, (22, 33)]
    """
    if not structures:
        raise ValueError("`map_structure` needs at least one structure.")
    first = structures[0]
    flats = [flatten(s) for s in structures]
    for index, flat in enumerate(flats[1:], start=1):
        if len(flat) != len(flats[0]):
            raise ValueError(
                f"`map_structure` structures differ: structure 0 has {len(flats[0])} leaves and "
                f"structure {index} has {len(flat)}."
            )
    return pack_sequence_as(first, [fn(*leaves) for leaves in zip(*flats)])


def traverse_leaves(structure: Any, fn: Callable[[Any], None]) -> None:
    """Call ``fn`` on each leaf, for side effects only."""
    for leaf in flatten(structure):
        fn(leaf)
