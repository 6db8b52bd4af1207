"""The configuration half of ``Layer``: ``get_config``/``from_config`` and the build config.

``get_config`` returns the constructor arguments as JSON-ready values; a subclass that does not
write one gets its constructor arguments captured automatically (when they are plain values).
The build config records the input shape, so a loaded layer is built before its weights arrive.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

import torch

from layerwise import dtype_policies, regularizers
from layerwise.graph.keras_tensor import KerasTensor
from layerwise.layers import symbolic_call

_BASE_KWARGS = ("name", "trainable", "dtype", "autocast", "activity_regularizer")


def _layer_class() -> type:
    from layerwise.layers.layer import Layer

    return Layer


class ConfigMixin:
    """``get_config``, ``from_config``, ``get_build_config`` and ``build_from_config``."""

    def get_build_config(self) -> dict | None:
        """The input shape the layer was built with, so loading can rebuild it before the weights."""
        if self.built and self._build_shapes is not None:
            return {"input_shape": _to_lists(self._build_shapes)}
        return None

    def build_from_config(self, config: dict) -> None:
        if config and config.get("input_shape") is not None and not self.built:
            shapes = _to_tuples(config["input_shape"])
            if type(self).build is _layer_class().build:
                self._build_by_run(shapes)
            else:
                self._build_with_shapes(shapes)

    def _build_by_run(self, shapes: Any) -> None:
        """Build a layer whose sublayers are created in ``__init__`` by calling it once on zeros."""
        from layerwise.layers.symbolic_call import _materialize

        device = self._weight_device()
        dummy = symbolic_call.map_shapes(lambda s: _materialize(KerasTensor(s), (1, 1), device), shapes)
        with torch.no_grad():
            self.forward(dummy, training=False)
        self._build_shapes = _batchless(shapes)

    # ---- configuration ---------------------------------------------------------------------------
    def get_config(self) -> dict:
        """The constructor arguments, as JSON-ready values (Keras's layer config)."""
        config = {"name": self.name, "trainable": self.trainable,
                  "dtype": dtype_policies.serialize(self._dtype_policy)}
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        if type(self).get_config is ConfigMixin.get_config and type(self).__init__ is not _layer_class().__init__:
            config.update(self._auto_config())
        return config

    def _auto_config(self) -> dict:
        """For subclasses that do not write ``get_config``: the arguments they were created with."""
        args, kwargs = getattr(self, "_constructor_arguments", ((), {}))
        try:
            bound = inspect.signature(type(self).__init__).bind(self, *args, **kwargs)
            bound.apply_defaults()
        except TypeError:
            bound = None
        extra = {}
        if bound is not None:
            for key, value in bound.arguments.items():
                if key in ("self",) + _BASE_KWARGS:
                    continue
                param = inspect.signature(type(self).__init__).parameters[key]
                if param.kind == inspect.Parameter.VAR_KEYWORD:
                    extra.update({k: v for k, v in value.items() if k not in _BASE_KWARGS})
                elif param.kind != inspect.Parameter.VAR_POSITIONAL:
                    extra[key] = value
        try:
            json.dumps(extra)
        except TypeError:
            raise NotImplementedError(
                f"Layer {type(self).__name__} was created with arguments {sorted(extra)} that are not plain "
                "JSON values, so it must implement `get_config()` to be saved."
            ) from None
        return extra

    @classmethod
    def from_config(cls, config: dict) -> Any:
        """Create a layer from :meth:`get_config`'s output."""
        config = dict(config)
        try:
            return cls(**config)
        except TypeError as error:
            raise TypeError(
                f"Error when deserializing class '{cls.__name__}' using config={config}: {error}. "
                "If the class takes constructor arguments, implement `get_config()` and `from_config()`."
            ) from error


def _batchless(shapes: Any) -> Any:
    def strip(shape):
        if symbolic_call.is_shape_tuple(shape) and len(shape) > 0:
            return (None,) + tuple(shape[1:])
        return shape

    if symbolic_call.is_shape_tuple(shapes):
        return strip(shapes)
    if isinstance(shapes, dict):
        return {k: _batchless(v) for k, v in shapes.items()}
    if isinstance(shapes, (list, tuple)):
        return [_batchless(s) for s in shapes]
    return shapes


def _to_lists(shapes: Any) -> Any:
    """Shape tuples as JSON lists."""
    if isinstance(shapes, dict):
        return {k: _to_lists(v) for k, v in shapes.items()}
    if isinstance(shapes, (list, tuple)):
        return [_to_lists(s) for s in shapes]
    return shapes


def _to_tuples(shapes: Any) -> Any:
    """JSON lists back to shape tuples (a list of ints/None is one shape)."""
    if isinstance(shapes, dict) and shapes.get("class_name") == "__tuple__":
        return _to_tuples(list(shapes["config"]["value"]))
    if isinstance(shapes, (list, tuple)) and all(d is None or isinstance(d, int) for d in shapes):
        return tuple(shapes)
    if isinstance(shapes, dict):
        return {k: _to_tuples(v) for k, v in shapes.items()}
    if isinstance(shapes, (list, tuple)):
        return [_to_tuples(s) for s in shapes]
    return shapes

