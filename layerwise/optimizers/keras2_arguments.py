"""Keras 2 optimizer arguments that tutorials still use: ``lr=`` and ``decay=``."""

from __future__ import annotations

from typing import Any

from layerwise.utils.argument_validation import number_in_range


def pop_legacy(owner: str, learning_rate: Any, kwargs: dict) -> tuple[Any, float]:
    """Take ``lr`` and ``decay`` out of ``kwargs``; return ``(learning_rate, decay)``.

    ``lr`` replaces ``learning_rate``. ``decay`` is Keras 2's inverse-time decay: the learning
    rate used at step ``t`` is ``lr / (1 + decay * t)``.
    """
    if "lr" in kwargs:
        learning_rate = kwargs.pop("lr")
    decay = kwargs.pop("decay", None)
    decay = 0.0 if decay is None else number_in_range(owner, "decay", decay, 0, None)
    return learning_rate, decay


def epsilon_or_default(epsilon: Any, default: float = 1e-7) -> float:
    """Keras 2 allowed ``epsilon=None`` to mean the default."""
    return default if epsilon is None else float(epsilon)
