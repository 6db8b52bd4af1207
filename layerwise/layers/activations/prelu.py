"""``PReLU``: a leaky ReLU whose negative slope ``alpha`` is learned."""

from __future__ import annotations

import numbers
from typing import Any

import torch

from layerwise import constraints, initializers, regularizers
from layerwise.api_export import export
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.layer import Layer


def _standardize_shared_axes(shared_axes: Any) -> list[int] | None:
    if shared_axes is None:
        return None
    values = shared_axes if isinstance(shared_axes, (list, tuple)) else [shared_axes]
    if not all(isinstance(a, numbers.Integral) and not isinstance(a, bool) and a != 0 for a in values):
        raise ValueError("`PReLU` argument `shared_axes` must be an integer or a list of integers naming non-batch "
                         f"axes (1, 2, ... or negative); received shared_axes={shared_axes!r}.")
    return [int(a) for a in values]


@export("layerwise.layers.PReLU")
class PReLU(Layer):
    """Parametric ReLU: ``x`` if ``x >= 0`` else ``alpha * x``, with ``alpha`` learned.

    Computed as Keras does, ``relu(x) - alpha * relu(-x)``.

    Args:
        alpha_initializer: initializer of ``alpha`` (default ``"Zeros"``: starts as a ReLU).
        alpha_regularizer, alpha_constraint: penalty and projection for ``alpha``.
        shared_axes: axes along which one ``alpha`` is shared (``[1, 2]`` for one slope per channel
            of ``(batch, height, width, channels)`` feature maps); negative axes count from the end.

    Weights:
        ``alpha``, of shape ``input_shape[1:]`` with every shared axis set to 1 (Keras's layout),
        e.g. ``(1, 1, channels)`` for ``shared_axes=[1, 2]`` on images.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(0.25), shared_axes=[1])
        >>> layer(torch.tensor([[[-4.0, 2.0], [-8.0, -1.0]]])).tolist(), tuple(layer.alpha.shape)
        ([[[-1.0, 2.0], [-2.0, -0.25]]], (1, 2))
    """

    def __init__(self, alpha_initializer: Any = "Zeros", alpha_regularizer: Any = None, alpha_constraint: Any = None,
                 shared_axes: Any = None, **kwargs):
        shared = _standardize_shared_axes(shared_axes)
        initializer = initializers.get(alpha_initializer)
        regularizer = regularizers.get(alpha_regularizer)
        constraint = constraints.get(alpha_constraint)
        super().__init__(**kwargs)
        self.alpha_initializer = initializer
        self.alpha_regularizer = regularizer
        self.alpha_constraint = constraint
        self.shared_axes = shared
        self.supports_masking = True

    def build(self, input_shape):
        ndim = len(input_shape)
        shared = set()
        for axis in self.shared_axes or []:
            positive = axis + ndim if axis < 0 else axis
            if not 1 <= positive < ndim:
                raise ValueError(f"Layer '{self.name}' (PReLU) argument `shared_axes` must name non-batch axes of its "
                                 f"{ndim}-D input; received shared_axes={self.shared_axes} for input shape "
                                 f"{tuple(input_shape)}.")
            shared.add(positive)
        param_shape = tuple(1 if i in shared else input_shape[i] for i in range(1, ndim))
        if any(size is None for size in param_shape):
            raise ValueError(f"Layer '{self.name}' (PReLU) needs known sizes for the axes it does not share; received "
                             f"input shape {tuple(input_shape)} with shared_axes={self.shared_axes}. Share the "
                             "unknown axes (`shared_axes=[...]`) or give the input a fixed shape.")
        self.alpha = self.add_weight(shape=param_shape, initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer, constraint=self.alpha_constraint, name="alpha")
        self.input_spec = InputSpec(ndim=ndim, axes={i: input_shape[i] for i in range(1, ndim) if i not in shared})

    def call(self, inputs):
        alpha = self.alpha
        if inputs.is_floating_point() and alpha.dtype != inputs.dtype:  # mixed precision: compute in the input's dtype
            alpha = alpha.to(inputs.dtype)
        return torch.relu(inputs) - alpha * torch.relu(-inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "alpha_initializer": initializers.serialize(self.alpha_initializer),
            "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
            "alpha_constraint": constraints.serialize(self.alpha_constraint),
            "shared_axes": self.shared_axes,
        }
