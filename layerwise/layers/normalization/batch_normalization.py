"""``BatchNormalization`` with Keras 3's semantics on torch's fused kernel.

Keras and torch differ in two places, both handled here:

* **Momentum.** Keras's ``momentum`` weighs the old value (``moving = 0.99 * moving + 0.01 * batch``);
  torch's weighs the new one. The kernel gets ``1 - momentum``.
* **The moving variance.** Keras averages the *biased* batch variance (the one it normalises
  with); torch's kernel averages the unbiased one, ``n / (n - 1)`` times larger. Dividing the
  moving variance by ``c = (n - 1) / n`` before the kernel's update and multiplying by ``c`` after
  gives exactly Keras's ``m * v + (1 - m) * biased`` -- two in-place operations on a ``(C,)``
  vector, no host synchronisation, so a training step stays capturable in a CUDA graph.

The channel axis can be any axis: the input is viewed (not copied) as ``(A, C, B)`` with the
channels in the middle, which is what ``F.batch_norm`` normalises. Masked inputs, batch
renormalization, ``epsilon=0`` and batches with a single value per channel take an unfused path
with the same formulas (``batch_renorm.py``).
"""

from __future__ import annotations

import numbers
from typing import Any

import torch
import torch.nn.functional as F

from layerwise import constraints, initializers, regularizers
from layerwise.api_export import export
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.layer import Layer
from layerwise.layers.normalization import batch_renorm
from layerwise.layers.normalization.normalization_utils import (
    channel_view,
    check_axes_in_range,
    masked_moments,
)
from layerwise.utils.argument_validation import number_in_range

_LOW_PRECISION = (torch.float16, torch.bfloat16)


def _standardize_axis(axis: Any) -> int:
    if isinstance(axis, (list, tuple)) and len(axis) == 1:  # Keras 2 configs store the axis as [3]
        axis = axis[0]
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral):
        raise ValueError(f"`BatchNormalization` argument `axis` must be an integer (one axis); received axis={axis!r}.")
    return int(axis)


@export("layerwise.layers.BatchNormalization")
class BatchNormalization(Layer):
    """Normalises each channel with the batch's mean and variance in training, and with their
    moving averages at inference.

    Training (``training=True`` and ``layer.trainable``): ``gamma * (x - mean) / sqrt(var + epsilon)
    + beta`` with the mean and the *biased* variance of the batch over every axis except ``axis``,
    then ``moving_mean = momentum * moving_mean + (1 - momentum) * mean`` (same for the variance).
    Inference: the same formula with ``moving_mean`` and ``moving_variance``. As in Keras 3, a layer
    with ``trainable = False`` always runs in inference mode (and leaves its statistics alone).

    Args:
        axis: the channel axis (``-1``; ``1`` after a ``channels_first`` convolution).
        momentum: weight of the old value in the moving averages.
        epsilon: added to the variance before the square root.
        center, scale: whether to learn the offset ``beta`` and the scale ``gamma``.
        beta_initializer, gamma_initializer, moving_mean_initializer, moving_variance_initializer:
            initial values (``"zeros"``, ``"ones"``, ``"zeros"``, ``"ones"``).
        beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint: as for other weights.
        renorm, renorm_clipping, renorm_momentum: batch renormalization (Ioffe, 2017), as in Keras:
            ``renorm_clipping`` may hold ``"rmax"``, ``"rmin"`` and ``"dmax"``.
        synchronized: accepted for compatibility. Statistics are those of the batch this process
            sees; in a single process (the usual case) this is exactly the synchronized result.

    Call arguments:
        mask: ``(batch, ...)`` with one axis fewer than the input; in training, only the positions
            where it is true contribute to the batch statistics (the output covers all positions).

    Weights:
        ``gamma``, ``beta`` (trainable), ``moving_mean``, ``moving_variance`` (non-trainable), each
        of shape ``(channels,)``; with ``renorm``, also ``moving_stddev``, ``renorm_mean``, ``renorm_stddev``.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.BatchNormalization(momentum=0.5, epsilon=0.0)
        >>> x = torch.tensor([[1.0], [3.0]])  # mean 2, biased variance 1
        >>> layer(x, training=True).flatten().tolist()
        [-1.0, 1.0]
        >>> layer.moving_mean.tolist(), layer.moving_variance.tolist()  # 0.5 * old + 0.5 * batch
        ([1.0], [1.0])
        >>> layer(x).flatten().tolist()  # inference: (x - 1) / sqrt(1)
        [0.0, 2.0]
    """

    def __init__(self, axis: int = -1, momentum: float = 0.99, epsilon: float = 1e-3, center: bool = True,
                 scale: bool = True, beta_initializer: Any = "zeros", gamma_initializer: Any = "ones",
                 moving_mean_initializer: Any = "zeros", moving_variance_initializer: Any = "ones",
                 beta_regularizer: Any = None, gamma_regularizer: Any = None, beta_constraint: Any = None,
                 gamma_constraint: Any = None, renorm: bool = False, renorm_clipping: dict | None = None,
                 renorm_momentum: float = 0.99, synchronized: bool = False, **kwargs):
        kwargs.pop("fused", None)  # Keras 2: a speed hint; the fused kernel is used whenever it applies
        for legacy in ("virtual_batch_size", "adjustment"):
            if kwargs.get(legacy, None) is not None:
                raise ValueError(f"`BatchNormalization` argument `{legacy}` (Keras 2) is not supported; "
                                 f"received {legacy}={kwargs[legacy]!r}.")
            kwargs.pop(legacy, None)
        axis = _standardize_axis(axis)
        momentum = number_in_range("BatchNormalization", "momentum", momentum, 0, 1)
        epsilon = number_in_range("BatchNormalization", "epsilon", epsilon, 0, None)
        renorm_momentum = number_in_range("BatchNormalization", "renorm_momentum", renorm_momentum, 0, 1)
        if renorm:
            renorm_clipping = batch_renorm.validate_clipping(renorm_clipping)
        initializer_args = [initializers.get(i) for i in (beta_initializer, gamma_initializer,
                                                          moving_mean_initializer, moving_variance_initializer)]
        penalties = [regularizers.get(beta_regularizer), regularizers.get(gamma_regularizer)]
        projections = [constraints.get(beta_constraint), constraints.get(gamma_constraint)]
        super().__init__(**kwargs)
        self.axis = axis
        self.momentum = momentum
        self.epsilon = epsilon
        self.center = bool(center)
        self.scale = bool(scale)
        (self.beta_initializer, self.gamma_initializer, self.moving_mean_initializer,
         self.moving_variance_initializer) = initializer_args
        self.beta_regularizer, self.gamma_regularizer = penalties
        self.beta_constraint, self.gamma_constraint = projections
        self.renorm = bool(renorm)
        self.renorm_clipping = None if renorm_clipping is None else dict(renorm_clipping)
        self.renorm_momentum = renorm_momentum
        self.synchronized = bool(synchronized)
        self.supports_masking = True
        self._channel_axis: int | None = None

    def build(self, input_shape):
        (axis,) = check_axes_in_range(self, [self.axis], input_shape)
        channels = input_shape[axis]
        if channels is None:
            raise ValueError(f"Layer '{self.name}' (BatchNormalization) needs a known size on axis {self.axis}; "
                             f"received input shape {tuple(input_shape)}.")
        shape = (channels,)
        self.gamma = None if not self.scale else self.add_weight(
            shape=shape, initializer=self.gamma_initializer, name="gamma", regularizer=self.gamma_regularizer,
            constraint=self.gamma_constraint)
        self.beta = None if not self.center else self.add_weight(
            shape=shape, initializer=self.beta_initializer, name="beta", regularizer=self.beta_regularizer,
            constraint=self.beta_constraint)
        self.moving_mean = self.add_weight(shape=shape, initializer=self.moving_mean_initializer,
                                           trainable=False, name="moving_mean")
        self.moving_variance = self.add_weight(shape=shape, initializer=self.moving_variance_initializer,
                                               trainable=False, name="moving_variance")
        if self.renorm:
            batch_renorm.add_renorm_weights(self, shape)
        self._channel_axis = axis
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: channels})

    def call(self, inputs, training=None, mask=None):
        if mask is not None:
            mask = self._check_mask(inputs, mask)
        x = inputs
        stats_dtype = self.moving_mean.dtype
        if not x.is_floating_point():
            x = x.to(stats_dtype)
        view, reduce_dims = channel_view(x, self._channel_axis)
        count = x.numel() // max(x.shape[self._channel_axis], 1)  # values per channel (a Python int)
        training = bool(training) and self.trainable
        fused = (stats_dtype in (torch.float32, torch.float64)
                 and (x.dtype == stats_dtype or (x.dtype in _LOW_PRECISION and stats_dtype == torch.float32)))
        if fused and not (training and (mask is not None or self.renorm or count <= 1 or self.epsilon == 0)):
            out = self._fused(view, training, count)
        else:
            compute = torch.promote_types(x.dtype, torch.float32)
            view = view.to(compute)
            if mask is not None:
                mask = mask.unsqueeze(-1).expand(x.shape).reshape(view.shape)
            out = self._unfused(view, reduce_dims, training, mask).to(x.dtype)
        out = out.reshape(x.shape)
        compute_dtype = self._dtype_policy.torch_compute_dtype
        return out if out.dtype == compute_dtype else out.to(compute_dtype)

    def _check_mask(self, inputs: torch.Tensor, mask: Any) -> torch.Tensor:
        mask = torch.as_tensor(mask, device=inputs.device)
        if mask.ndim != inputs.ndim - 1:
            raise ValueError(f"Layer '{self.name}' (BatchNormalization) expects a mask with one dimension less than "
                             f"the inputs; received mask.shape={tuple(mask.shape)}, inputs.shape={tuple(inputs.shape)}.")
        try:
            torch.broadcast_shapes(tuple(mask.shape) + (1,), tuple(inputs.shape))
        except RuntimeError:
            raise ValueError(f"Layer '{self.name}' (BatchNormalization): the mask of shape {tuple(mask.shape)} does "
                             f"not broadcast to the inputs' leading axes {tuple(inputs.shape[:-1])}.") from None
        return mask.to(torch.bool)

    def _fused(self, view: torch.Tensor, training: bool, count: int) -> torch.Tensor:
        if not training:
            return F.batch_norm(view, self.moving_mean, self.moving_variance, self.gamma, self.beta,
                                training=False, momentum=0.0, eps=self.epsilon)
        # `.data`: like the kernel's own update of the statistics, invisible to autograd (which
        # keeps the statistics among the tensors saved for the backward pass)
        unbias = (count - 1) / count  # biased = unbiased * unbias
        self.moving_variance.data.mul_(1.0 / unbias)
        out = F.batch_norm(view, self.moving_mean, self.moving_variance, self.gamma, self.beta,
                           training=True, momentum=1.0 - self.momentum, eps=self.epsilon)
        self.moving_variance.data.mul_(unbias)
        return out

    def _unfused(self, view: torch.Tensor, reduce_dims: tuple[int, ...], training: bool,
                 mask: torch.Tensor | None) -> torch.Tensor:
        """Keras's formulas written out: masks, batch renormalization, one value per channel."""
        dtype = view.dtype
        gamma = None if self.gamma is None else self.gamma.to(dtype)
        beta = None if self.beta is None else self.beta.to(dtype)
        if not training:
            return _normalize(view, self.moving_mean.to(dtype), self.moving_variance.to(dtype), gamma, beta,
                              self.epsilon)
        if mask is None:
            variance, mean = torch.var_mean(view, dim=reduce_dims, correction=0)
        else:
            mean, variance = masked_moments(view, mask, reduce_dims)
        if self.renorm:
            gamma, beta = batch_renorm.corrected_affine(self, mean, variance, gamma, beta)
            batch_renorm.update_renorm_statistics(self, mean, variance)
        else:
            with torch.no_grad():
                for moving, batch in ((self.moving_mean, mean), (self.moving_variance, variance)):
                    moving.data.copy_(moving * self.momentum + batch.to(moving.dtype) * (1.0 - self.momentum))
        return _normalize(view, mean, variance, gamma, beta, self.epsilon)

    def compute_output_shape(self, input_shape):
        check_axes_in_range(self, [self.axis], input_shape)
        return input_shape

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
            "beta_regularizer": regularizers.serialize(self.beta_regularizer),
            "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
            "synchronized": self.synchronized,
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        }


def _normalize(view: torch.Tensor, mean: torch.Tensor, variance: torch.Tensor, gamma: torch.Tensor | None,
               beta: torch.Tensor | None, epsilon: float) -> torch.Tensor:
    """``(x - mean) * rsqrt(variance + epsilon) * gamma + beta`` with ``(C,)`` statistics on axis 1."""
    shape = (1, -1) + (1,) * (view.ndim - 2)
    inv = torch.rsqrt(variance + epsilon)
    if gamma is not None:
        inv = inv * gamma
    out = (view - mean.reshape(shape)) * inv.reshape(shape)
    return out if beta is None else out + beta.reshape(shape)
