"""``Lambda``: wrap a function as a layer.

Saving a ``Lambda`` stores its function: by name when the function is a layerwise op or a
registered function, else as Python bytecode. Bytecode can do anything when it runs, so loading it
is refused unless the caller opts in with ``safe_mode=False`` -- as Keras does.
"""

from __future__ import annotations

import base64
import inspect
import marshal
import sys
import types
from typing import Any, Callable

from layerwise import api_export
from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.utils import tree


def _serialize_function(fn: Callable) -> Any:
    if api_export.custom_name(fn) or api_export.canonical_path(fn):
        from layerwise.saving.serialization_lib import serialize_keras_object

        return serialize_keras_object(fn)
    if not isinstance(fn, types.FunctionType):
        raise TypeError(f"`Lambda` can only save Python functions; received {fn!r}.")
    closure = [cell.cell_contents for cell in fn.__closure__] if fn.__closure__ else None
    for value in (fn.__defaults__ or ()) + tuple(closure or ()):
        if not isinstance(value, (int, float, str, bool, type(None))):
            raise TypeError(
                f"`Lambda` function {fn.__name__!r} uses a default or closure value {value!r} that cannot be saved; "
                "pass it through the `arguments` argument, or register the function."
            )
    return {
        "class_name": "__lambda__",
        "config": {
            "code": base64.b64encode(marshal.dumps(fn.__code__)).decode("ascii"),
            "defaults": list(fn.__defaults__) if fn.__defaults__ else None,
            "closure": closure,
            "python_version": list(sys.version_info[:2]),
            "source": _source(fn),
        },
    }


def _source(fn: Callable) -> str | None:
    try:
        return inspect.getsource(fn).strip()
    except (OSError, TypeError):
        return None


def _deserialize_function(config: Any) -> Callable:
    from layerwise.saving.serialization_lib import deserialize_keras_object, in_safe_mode

    if not (isinstance(config, dict) and config.get("class_name") == "__lambda__"):
        return deserialize_keras_object(config)
    if in_safe_mode():
        raise ValueError(
            "Refusing to load a `Lambda` layer whose function is stored as Python bytecode: running it could "
            "execute arbitrary code. If you trust the file, load it with `safe_mode=False` "
            "(or call `layerwise.config.enable_unsafe_deserialization()`); otherwise register the function "
            "with `@layerwise.saving.register_keras_serializable()` and save the model again."
        )
    inner = config["config"]
    if list(inner.get("python_version", [])) != list(sys.version_info[:2]):
        raise ValueError(
            f"This `Lambda` function was saved by Python {inner.get('python_version')} and cannot be loaded "
            f"by Python {list(sys.version_info[:2])}: bytecode differs between versions."
        )
    code = marshal.loads(base64.b64decode(inner["code"]))
    import numpy
    import torch

    import layerwise
    from layerwise import backend, ops
    from layerwise.saving.object_registration import get_custom_objects

    namespace = {"layerwise": layerwise, "keras": layerwise, "K": backend, "backend": backend, "ops": ops,
                 "torch": torch, "np": numpy, "numpy": numpy, **get_custom_objects()}
    closure = None
    if inner.get("closure"):
        closure = tuple(types.CellType(value) for value in inner["closure"])
    defaults = tuple(inner["defaults"]) if inner.get("defaults") else None
    return types.FunctionType(code, namespace, code.co_name, defaults, closure)


@export("layerwise.layers.Lambda")
class Lambda(Layer):
    """Wraps ``function(inputs, **arguments)`` as a layer.

    Args:
        function: the function; it may take ``mask`` and ``training`` keyword arguments.
        output_shape: the output shape (without the batch axis) or a function of the input
            shape; found by a trial run when not given.
        mask: an output mask, or a function ``(inputs, mask) -> mask``.
        arguments: extra keyword arguments for ``function``.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.Lambda(lambda x: x ** 2)(torch.tensor([[3.0]]))
        tensor([[9.]])
    """

    def __init__(self, function: Callable, output_shape: Any = None, mask: Any = None,
                 arguments: dict | None = None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"`Lambda` argument `function` must be callable; received {function!r}.")
        self.function = function
        self.arguments = dict(arguments or {})
        self.mask = mask
        self._output_shape = output_shape
        self.supports_masking = mask is not None
        params = inspect.signature(function).parameters if _has_signature(function) else {}
        self._fn_takes_mask = "mask" in params
        self._fn_takes_training = "training" in params
        self.built = True

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_takes_mask:
            kwargs["mask"] = mask
        if self._fn_takes_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_mask(self, inputs, previous_mask=None):
        if callable(self.mask):
            return self.mask(inputs, previous_mask)
        return self.mask

    def compute_output_spec(self, *args, **kwargs):
        if self._output_shape is None:
            return super().compute_output_spec(*args, **kwargs)
        from layerwise.layers import symbolic_call

        input_shape = symbolic_call.shape_of(args[0])
        if callable(self._output_shape):
            shape = self._output_shape(input_shape)
        else:
            batch = tree.flatten(input_shape)[0] if input_shape else None
            first = input_shape if symbolic_call.is_shape_tuple(input_shape) else None
            shape = ((first[0] if first else batch),) + tuple(self._output_shape)
        return symbolic_call.specs_from_shapes(shape, self.compute_dtype)

    def get_config(self) -> dict:
        output_shape = self._output_shape
        if callable(output_shape):
            output_shape = _serialize_function(output_shape)
        elif output_shape is not None:
            output_shape = list(output_shape)
        mask = _serialize_function(self.mask) if callable(self.mask) else self.mask
        return {**super().get_config(), "function": _serialize_function(self.function),
                "output_shape": output_shape, "mask": mask, "arguments": self.arguments}

    @classmethod
    def from_config(cls, config: dict) -> "Lambda":
        config = dict(config)
        config["function"] = _deserialize_function(config["function"])
        if isinstance(config.get("output_shape"), dict):
            config["output_shape"] = _deserialize_function(config["output_shape"])
        if isinstance(config.get("mask"), dict):
            config["mask"] = _deserialize_function(config["mask"])
        return cls(**config)


def _has_signature(fn: Callable) -> bool:
    try:
        inspect.signature(fn)
        return True
    except (TypeError, ValueError):
        return False
