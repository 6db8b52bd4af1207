"""``Layer``: the base of every layer and model. A ``torch.nn.Module`` that behaves like Keras's.

* Weights are created lazily in ``build(input_shape)`` from the first input (or at construction
  when ``input_shape=`` / ``input_dim=`` / ``batch_input_shape=`` is given), with Keras's names.
* ``layer(x)`` on a tensor runs ``call`` eagerly through ``nn.Module.__call__`` (so PyTorch hooks
  work); ``layer(x)`` on a symbolic tensor records a node of a functional graph.
* ``training=None`` is resolved as Keras does (see :mod:`layerwise.layers.call_context`).
* Inputs are checked against ``input_spec`` before ``call``, floats are cast to the compute
  dtype, masks (``_keras_mask``) flow to layers whose ``call`` takes ``mask``.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
import torch

from layerwise import dtype_policies, regularizers
from layerwise.api_export import export
from layerwise.graph.keras_tensor import KerasTensor
from layerwise.graph.node import Node
from layerwise.layers import symbolic_call, tracking
from layerwise.layers.call_context import CONTEXT
from layerwise.layers.input_spec import assert_input_compatibility
from layerwise.layers.connectivity import ConnectivityMixin
from layerwise.layers.layer_config import ConfigMixin, _batchless, _to_lists, _to_tuples  # noqa: F401
from layerwise.layers.weights import WeightsMixin
from layerwise.ops.core import convert_to_tensor
from layerwise.ops.symbolic import any_symbolic
from layerwise.utils import tree
from layerwise.utils.dtype_utils import standardize_dtype
from layerwise.utils.naming import auto_name

_CALL_INFO: dict[type, tuple[bool, bool]] = {}
_BASE_KWARGS = ("name", "trainable", "dtype", "autocast", "activity_regularizer")


def _call_info(cls: type) -> tuple[bool, bool]:
    """Whether ``cls.call`` accepts ``training`` and ``mask`` (cached per class)."""
    info = _CALL_INFO.get(cls)
    if info is None:
        params = inspect.signature(cls.call).parameters
        info = ("training" in params, "mask" in params)
        _CALL_INFO[cls] = info
    return info


def _input_shape_from_kwargs(owner: str, kwargs: dict) -> tuple[tuple | None, int | None]:
    """The (shape without batch, batch size) given by Keras's first-layer arguments."""
    input_dim = kwargs.pop("input_dim", None)
    input_length = kwargs.pop("input_length", None)
    input_shape = kwargs.pop("input_shape", None)
    batch_input_shape = kwargs.pop("batch_input_shape", kwargs.pop("batch_shape", None))
    batch_size = kwargs.pop("batch_size", None)
    if batch_input_shape is not None:
        batch_input_shape = tuple(batch_input_shape)
        return batch_input_shape[1:], batch_input_shape[0] if batch_size is None else batch_size
    if input_shape is not None:
        if isinstance(input_shape, int):
            input_shape = (input_shape,)
        return tuple(input_shape), batch_size
    if input_dim is not None:
        if input_length is not None:
            return (input_length, input_dim), batch_size
        return (input_dim,), batch_size
    return None, batch_size


@export("layerwise.layers.Layer", "layerwise.Layer")
class Layer(WeightsMixin, ConfigMixin, ConnectivityMixin, torch.nn.Module):
    """Base class of all layers; subclass it and implement ``call`` (and ``build`` for weights).

    Args:
        trainable: whether the weights are updated by training.
        name: unique name (default: the class name in snake case, numbered).
        dtype: ``"float32"``, ``"float64"``, ``"mixed_bfloat16"``... or a ``DTypePolicy``.
        activity_regularizer: penalty on the layer's output, added to ``layer.losses``.
        input_shape / input_dim / batch_input_shape / batch_size: declare the input of a first
            layer of a ``Sequential`` model (Keras 2 style).

    Example:
        >>> import torch, layerwise as keras
        >>> class Scale(keras.layers.Layer):
        ...     def build(self, input_shape):
        ...         self.scale = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="scale")
        ...     def call(self, inputs):
        ...         return inputs * self.scale
        >>> layer = Scale()
        >>> layer(torch.ones(2, 3)).shape, [w.name for w in layer.weights]
        (torch.Size([2, 3]), ['scale'])
    """

    # Called on its own with no ``training`` (not inside a model), does the layer run in training mode?
    # Keras's augmentation layers do (their ``call`` defaults to ``training=True``); most layers don't.
    _direct_call_trains: bool = False

    def __new__(cls, *args, **kwargs):
        instance = super().__new__(cls)
        object.__setattr__(instance, "_constructor_arguments", (args, kwargs))
        return instance

    _accepted_input: tuple | None = None  # see forward: the input signature last checked against input_spec
    _computes_masks = True

    def __init__(self, *, activity_regularizer: Any = None, trainable: bool = True, dtype: Any = None,
                 autocast: bool = True, name: str | None = None, **kwargs):
        torch.nn.Module.__init__(self)
        cls_name = type(self).__name__
        input_shape, batch_size = _input_shape_from_kwargs(cls_name, kwargs)
        initial_weights = kwargs.pop("weights", None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments passed to {cls_name}: {kwargs}")
        if name is None:
            name = auto_name(cls_name)
        if not isinstance(name, str) or not name or "/" in name:
            raise ValueError(f"`{cls_name}` argument `name` must be a non-empty string without '/'; received name={name!r}.")
        self.name = name
        self._input_shape_arg = input_shape
        self._batch_size_arg = batch_size
        self._dtype_policy = dtype_policies.get(dtype)
        self.autocast = autocast
        self._trainable = bool(trainable)
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.built = False
        self.input_spec = None
        # _computes_masks stays as the class decided even where a layer sets supports_masking itself: without
        # an input mask, the default compute_mask gives none, so the output-mask step can be skipped.
        self.supports_masking = self._computes_masks = type(self).compute_mask is not Layer.compute_mask
        self._inbound_nodes: list = []
        self._outbound_nodes: list = []
        self._losses: list = []
        self._last_loss_owners: list = []
        self._initial_weights = initial_weights
        self._build_shapes = None
        self._creation_device: torch.device | None = None
        self._call_has_training, self._call_has_mask = _call_info(type(self))
        # Keras semantics by default: calling a layer is inference unless training=True is given.
        self.training = False

    # ---- attribute tracking ----------------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_") and "_modules" in self.__dict__:
            modules = self.__dict__["_modules"]
            if name in modules and not isinstance(value, torch.nn.Module):
                del modules[name]  # a tracked list/dict replaced by another value
            if isinstance(value, torch.nn.Parameter):
                self._rename_parameter(value, name)
            elif type(value) in (list, dict, tuple):
                value = tracking.maybe_track(self, name, value)
                object.__setattr__(self, name, value)
                return
        super().__setattr__(name, value)

    def _rename_parameter(self, value: torch.nn.Parameter, name: str) -> None:
        params = self.__dict__.get("_parameters")
        if not params:
            return
        old = next((k for k, v in params.items() if v is value and k != name), None)
        if old is not None and name not in params:
            renamed = {(name if k == old else k): v for k, v in params.items()}
            params.clear()
            params.update(renamed)

    # ---- dtypes ----------------------------------------------------------------------------------
    @property
    def dtype_policy(self) -> dtype_policies.DTypePolicy:
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value: Any) -> None:
        self._dtype_policy = dtype_policies.get(value)

    @property
    def dtype(self) -> str:
        """The dtype of the layer's weights (Keras's ``layer.dtype``)."""
        return self._dtype_policy.variable_dtype

    @property
    def variable_dtype(self) -> str:
        return self._dtype_policy.variable_dtype

    @property
    def compute_dtype(self) -> str:
        return self._dtype_policy.compute_dtype

    def _apply(self, fn, recurse=True):
        result = super()._apply(fn, recurse)
        # `.double()`, `.half()`, `.to(dtype)`: keep the policy in step with the weights.
        first = next((p for p in self._parameters.values() if p is not None and p.is_floating_point()), None)
        if first is not None and first.dtype != self._dtype_policy.torch_variable_dtype:
            self._dtype_policy = dtype_policies.DTypePolicy(standardize_dtype(first.dtype))
        return result

    # ---- building --------------------------------------------------------------------------------
    def build(self, input_shape: Any = None) -> None:
        """Create the weights, given the input shape. The default creates none."""
        self.built = True

    def _maybe_build(self, args: tuple) -> None:
        first = args[0] if args else None
        shapes = symbolic_call.shape_of(first)
        tensors = [t for t in tree.flatten(first) if isinstance(t, torch.Tensor)]
        self._creation_device = tensors[0].device if tensors else None
        try:
            self._build_with_shapes(shapes)
        finally:
            self._creation_device = None

    def _build_with_shapes(self, shapes: Any) -> None:
        if type(self).build is not Layer.build:
            self.build(shapes)
        self.built = True
        self._build_shapes = _batchless(shapes)
        if self._initial_weights is not None:
            weights, self._initial_weights = self._initial_weights, None
            self.set_weights(weights)

    # ---- calling ---------------------------------------------------------------------------------
    def call(self, *args, **kwargs):
        raise NotImplementedError(f"Layer {type(self).__name__} does not implement `call()`.")

    def __call__(self, *args, **kwargs):
        if args and isinstance(args[0], torch.Tensor) and len(args) == 1 and not kwargs:
            return super().__call__(*args)
        if not args and "inputs" in kwargs:
            args = (kwargs.pop("inputs"),)
        if any_symbolic(args, kwargs):
            return self._symbolic_call(*args, **kwargs)
        return super().__call__(*args, **kwargs)

    def forward(self, *args, **kwargs):
        training = kwargs.pop("training", None)
        if training is None:
            training = CONTEXT.training if CONTEXT.depth else (self.training or self._direct_call_trains)
        if args and not isinstance(args[0], torch.Tensor):
            args = (self._convert_inputs(args[0]),) + args[1:]
        if not self.built:
            self._maybe_build(args)
        inputs = args[0] if args else None
        spec = self.input_spec
        if spec is not None:
            # A single tensor of the shape and dtype already accepted by this very spec needs no new check.
            if isinstance(inputs, torch.Tensor):
                key = (spec, inputs.shape, inputs.dtype)
                if self._accepted_input != key:
                    assert_input_compatibility(spec, inputs, self)
                    self._accepted_input = key
            else:
                assert_input_compatibility(spec, inputs, self)
        if self.autocast and inputs is not None:
            inputs = self._autocast(inputs)
            args = (inputs,) + args[1:]
        previous_mask = _get_mask(inputs)
        explicit_mask = kwargs.get("mask")
        if explicit_mask is not None:
            previous_mask = explicit_mask  # as Keras: an explicit mask wins over the attached one
        elif self._call_has_mask and previous_mask is not None:
            kwargs["mask"] = previous_mask
        if self._call_has_training:
            kwargs["training"] = training
        outermost = CONTEXT.depth == 0
        if outermost and not CONTEXT.tracing:
            for owner in self._last_loss_owners:
                owner._losses.clear()
            CONTEXT.loss_owners = []
        outer_training = CONTEXT.training
        CONTEXT.depth += 1
        CONTEXT.training = training
        try:
            outputs = self.call(*args, **kwargs)
        finally:
            CONTEXT.depth -= 1
            CONTEXT.training = outer_training
        if self.activity_regularizer is not None:
            for output in tree.flatten(outputs):
                if isinstance(output, torch.Tensor):
                    penalty = self.activity_regularizer(output)
                    if output.ndim > 0:  # as Keras 3: per sample, so the strength does not depend on batch size
                        penalty = penalty / max(output.shape[0], 1)
                    self.add_loss(penalty)
        if self.supports_masking and (previous_mask is not None or self._computes_masks):
            self._set_output_masks(inputs, outputs, previous_mask)
        if outermost and not CONTEXT.tracing:
            self.__dict__["_last_loss_owners"] = CONTEXT.loss_owners  # a plain list: no Module bookkeeping
            CONTEXT.loss_owners = []
        return outputs

    def _convert_inputs(self, inputs: Any) -> Any:
        device = self._weight_device()

        def convert(x):
            if x is None or isinstance(x, torch.Tensor):
                return x
            if isinstance(x, (np.ndarray, list, float, int)) or hasattr(x, "__array__"):
                return convert_to_tensor(x, device=device)
            return x

        return tree.map_structure(convert, inputs)

    def _autocast(self, inputs: Any) -> Any:
        compute = self._dtype_policy.torch_compute_dtype
        if isinstance(inputs, torch.Tensor):
            if inputs.is_floating_point() and inputs.dtype != compute:
                mask = _get_mask(inputs)
                inputs = inputs.to(compute)
                if mask is not None:
                    inputs._keras_mask = mask
            return inputs
        return tree.map_structure(
            lambda x: x.to(compute) if isinstance(x, torch.Tensor) and x.is_floating_point() and x.dtype != compute
            else x, inputs)

    def _symbolic_call(self, *args, **kwargs):
        if not self.built:
            shapes = symbolic_call.shape_of(args[0] if args else None)
            self._build_with_shapes(shapes)
        if self.input_spec is not None:
            assert_input_compatibility(self.input_spec, args[0] if args else None, self)
        outputs = self.compute_output_spec(*args, **kwargs)
        Node(self, args, kwargs, outputs)
        return outputs

    def compute_output_spec(self, *args, **kwargs) -> Any:
        """Output KerasTensors for symbolic inputs (from ``compute_output_shape`` or a trial run)."""
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            shapes = symbolic_call.shape_of(args[0] if args else None)
            return symbolic_call.specs_from_shapes(self.compute_output_shape(shapes), self.compute_dtype)
        return symbolic_call.trace_output_spec(self, args, kwargs)

    def compute_output_shape(self, input_shape: Any) -> Any:
        """The output shape for a given input shape (with ``None`` for the batch size)."""
        inputs = symbolic_call.map_shapes(KerasTensor, input_shape)
        specs = symbolic_call.trace_output_spec(self, (inputs,), {})
        return tree.map_structure(lambda kt: kt.shape, specs)

    # ---- masks -----------------------------------------------------------------------------------
    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        """The mask of the outputs; layers that support masking pass the input mask through."""
        return previous_mask if self.supports_masking else None

    def _set_output_masks(self, inputs: Any, outputs: Any, previous_mask: Any) -> None:
        """Attach ``compute_mask``'s result to the outputs that have no mask yet (as Keras does:
        a mask the layer attached itself in ``call``, as ``Masking`` does, is kept)."""
        flat_outputs = [o for o in tree.flatten(outputs) if isinstance(o, torch.Tensor)]
        if not flat_outputs or all(_get_mask(o) is not None for o in flat_outputs):
            return
        mask = self.compute_mask(inputs, previous_mask)
        if mask is None:
            return
        flat_outputs = tree.flatten(outputs)
        flat_masks = tree.flatten(mask) if tree.is_nested(mask) else [mask] * len(flat_outputs)
        for output, m in zip(flat_outputs, flat_masks):
            if m is not None and isinstance(output, torch.Tensor) and _get_mask(output) is None:
                try:
                    output._keras_mask = m
                except AttributeError:
                    pass

    # ---- losses ----------------------------------------------------------------------------------
    def add_loss(self, loss: Any) -> None:
        """Add a scalar to ``layer.losses`` for this call (activity penalties, auxiliary losses)."""
        if CONTEXT.tracing:
            return
        if not isinstance(loss, torch.Tensor):
            loss = torch.as_tensor(loss, dtype=torch.float32)
        self._losses.append(loss)
        if CONTEXT.depth:
            if not any(owner is self for owner in CONTEXT.loss_owners):
                CONTEXT.loss_owners.append(self)
        elif not any(owner is self for owner in self._last_loss_owners):
            self._last_loss_owners.append(self)

    @property
    def losses(self) -> list:
        """Losses added during the last call, then the weight regularization penalties."""
        out: list = []
        seen: set[int] = set()
        for module in self.modules():
            if isinstance(module, Layer) and id(module) not in seen:
                seen.add(id(module))
                out.extend(module._losses)
        for weight in self.weights:
            regularizer = getattr(weight, "regularizer", None)
            if regularizer is not None:
                out.append(regularizer(weight))
        return out

    def extra_repr(self) -> str:
        return f"name={self.name}, built={self.built}"


def _get_mask(x: Any) -> Any:
    return getattr(x, "_keras_mask", None) if isinstance(x, torch.Tensor) else None
