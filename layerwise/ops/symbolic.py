"""Ops on symbolic tensors.

Every public op is wrapped by :func:`keras_op`. Called on real tensors it runs straight through;
called with a :class:`~layerwise.graph.keras_tensor.KerasTensor` anywhere in its arguments it
records a node in the functional graph instead (an :class:`~layerwise.layers.core.op_layer.OpLayer`),
so ``ops.concatenate([a, b])`` and ``a + b`` work between ``Input`` and ``Model`` as in Keras 3.
"""

from __future__ import annotations

import functools
from typing import Callable

from layerwise.api_export import export
from layerwise.graph.keras_tensor import KerasTensor

# op name ("add") -> the public (wrapped) function, for configs of recorded op nodes
OPS: dict[str, Callable] = {}


def _contains_symbolic(value) -> bool:
    if isinstance(value, KerasTensor):
        return True
    if isinstance(value, (list, tuple)):
        return any(_contains_symbolic(v) for v in value)
    if isinstance(value, dict):
        return any(_contains_symbolic(v) for v in value.values())
    return False


_MAY_HOLD_SYMBOLIC = (KerasTensor, list, tuple, dict)


def any_symbolic(args, kwargs) -> bool:
    """True when a KerasTensor is anywhere in ``args``/``kwargs``."""
    # Plain loops with a cheap isinstance filter first: this runs on every layer and op call.
    for value in args:
        if isinstance(value, _MAY_HOLD_SYMBOLIC) and _contains_symbolic(value):
            return True
    for value in kwargs.values():
        if isinstance(value, _MAY_HOLD_SYMBOLIC) and _contains_symbolic(value):
            return True
    return False


def keras_op(*public_paths: str) -> Callable[[Callable], Callable]:
    """Decorate a tensor function so that it also works on symbolic tensors.

    ``public_paths`` are extra export paths besides ``layerwise.ops.<name>``.
    """

    def decorator(fn: Callable) -> Callable:
        name = fn.__name__

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            # Fast path: a plain tensor (or number) first argument and no other arguments.
            if not kwargs and len(args) == 1 and not isinstance(args[0], (list, tuple, dict, KerasTensor)):
                return fn(*args)
            if any_symbolic(args, kwargs):
                from layerwise.layers.core.op_layer import OpLayer

                return OpLayer(op=name)(*args, **kwargs)
            return fn(*args, **kwargs)

        wrapper.raw = fn
        OPS[name] = wrapper
        export(f"layerwise.ops.{name}", *public_paths)(wrapper)
        return wrapper

    return decorator
