"""``LayerNormalization``: per-sample normalisation over the feature axes (Ba et al., 2016)."""

from __future__ import annotations

import numbers
import warnings
from typing import Any

import torch
import torch.nn.functional as F

from layerwise import constraints, initializers, regularizers
from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.layers.normalization.normalization_utils import check_axes_in_range

_LOW_PRECISION = (torch.float16, torch.bfloat16)


def standardize_axes(owner: str, axis: Any) -> int | list[int]:
    """``axis`` as an int or a list of ints (the layers' spelling), refused otherwise.

    Example:
        >>> standardize_axes("LayerNormalization", (1, 2))
        [1, 2]
    """
    if isinstance(axis, (list, tuple)) and axis and all(
            isinstance(a, numbers.Integral) and not isinstance(a, bool) for a in axis):
        return [int(a) for a in axis]
    if isinstance(axis, numbers.Integral) and not isinstance(axis, bool):
        return int(axis)
    raise ValueError(f"`{owner}` argument `axis` must be an integer or a non-empty list of integers; "
                     f"received axis={axis!r}.")


@export("layerwise.layers.LayerNormalization")
class LayerNormalization(Layer):
    """Normalises each sample over ``axis``: ``gamma * (x - mean) / sqrt(var + epsilon) + beta``,
    with the mean and biased variance over those axes. It behaves the same in training and at
    inference and keeps no statistics.

    Args:
        axis: the axis or axes to normalise over (default ``-1``, the features); ``gamma`` and
            ``beta`` have the sizes of these axes.
        epsilon: added to the variance before the square root.
        center, scale: whether to learn the offset ``beta`` and the scale ``gamma``.
        beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer, beta_constraint,
            gamma_constraint: as for other weights.
        rms_scaling: deprecated in Keras 3 (and warned about, as there): ``x * gamma / sqrt(var + epsilon)``
            without subtracting the mean nor adding ``beta`` (Keras's formula, which scales by the
            variance, not the root mean square).

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.LayerNormalization(epsilon=0.0)
        >>> layer(torch.tensor([[1.0, 3.0], [0.0, 10.0]])).tolist()
        [[-1.0, 1.0], [-1.0, 1.0]]
        >>> [w.name for w in layer.weights]
        ['gamma', 'beta']
    """

    def __init__(self, axis: Any = -1, epsilon: float = 1e-3, center: bool = True, scale: bool = True,
                 beta_initializer: Any = "zeros", gamma_initializer: Any = "ones", beta_regularizer: Any = None,
                 gamma_regularizer: Any = None, beta_constraint: Any = None, gamma_constraint: Any = None,
                 rms_scaling: bool = False, **kwargs):
        axis = standardize_axes("LayerNormalization", axis)
        if isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real) or not epsilon >= 0:
            raise ValueError("`LayerNormalization` argument `epsilon` must be a non-negative number; "
                             f"received epsilon={epsilon!r}.")
        weight_args = (initializers.get(beta_initializer), initializers.get(gamma_initializer),
                       regularizers.get(beta_regularizer), regularizers.get(gamma_regularizer),
                       constraints.get(beta_constraint), constraints.get(gamma_constraint))
        super().__init__(**kwargs)
        if rms_scaling:
            warnings.warn("LayerNormalization(rms_scaling=True) is deprecated in Keras 3: it scales the input by "
                          "the variance, not the root mean square. Keras recommends `RMSNormalization`.",
                          UserWarning, stacklevel=2)
        self.axis = axis
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        self.rms_scaling = bool(rms_scaling)
        (self.beta_initializer, self.gamma_initializer, self.beta_regularizer, self.gamma_regularizer,
         self.beta_constraint, self.gamma_constraint) = weight_args
        self.supports_masking = True
        self.autocast = False  # as Keras: statistics in at least float32, output in the compute dtype
        self._normalized_shape: tuple[int, ...] = ()

    def _requested_axes(self) -> list[int]:
        return self.axis if isinstance(self.axis, list) else [self.axis]

    def _resolve_axes(self, input_shape) -> list[int]:
        axes = sorted(check_axes_in_range(self, self._requested_axes(), input_shape))
        if len(set(axes)) != len(axes):
            raise ValueError(f"Layer '{self.name}' (LayerNormalization) argument `axis` names an axis twice; "
                             f"received axis={self.axis!r} for input shape {tuple(input_shape)}.")
        return axes

    def build(self, input_shape):
        axes = self._resolve_axes(input_shape)
        shape = tuple(input_shape[a] for a in axes)
        if any(d is None for d in shape):
            raise ValueError(f"Layer '{self.name}' (LayerNormalization) needs known sizes on axis {self.axis}; "
                             f"received input shape {tuple(input_shape)}.")
        self._normalized_shape = shape
        self.gamma = None if not (self.scale or self.rms_scaling) else self.add_weight(
            shape=shape, initializer=self.gamma_initializer, name="gamma", regularizer=self.gamma_regularizer,
            constraint=self.gamma_constraint)
        self.beta = None if not (self.center and not self.rms_scaling) else self.add_weight(
            shape=shape, initializer=self.beta_initializer, name="beta", regularizer=self.beta_regularizer,
            constraint=self.beta_constraint)

    def call(self, inputs):
        x = inputs
        axes = self._resolve_axes(tuple(x.shape))  # negative axes count from the end of each input
        if tuple(x.shape[a] for a in axes) != self._normalized_shape:
            raise ValueError(f"Layer '{self.name}' (LayerNormalization) was built for sizes {self._normalized_shape} "
                             f"on axis {self.axis}; received input shape {tuple(x.shape)}.")
        weight = self.gamma if self.gamma is not None else self.beta
        weight_dtype = weight.dtype if weight is not None else torch.float32
        if not x.is_floating_point():
            x = x.to(weight_dtype)
        if not (x.dtype in _LOW_PRECISION and weight_dtype == torch.float32):
            x = x.to(torch.promote_types(x.dtype, torch.float32))  # else torch's mixed-precision kernel
        compute = torch.promote_types(x.dtype, torch.float32)
        gamma = None if self.gamma is None else self.gamma.to(compute)
        beta = None if self.beta is None else self.beta.to(compute)
        rank = x.ndim
        if not self.rms_scaling and axes == list(range(rank - len(axes), rank)):
            out = F.layer_norm(x, self._normalized_shape, gamma, beta, self.epsilon)  # fused kernel
        else:
            x = x.to(compute)
            if self.rms_scaling:
                out = x * torch.rsqrt(torch.var(x, dim=axes, correction=0, keepdim=True) + self.epsilon)
                beta = None
            else:
                variance, mean = torch.var_mean(x, dim=axes, correction=0, keepdim=True)
                out = (x - mean) * torch.rsqrt(variance + self.epsilon)
            if gamma is not None:
                out = out * _broadcast(gamma, axes, rank)
            if beta is not None:
                out = out + _broadcast(beta, axes, rank)
        return out.to(self._dtype_policy.torch_compute_dtype)

    def compute_output_shape(self, input_shape):
        self._resolve_axes(input_shape)
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "rms_scaling": self.rms_scaling,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }


def _broadcast(weight: torch.Tensor, axes: list[int], rank: int) -> torch.Tensor:
    """A weight over ``axes`` reshaped to broadcast against a rank-``rank`` input."""
    shape = [1] * rank
    for axis, size in zip(axes, weight.shape):
        shape[axis] = size
    return weight.reshape(shape)
