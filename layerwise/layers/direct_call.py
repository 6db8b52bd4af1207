"""Calling a layer inside a model without the per-call bookkeeping, where that bookkeeping would do nothing.

``layer(x)`` goes through torch's ``Module.__call__`` (hooks) and :meth:`Layer.forward` (training flag,
build, input checks, autocast, masks, the call context, activity penalties): about 10 µs of Python per
layer, paid on every layer of every step. Inside a model that is already running (the call context is
set), for a built layer with no hooks, no activity regulariser and no masks to compute, fed a tensor
without a mask whose shape and dtype the layer has already accepted and that needs no cast, all of that
bookkeeping is a no-op, and :func:`call_directly` runs ``layer.call`` straight away. Anything else
returns :data:`NOT_DIRECT`, and the caller makes the ordinary call. ``Sequential.call`` and the
functional graph's runner (``graph/function.py``, for single-tensor nodes) use it.

Example:
    >>> import torch, layerwise as keras
    >>> dense = keras.layers.Dense(2)
    >>> x = torch.ones(3, 4)
    >>> call_directly(dense, x, training=False) is NOT_DIRECT  # not built yet: the ordinary call builds it
    True
    >>> _ = dense(x)
    >>> torch.equal(call_directly(dense, x, training=False), dense(x))
    True
"""

from __future__ import annotations

from typing import Any

import torch
from torch.nn.modules import module as torch_module

from layerwise.layers.layer import Layer

NOT_DIRECT = object()  # "make the ordinary call": returned when the bookkeeping could matter
_PLAIN_TYPES: dict[type, bool] = {}


def _plain_type(cls: type) -> bool:
    """Whether ``cls`` calls through :class:`Layer`'s own ``__call__`` and ``forward`` (cached per class)."""
    plain = _PLAIN_TYPES.get(cls)
    if plain is None:
        plain = _PLAIN_TYPES[cls] = cls.__call__ is Layer.__call__ and cls.forward is Layer.forward
    return plain


def _global_hooks() -> bool:
    return bool(getattr(torch_module, "_global_forward_hooks", None)
                or getattr(torch_module, "_global_forward_pre_hooks", None)
                or getattr(torch_module, "_global_backward_hooks", None)
                or getattr(torch_module, "_global_backward_pre_hooks", None))


def call_directly(layer: Any, x: Any, training: bool) -> Any:
    """``layer.call(x)`` (with ``training`` where ``call`` takes it) if the ordinary call would add
    nothing to it; else :data:`NOT_DIRECT`. Only for layers called inside a running model."""
    if not (isinstance(layer, Layer) and _plain_type(type(layer)) and layer.built and isinstance(x, torch.Tensor)):
        return NOT_DIRECT
    if layer.activity_regularizer is not None or layer._computes_masks or getattr(x, "_keras_mask", None) is not None:
        return NOT_DIRECT
    if layer._forward_hooks or layer._forward_pre_hooks or layer._backward_hooks or layer._backward_pre_hooks \
            or _global_hooks():
        return NOT_DIRECT
    spec = layer.input_spec
    if spec is not None and layer._accepted_input != (spec, x.shape, x.dtype):
        return NOT_DIRECT  # not checked yet for this signature: the ordinary call checks it
    if layer.autocast and x.is_floating_point() and x.dtype != layer._dtype_policy.torch_compute_dtype:
        return NOT_DIRECT
    return layer.call(x, training=training) if layer._call_has_training else layer.call(x)
