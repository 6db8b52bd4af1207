"""``Model``: a layer that trains (``compile``/``fit``/``evaluate``/``predict``), saves and summarises.

``Model(inputs, outputs)`` builds a functional model; subclassing ``Model`` and writing ``call``
gives a subclassed model, as in Keras. Training lives in :mod:`layerwise.trainers`.
"""

from __future__ import annotations

import json
from typing import Any

from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.trainers.trainer import Trainer
from layerwise.utils import tree


def _is_functional_call(args: tuple, kwargs: dict) -> bool:
    if "inputs" in kwargs and "outputs" in kwargs:
        return True
    if len(args) >= 2:
        return True
    return len(args) == 1 and "outputs" in kwargs


@export("layerwise.Model", "layerwise.models.Model")
class Model(Trainer, Layer):
    """A trainable, savable group of layers.

    Two ways to make one, as in Keras:

    * functional: ``Model(inputs, outputs)`` with tensors from ``Input`` and layer calls;
    * subclassing: define layers in ``__init__`` and the forward pass in ``call``.

    Example:
        >>> import numpy as np, layerwise as keras
        >>> inputs = keras.Input((3,))
        >>> outputs = keras.layers.Dense(1)(inputs)
        >>> model = keras.Model(inputs, outputs)
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> model.predict(np.zeros((2, 3)), verbose=0).shape
        (2, 1)
    """

    def __new__(cls, *args, **kwargs):
        if cls is Model and _is_functional_call(args, kwargs):
            from layerwise.models.functional import Functional

            return Functional.__new__(Functional, *args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        functional_args = None
        if _is_functional_call(args, kwargs):
            inputs = kwargs.pop("inputs", args[0] if args else None)
            outputs = kwargs.pop("outputs", args[1] if len(args) > 1 else None)
            functional_args = (inputs, outputs)
        elif args:
            raise TypeError(f"{type(self).__name__}() takes keyword arguments only; received positional {args!r}.")
        trainable = kwargs.pop("trainable", True)
        name = kwargs.pop("name", None)
        dtype = kwargs.pop("dtype", None)
        Layer.__init__(self, name=name, trainable=trainable, dtype=dtype, **kwargs)
        Trainer.__init__(self)
        self._function = None
        self._graph_layers: list | None = None
        self._inputs_struct = None
        self._outputs_struct = None
        if functional_args is not None:
            from layerwise.models import functional

            functional.init_graph(self, *functional_args)

    # ---- calling ---------------------------------------------------------------------------------
    def call(self, *args, **kwargs):
        if self._function is not None:
            from layerwise.models import functional

            return functional.run_graph(self, args[0] if args else kwargs.get("inputs"))
        raise NotImplementedError(
            f"Model {type(self).__name__} has no `call()` method. Subclasses of `Model` implement "
            "`call(self, inputs, training=None)`; or build a functional model with `Model(inputs, outputs)`."
        )

    def _convert_inputs(self, inputs: Any) -> Any:
        if self._function is not None:
            return inputs  # converted and checked input by input in `run_graph`
        return super()._convert_inputs(inputs)

    def _maybe_build(self, args: tuple) -> None:
        # Sublayers build themselves during the first call; only a user-written `build` runs here.
        if type(self).build is not Model.build:
            super()._maybe_build(args)
        else:
            from layerwise.layers import symbolic_call
            from layerwise.layers.layer import _batchless

            self.built = True
            try:
                self._build_shapes = _batchless(symbolic_call.shape_of(args[0])) if args else None
            except TypeError:
                self._build_shapes = None

    def compute_output_spec(self, *args, **kwargs):
        if self._function is not None:
            from layerwise.models import functional

            return functional.graph_output_spec(self, args[0] if args else None)
        return super().compute_output_spec(*args, **kwargs)

    def build(self, input_shape: Any = None) -> None:
        """Build a subclassed model for ``input_shape`` by running it once on zeros."""
        if self._function is not None:
            return
        if input_shape is None:
            raise ValueError(f"`{type(self).__name__}.build` needs `input_shape`, e.g. `model.build((None, 784))`.")
        self._build_by_run(input_shape)
        self.built = True

    # ---- structure -------------------------------------------------------------------------------
    @property
    def layers(self) -> list:
        """The model's layers (for a functional model, in graph order, ``InputLayer`` included)."""
        if self._graph_layers is not None:
            return list(self._graph_layers)
        return [m for m in self._direct_sublayers() if isinstance(m, Layer)]

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """A layer by ``name`` or by position ``index`` in :attr:`layers`."""
        if (name is None) == (index is None):
            raise ValueError(f"`get_layer` needs exactly one of `name` or `index`; received name={name!r}, index={index!r}.")
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(f"`get_layer` index {index} is out of range: model '{self.name}' has {len(layers)} layers.")
            return layers[index]
        for layer in layers:
            if layer.name == name:
                return layer
        raise ValueError(f"No such layer: {name!r}. Existing layers are: {[layer.name for layer in layers]}.")

    def _graph_io(self, which: str) -> Any:
        if self._function is None:
            raise AttributeError(
                f"Model '{self.name}' is not a functional model (or a Sequential model with a known input "
                f"shape), so it has no `{which}`."
            )
        return self._function.inputs if which == "inputs" else self._function.outputs

    @property
    def inputs(self) -> list:
        return list(self._graph_io("inputs"))

    @property
    def outputs(self) -> list:
        return list(self._graph_io("outputs"))

    @property
    def input(self) -> Any:
        return tree.pack_sequence_as(self._inputs_struct, self._graph_io("inputs")) if self._function else super().input

    @property
    def output(self) -> Any:
        return tree.pack_sequence_as(self._outputs_struct, self._graph_io("outputs")) if self._function else super().output

    def _shapes(self, which: str) -> Any:
        tensors = self._graph_io(which)
        shapes = [t.shape for t in tensors]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def input_shape(self) -> Any:
        return self._shapes("inputs")

    @property
    def output_shape(self) -> Any:
        return self._shapes("outputs")

    @property
    def input_names(self) -> list[str]:
        from layerwise.models import functional

        self._graph_io("inputs")
        return functional.input_names(self)

    @property
    def output_names(self) -> list[str]:
        from layerwise.models import functional

        self._graph_io("outputs")
        return functional.output_names(self)

    def _output_names_for_training(self) -> list[str] | None:
        if self._function is None:
            return None
        from layerwise.models import functional

        return functional.output_names(self)

    # ---- summary and files -----------------------------------------------------------------------
    def summary(self, line_length: int | None = None, positions: Any = None, print_fn: Any = None,
                expand_nested: bool = False, show_trainable: bool = False, layer_range: Any = None) -> None:
        """Print a table of the layers, their output shapes and parameter counts (drawn with rich)."""
        from layerwise.models.summary import print_summary

        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable, layer_range=layer_range)

    def save(self, filepath: Any, overwrite: bool = True, zipped: bool | None = None, **kwargs) -> None:
        """Save architecture, weights, optimizer state and compile settings to one ``.keras`` file."""
        from layerwise.saving.saving_api import save_model

        save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath: Any, overwrite: bool = True) -> None:
        """Save the weights only (``*.weights.h5`` or ``*.safetensors``; the content is safetensors)."""
        from layerwise.saving.saving_api import save_weights

        save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath: Any, skip_mismatch: bool = False, **kwargs) -> None:
        """Load weights saved by :meth:`save_weights` or :meth:`save`."""
        from layerwise.saving.saving_api import load_weights

        load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    # ---- configuration ---------------------------------------------------------------------------
    def get_config(self) -> dict:
        if self._function is not None:
            from layerwise.models import functional

            return functional.graph_config(self)
        config = Layer.get_config(self)
        if type(self).__init__ is not Model.__init__:
            config.update(self._auto_config())
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> "Model":
        if "layers" in config and "input_layers" in config and "output_layers" in config:
            from layerwise.models import functional

            inputs, outputs, name = functional.graph_from_config(config, custom_objects)
            target = functional.Functional if cls in (Model, functional.Functional) else cls
            return target(inputs=inputs, outputs=outputs, name=name)
        return super().from_config(config)

    def to_json(self, **kwargs) -> str:
        """The architecture as a JSON string (``models.model_from_json`` reads it back)."""
        from layerwise.saving.serialization_lib import serialize_keras_object

        return json.dumps(serialize_keras_object(self), **kwargs)

