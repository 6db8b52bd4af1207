"""``GroupNormalization``: per-sample normalisation over groups of channels (Wu and He, 2018)."""

from __future__ import annotations

import math
import numbers
from typing import Any

import torch
import torch.nn.functional as F

from layerwise import constraints, initializers, regularizers
from layerwise.api_export import export
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.layer import Layer
from layerwise.layers.normalization.normalization_utils import check_axes_in_range

_LOW_PRECISION = (torch.float16, torch.bfloat16)


@export("layerwise.layers.GroupNormalization")
class GroupNormalization(Layer):
    """Splits the channels into ``groups`` groups and normalises each group of each sample with
    its own mean and biased variance (over the group's channels and every other non-batch axis),
    then applies a per-channel ``gamma`` and ``beta``. The same in training and at inference.

    ``groups=1`` normalises each sample over everything (layer normalization over all axes);
    ``groups=-1`` (one group per channel) is instance normalization.

    Args:
        groups: the number of groups; must divide the number of channels.
        axis: the channel axis (``-1``; ``1`` for ``channels_first`` features).
        epsilon: added to the variance before the square root.
        center, scale: whether to learn the offset ``beta`` and the scale ``gamma``.
        beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer, beta_constraint,
            gamma_constraint: as for other weights.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.GroupNormalization(groups=2, epsilon=0.0)
        >>> x = torch.tensor([[1.0, 3.0, 10.0, 20.0]])  # groups (1, 3) and (10, 20)
        >>> layer(x).tolist()
        [[-1.0, 1.0, -1.0, 1.0]]
    """

    def __init__(self, groups: int = 32, axis: int = -1, epsilon: float = 1e-3, center: bool = True,
                 scale: bool = True, beta_initializer: Any = "zeros", gamma_initializer: Any = "ones",
                 beta_regularizer: Any = None, gamma_regularizer: Any = None, beta_constraint: Any = None,
                 gamma_constraint: Any = None, **kwargs):
        if isinstance(groups, bool) or not isinstance(groups, numbers.Integral) or (groups <= 0 and groups != -1):
            raise ValueError("`GroupNormalization` argument `groups` must be a positive integer (or -1 for instance "
                             f"normalization); received groups={groups!r}.")
        if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
            raise ValueError(f"`GroupNormalization` argument `axis` must be an integer; received axis={axis!r}.")
        if isinstance(epsilon, bool) or not isinstance(epsilon, numbers.Real) or not epsilon >= 0:
            raise ValueError("`GroupNormalization` argument `epsilon` must be a non-negative number; "
                             f"received epsilon={epsilon!r}.")
        weight_args = (initializers.get(beta_initializer), initializers.get(gamma_initializer),
                       regularizers.get(beta_regularizer), regularizers.get(gamma_regularizer),
                       constraints.get(beta_constraint), constraints.get(gamma_constraint))
        super().__init__(**kwargs)
        self.groups = int(groups)
        self.axis = int(axis)
        self.epsilon = float(epsilon)
        self.center = bool(center)
        self.scale = bool(scale)
        (self.beta_initializer, self.gamma_initializer, self.beta_regularizer, self.gamma_regularizer,
         self.beta_constraint, self.gamma_constraint) = weight_args
        self.supports_masking = True
        self.autocast = False  # as Keras: statistics in at least float32, output in the compute dtype
        self._num_groups = 0

    def build(self, input_shape):
        (axis,) = check_axes_in_range(self, [self.axis], input_shape)
        if axis == 0:
            raise ValueError(f"Layer '{self.name}' (GroupNormalization) argument `axis` must be a channel axis, not "
                             f"the batch axis; received axis={self.axis} for input shape {tuple(input_shape)}.")
        channels = input_shape[axis]
        if channels is None:
            raise ValueError(f"Layer '{self.name}' (GroupNormalization) needs a known size on axis {self.axis}; "
                             f"received input shape {tuple(input_shape)}.")
        groups = channels if self.groups == -1 else self.groups
        if channels < groups or channels % groups:
            raise ValueError(f"Layer '{self.name}' (GroupNormalization) argument `groups` must divide the number of "
                             f"channels ({channels} on axis {self.axis}); received groups={self.groups}.")
        self._num_groups = groups
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: channels})
        self.gamma = None if not self.scale else self.add_weight(
            shape=(channels,), initializer=self.gamma_initializer, name="gamma", regularizer=self.gamma_regularizer,
            constraint=self.gamma_constraint)
        self.beta = None if not self.center else self.add_weight(
            shape=(channels,), initializer=self.beta_initializer, name="beta", regularizer=self.beta_regularizer,
            constraint=self.beta_constraint)

    def call(self, inputs):
        x = inputs
        weight = self.gamma if self.gamma is not None else self.beta
        weight_dtype = weight.dtype if weight is not None else torch.float32
        if not x.is_floating_point():
            x = x.to(weight_dtype)
        if not (x.dtype in _LOW_PRECISION and weight_dtype == torch.float32):
            x = x.to(torch.promote_types(x.dtype, torch.float32))  # else torch's mixed-precision kernel
        compute = torch.promote_types(x.dtype, torch.float32)
        gamma = None if self.gamma is None else self.gamma.to(compute)
        beta = None if self.beta is None else self.beta.to(compute)
        axis = self.axis % x.ndim
        if axis == 1 and x.ndim > 2 and x.is_contiguous():
            out = F.group_norm(x, self._num_groups, gamma, beta, self.epsilon)  # torch's fused kernel
        else:
            # channels last (or in the middle): torch's kernel would need a permuted copy (and its CPU
            # backward for channels_last inputs is unreliable); a view and two passes do it
            out = _group_norm_on_axis(x.to(compute), axis, self._num_groups, gamma, beta, self.epsilon)
        return out.to(self._dtype_policy.torch_compute_dtype)

    def compute_output_shape(self, input_shape):
        check_axes_in_range(self, [self.axis], input_shape)
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "groups": self.groups,
            "axis": self.axis,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
        }


def _group_norm_on_axis(x: torch.Tensor, axis: int, groups: int, gamma: torch.Tensor | None,
                        beta: torch.Tensor | None, epsilon: float) -> torch.Tensor:
    """Group normalization with the channels on ``axis``: the input is viewed as
    ``(batch, before, groups, channels per group, after)`` and reduced over all but axes 0 and 2."""
    before = math.prod(x.shape[1:axis])
    after = math.prod(x.shape[axis + 1:])
    grouped = x.reshape(x.shape[0], before, groups, x.shape[axis] // groups, after)
    variance, mean = torch.var_mean(grouped, dim=(1, 3, 4), correction=0, keepdim=True)
    scale = torch.rsqrt(variance + epsilon)
    if gamma is not None:
        scale = scale * gamma.reshape(groups, -1, 1)
    shift = -mean * scale
    if beta is not None:
        shift = shift + beta.reshape(groups, -1, 1)
    return torch.addcmul(shift, grouped, scale).reshape(x.shape)
