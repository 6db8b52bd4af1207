"""Activation functions and ``get``/``serialize``/``deserialize`` by name."""

from __future__ import annotations

from typing import Any, Callable

from layerwise.activations.activations import (
    bru,
    celu,
    elu,
    exponential,
    gelu,
    glu,
    hard_sigmoid,
    hard_silu,
    hard_tanh,
    leaky_relu,
    linear,
    log_sigmoid,
    log_softmax,
    mish,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    softmax,
    softplus,
    softsign,
    squareplus,
    tanh,
    threshold,
)
from layerwise.activations.shrinkage import hard_shrink, soft_shrink, tanh_shrink
from layerwise.activations.sparse import sparse_plus, sparse_sigmoid, sparsemax
from layerwise.api_export import export
from layerwise.saving import object_registration
from layerwise.utils.argument_validation import unknown_identifier

swish = silu  # Keras's other names, exported as such in activations.py
hard_swish = hard_silu

ALL_OBJECTS: dict[str, Callable] = {
    fn.__name__: fn
    for fn in (bru, celu, elu, exponential, gelu, glu, hard_shrink, hard_sigmoid, hard_silu, hard_tanh, leaky_relu,
               linear, log_sigmoid, log_softmax, mish, relu, relu6, selu, sigmoid, silu, soft_shrink, softmax,
               softplus, softsign, sparse_plus, sparse_sigmoid, sparsemax, squareplus, tanh, tanh_shrink, threshold)
}
ALL_OBJECTS.update({"swish": swish, "hard_swish": hard_swish})
_NAMES = {id(fn): name for name, fn in ALL_OBJECTS.items() if name not in ("swish", "hard_swish")}


@export("layerwise.activations.get")
def get(identifier: Any) -> Callable:
    """An activation function from a name, a config, or a callable; ``None`` gives ``linear``.

    Example:
        >>> get("relu").__name__, get(None).__name__
        ('relu', 'linear')
    """
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        fn = ALL_OBJECTS.get(identifier)
        if fn is None:
            fn = object_registration.get_registered_object(identifier)
        if fn is None:
            raise unknown_identifier("activation", identifier, ALL_OBJECTS)
        return fn
    if isinstance(identifier, dict):
        from layerwise.saving.serialization_lib import deserialize_keras_object

        return deserialize_keras_object(identifier)
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret activation identifier {identifier!r}: expected a string or a callable.")


@export("layerwise.activations.serialize")
def serialize(activation: Callable) -> Any:
    """A built-in activation's name; the registered config of a custom one.

    Example:
        >>> serialize(relu)
        'relu'
    """
    name = _NAMES.get(id(activation))
    if name is not None:
        return name
    from layerwise.saving.serialization_lib import serialize_keras_object

    return serialize_keras_object(activation)


@export("layerwise.activations.deserialize")
def deserialize(config: Any, custom_objects: dict | None = None) -> Callable:
    """Inverse of :func:`serialize`.

    Example:
        >>> deserialize("tanh").__name__
        'tanh'
    """
    if isinstance(config, str) and custom_objects and config in custom_objects:
        return custom_objects[config]
    return get(config)
