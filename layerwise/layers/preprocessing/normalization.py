"""``Normalization``: feature scaling ``(x - mean) / sqrt(variance)`` with statistics from ``adapt``."""

from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
import torch

from layerwise import config
from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.layers.preprocessing.preprocessing_utils import adapt_batches, to_float_tensor


def _standardize_axis(owner: str, axis: Any) -> tuple[int, ...]:
    if axis is None:
        return ()
    if isinstance(axis, numbers.Integral) and not isinstance(axis, bool):
        return (int(axis),)
    try:
        values = tuple(axis)
    except TypeError:
        values = None
    if values is None or any(isinstance(a, bool) or not isinstance(a, numbers.Integral) for a in values):
        raise ValueError(f"`{owner}` argument `axis` must be None, an integer or a tuple of integers; "
                         f"received axis={axis!r}.")
    return tuple(int(a) for a in values)


@export("layerwise.layers.Normalization")
class Normalization(Layer):
    """Standardizes features: ``(x - mean) / sqrt(variance)`` per position of ``axis``.

    The statistics are either given (``mean``, ``variance``) or computed from data with
    :meth:`adapt`, which uses the population variance (divisor ``n``) as Keras does. A standard
    deviation below ``layerwise.config.epsilon()`` is replaced by epsilon.

    Args:
        axis: the axes that keep their own statistics (default ``-1``: one mean per feature);
            the other axes are reduced over. ``None`` computes one scalar mean and variance.
        mean, variance: fixed statistics (scalars or arrays broadcastable to the kept axes);
            both or neither must be given.
        invert: apply the inverse transform ``mean + x * sqrt(variance)``.

    Example:
        >>> import numpy as np, layerwise as keras
        >>> layer = keras.layers.Normalization()
        >>> layer.adapt(np.array([[0.0, 10.0], [2.0, 30.0]]))
        >>> layer(np.array([[1.0, 20.0], [3.0, 40.0]])).tolist()
        [[0.0, 0.0], [2.0, 2.0]]
    """

    def __init__(self, axis: Any = -1, mean: Any = None, variance: Any = None, invert: bool = False, **kwargs):
        owner = type(self).__name__
        axis = _standardize_axis(owner, axis)
        if (mean is None) != (variance is None):
            raise ValueError(f"`{owner}` arguments `mean` and `variance` must both be given or both be None; "
                             f"received mean={mean!r}, variance={variance!r}.")
        if mean is not None:
            if np.shape(mean) != np.shape(variance):
                raise ValueError(f"`{owner}` arguments `mean` and `variance` must have the same shape; received "
                                 f"shapes {np.shape(mean)} and {np.shape(variance)}.")
            if len(np.shape(mean)) > len(axis):
                raise ValueError(f"`{owner}` argument `mean` must have a rank of at most the number of axes "
                                 f"({len(axis)}, axis={axis}); received a mean of shape {np.shape(mean)}.")
            if np.any(np.asarray(variance, dtype=np.float64) < 0):
                raise ValueError(f"`{owner}` argument `variance` must be non-negative; received "
                                 f"variance={variance!r}.")
        super().__init__(**kwargs)
        self.axis = axis
        self.input_mean = mean
        self.input_variance = variance
        self.invert = bool(invert)
        self.supports_masking = True

    # ---- building --------------------------------------------------------------------------------
    def build(self, input_shape: Any) -> None:
        owner = type(self).__name__
        ndim = len(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(f"`{owner}` argument `axis` must hold axes in [-{ndim}, {ndim}) for inputs of rank "
                             f"{ndim}; received axis={self.axis} for an input of shape {tuple(input_shape)}.")
        keep = tuple(sorted({a % ndim for a in self.axis}))
        for d in keep:
            if input_shape[d] is None:
                raise ValueError(f"Layer '{self.name}' ({owner}) keeps statistics along axis {d}, whose size must "
                                 f"be known; received an input of shape {tuple(input_shape)}.")
        self._keep_axis = keep
        self._reduce_axis = tuple(d for d in range(ndim) if d not in keep)
        self._broadcast_shape = tuple(int(input_shape[d]) if d in keep else 1 for d in range(ndim))
        self._stats_shape = tuple(int(input_shape[d]) for d in keep)
        self._full_build_shape = tuple(input_shape)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(name="mean", shape=self._stats_shape, initializer="zeros",
                                              trainable=False)
            self.adapt_variance = self.add_weight(name="variance", shape=self._stats_shape, initializer="ones",
                                                  trainable=False)
            self.count = self.add_weight(name="count", shape=(), dtype="int64", initializer="zeros",
                                         trainable=False)
        else:
            dtype = torch.float64
            mean = torch.as_tensor(np.asarray(self.input_mean, dtype=np.float64), dtype=dtype)
            variance = torch.as_tensor(np.asarray(self.input_variance, dtype=np.float64), dtype=dtype)
            if mean.ndim:
                expanded = [1] * ndim
                for i in range(1, mean.ndim + 1):
                    expanded[keep[-i]] = mean.shape[-i]
                mean, variance = mean.reshape(expanded), variance.reshape(expanded)
            try:
                mean = torch.broadcast_to(mean, self._broadcast_shape).clone()
                variance = torch.broadcast_to(variance, self._broadcast_shape).clone()
            except RuntimeError:
                raise ValueError(f"Layer '{self.name}' ({owner}): `mean` of shape {np.shape(self.input_mean)} "
                                 f"does not broadcast to the kept axes of shape {self._stats_shape}.") from None
            device = self._weight_device()
            self.register_buffer("_fixed_mean", mean.to(device), persistent=False)
            self.register_buffer("_fixed_variance", variance.to(device), persistent=False)
        self.built = True

    # ---- adapting --------------------------------------------------------------------------------
    def adapt(self, data: Any) -> None:
        """Compute the mean and (population) variance of ``data`` along the reduced axes.

        Args:
            data: a NumPy array, a torch tensor, or an iterable of batches (arrays or tensors, or
                ``(x, y)`` tuples); batches are combined exactly (Chan's parallel formula).
        """
        owner = type(self).__name__
        if self.input_mean is not None:
            raise ValueError(f"Layer '{self.name}' ({owner}) was given `mean` and `variance`; it cannot be adapted.")
        shape, batches = adapt_batches(owner, data)
        if not self.built:
            self._build_with_shapes(shape)
            if 0 in self._keep_axis:
                self._build_shapes = tuple(shape)
        self._check_shape(shape)
        device = self.adapt_mean.device
        total_mean = torch.zeros(self._stats_shape, dtype=torch.float64, device=device)
        total_var = torch.zeros(self._stats_shape, dtype=torch.float64, device=device)
        total_count = 0
        for batch in batches:
            x = to_float_tensor(batch, torch.float64, device)
            self._check_shape(tuple(x.shape))
            count = math.prod(x.shape[d] for d in self._reduce_axis) if self._reduce_axis else 1
            if count == 0:
                continue
            if self._reduce_axis:
                mean = x.mean(dim=self._reduce_axis)
                var = x.var(dim=self._reduce_axis, correction=0)
            else:
                mean, var = x, torch.zeros_like(x)
            total_count += count
            weight = count / total_count
            new_mean = total_mean * (1 - weight) + mean * weight
            total_var = ((total_var + (total_mean - new_mean) ** 2) * (1 - weight)
                         + (var + (mean - new_mean) ** 2) * weight)
            total_mean = new_mean
        with torch.no_grad():
            self.adapt_mean.copy_(total_mean.to(self.adapt_mean.dtype))
            self.adapt_variance.copy_(total_var.to(self.adapt_variance.dtype))

    def _check_shape(self, shape: tuple) -> None:
        built = self._full_build_shape
        if len(shape) != len(built) or any(shape[d] != built[d] for d in self._keep_axis):
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) was built for inputs of shape {built}, "
                             f"but adapt() received data of shape {shape}; the sizes along axis "
                             f"{self._keep_axis} must match.")

    # ---- calling ---------------------------------------------------------------------------------
    @property
    def mean(self) -> torch.Tensor | None:
        """The mean, shaped to broadcast against the inputs (``None`` before the layer is built)."""
        if not self.built:
            return None
        if self.input_mean is not None:
            return self._fixed_mean
        return self.adapt_mean.reshape(self._broadcast_shape)

    @property
    def variance(self) -> torch.Tensor | None:
        """The variance, shaped to broadcast against the inputs (``None`` before the layer is built)."""
        if not self.built:
            return None
        if self.input_mean is not None:
            return self._fixed_variance
        return self.adapt_variance.reshape(self._broadcast_shape)

    def call(self, inputs):
        inputs = inputs.to(self._dtype_policy.torch_compute_dtype)
        mean = self.mean.to(inputs.dtype)
        std = torch.clamp(torch.sqrt(self.variance.to(inputs.dtype)), min=config.epsilon())
        if self.invert:
            return mean + inputs * std
        return (inputs - mean) / std

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        return {**super().get_config(), "axis": list(self.axis), "invert": self.invert,
                "mean": np.array(self.input_mean).tolist(), "variance": np.array(self.input_variance).tolist()}

    @classmethod
    def from_config(cls, config: dict) -> Normalization:
        config = dict(config)
        if isinstance(config.get("axis"), list):
            config["axis"] = tuple(config["axis"])
        return cls(**config)
