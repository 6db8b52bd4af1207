"""Keras-style object names: ``dense``, ``dense_1``, ``dense_2`` ... unique per process."""

from __future__ import annotations

import collections
import re

_NAME_UIDS: collections.defaultdict[str, int] = collections.defaultdict(int)


def to_snake_case(name: str) -> str:
    """``"BatchNormalization"`` -> ``"batch_normalization"``.

    Example:
        >>> to_snake_case("Conv2DTranspose")
        'conv2d_transpose'
    """
    intermediate = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    snake = re.sub(r"([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    if snake.startswith("_"):
        snake = "private" + snake
    return snake


def uniquify(name: str) -> str:
    """The first call gives ``name``, later calls ``name_1``, ``name_2`` ...

    Example:
        >>> reset_uids(); uniquify("dense"), uniquify("dense")
        ('dense', 'dense_1')
    """
    count = _NAME_UIDS[name]
    _NAME_UIDS[name] += 1
    return name if count == 0 else f"{name}_{count}"


def auto_name(class_name: str) -> str:
    """A unique snake-case name for a new object of class ``class_name``."""
    return uniquify(to_snake_case(class_name))


def reset_uids() -> None:
    """Forget all names handed out (``clear_session`` calls this)."""
    _NAME_UIDS.clear()
