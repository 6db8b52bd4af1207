"""Activations, cross-entropies, normalisation, dropout and control flow of Keras 2's backend.

These follow Keras 2's ``keras.backend`` formulas, which differ from Keras 3 in places:
``hard_sigmoid`` is ``0.2 * x + 0.5`` clipped; ``binary_crossentropy`` is element-wise (no mean
over the last axis) and adds ``epsilon`` inside its logs; ``sparse_categorical_crossentropy``
clips probabilities before renormalising them (Keras 3 renormalises first).
"""

from __future__ import annotations

from typing import Any, Sequence

import torch

from layerwise import config, ops
from layerwise.api_export import export
from layerwise.backend._common import Axis, ShapeLike, TensorLike, as_tensor, axis_arg, generator, shape_tuple
from layerwise.losses import probabilistic


# ---- activations ------------------------------------------------------------------------------
@export("layerwise.backend.relu")
def relu(x: TensorLike, alpha: float = 0.0, max_value: float | None = None, threshold: float = 0.0) -> torch.Tensor:
    """Rectified linear unit: ``x`` above ``threshold``, else ``alpha * (x - threshold)``; capped at ``max_value``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.relu(torch.tensor([-2.0, 1.0, 8.0]), alpha=0.5, max_value=6.0)
        tensor([-1.,  1.,  6.])
    """
    x = as_tensor(x)
    if alpha != 0.0 and max_value is None and threshold == 0.0:
        return ops.leaky_relu(x, negative_slope=alpha)
    negative_part = ops.relu(threshold - x) if alpha != 0.0 else None
    out = x * ops.cast(ops.greater(x, threshold), x.dtype) if threshold != 0.0 else ops.relu(x)
    if max_value is not None:
        out = ops.clip(out, 0.0, max_value)
    if negative_part is not None:
        out = out - alpha * negative_part
    return out


@export("layerwise.backend.elu")
def elu(x: TensorLike, alpha: float = 1.0) -> torch.Tensor:
    """Exponential linear unit: ``x`` if ``x > 0`` else ``alpha * (exp(x) - 1)``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.elu(torch.tensor([-1.0, 2.0]), alpha=2.0)
        tensor([-1.2642,  2.0000])
    """
    return ops.elu(x, alpha=alpha)


@export("layerwise.backend.sigmoid")
def sigmoid(x: TensorLike) -> torch.Tensor:
    """``1 / (1 + exp(-x))``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.sigmoid(torch.tensor([0.0]))
        tensor([0.5000])
    """
    return ops.sigmoid(x)


@export("layerwise.backend.hard_sigmoid")
def hard_sigmoid(x: TensorLike) -> torch.Tensor:
    """Keras 2's piecewise-linear sigmoid ``clip(0.2 * x + 0.5, 0, 1)`` (Keras 3's op uses ``x / 6``).

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.hard_sigmoid(torch.tensor([-3.0, 0.0, 1.0, 3.0]))
        tensor([0.0000, 0.5000, 0.7000, 1.0000])
    """
    return ops.clip(0.2 * as_tensor(x) + 0.5, 0.0, 1.0)


@export("layerwise.backend.tanh")
def tanh(x: TensorLike) -> torch.Tensor:
    """Hyperbolic tangent.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.tanh(torch.tensor([0.0]))
        tensor([0.])
    """
    return ops.tanh(x)


@export("layerwise.backend.softmax")
def softmax(x: TensorLike, axis: Axis = -1) -> torch.Tensor:
    """``exp(x) / sum(exp(x))`` along ``axis`` (one axis or several).

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.softmax(torch.tensor([[0.0, 0.0]]))
        tensor([[0.5000, 0.5000]])
    """
    return ops.softmax(x, axis=axis_arg(axis))


@export("layerwise.backend.softplus")
def softplus(x: TensorLike) -> torch.Tensor:
    """``log(1 + exp(x))``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.softplus(torch.tensor([0.0]))
        tensor([0.6931])
    """
    return ops.softplus(x)


@export("layerwise.backend.softsign")
def softsign(x: TensorLike) -> torch.Tensor:
    """``x / (1 + |x|)``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.softsign(torch.tensor([1.0]))
        tensor([0.5000])
    """
    return ops.softsign(x)


# ---- cross-entropies --------------------------------------------------------------------------
@export("layerwise.backend.binary_crossentropy")
def binary_crossentropy(target: TensorLike, output: TensorLike, from_logits: bool = False) -> torch.Tensor:
    """Element-wise ``-(t log p + (1 - t) log(1 - p))``, with no mean over any axis (Keras 2's backend).

    Probabilities are clipped to ``[eps, 1 - eps]`` (``eps = epsilon()``), so 0 and 1 give finite values;
    with ``from_logits`` the stable ``max(x, 0) - x t + log(1 + exp(-|x|))`` form is used.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.binary_crossentropy(torch.tensor([[1.0, 1.0]]), torch.tensor([[0.5, 0.0]]))
        tensor([[ 0.6931, 15.4249]])
    """
    output = as_tensor(output)
    target = ops.cast(ops.convert_to_tensor(target, device=output.device), output.dtype)
    if from_logits:
        return ops.relu(output) - output * target + ops.log1p(ops.exp(-ops.absolute(output)))
    eps = config.epsilon()
    output = ops.clip(output, eps, 1.0 - eps)
    return -(target * ops.log(output + eps) + (1.0 - target) * ops.log(1.0 - output + eps))


@export("layerwise.backend.categorical_crossentropy")
def categorical_crossentropy(target: TensorLike, output: TensorLike, from_logits: bool = False,
                             axis: int = -1) -> torch.Tensor:
    """``-sum(t * log(p), axis)``; probabilities are renormalised to sum to 1, then clipped to ``[eps, 1 - eps]``.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.categorical_crossentropy(torch.tensor([[0.0, 1.0]]), torch.tensor([[0.5, 0.5]]))
        tensor([0.6931])
    """
    return probabilistic.categorical_crossentropy(target, output, from_logits=from_logits, axis=axis)


@export("layerwise.backend.sparse_categorical_crossentropy")
def sparse_categorical_crossentropy(target: TensorLike, output: TensorLike, from_logits: bool = False,
                                    axis: int = -1, ignore_class: int | None = None) -> torch.Tensor:
    """``-log(p[target])`` for integer labels, Keras 2's way: ``p`` is clipped to ``[eps, 1 - eps]``, then renormalised.

    Labels equal to ``ignore_class`` give 0. Labels may carry a trailing axis of size 1.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.sparse_categorical_crossentropy(torch.tensor([1, 0]), torch.tensor([[0.5, 0.5], [0.0, 1.0]]))
        tensor([ 0.6931, 16.1181])
    """
    output = as_tensor(output)
    target = ops.cast(ops.convert_to_tensor(target, device=output.device), "int64")
    if output.ndim < 1:
        raise ValueError("`sparse_categorical_crossentropy` argument `output` must have a class axis; received a "
                         "scalar.")
    if not from_logits:
        eps = config.epsilon()
        output = ops.log(ops.clip(output, eps, 1.0 - eps))
    log_probabilities = torch.movedim(ops.log_softmax(output, axis=axis), axis, -1)
    if target.ndim == log_probabilities.ndim and target.shape[-1] == 1:
        target = ops.squeeze(target, -1)
    if tuple(target.shape) != tuple(log_probabilities.shape[:-1]):
        raise ValueError(f"`sparse_categorical_crossentropy` argument `target` must have the shape of `output` "
                         f"without its class axis, {tuple(log_probabilities.shape[:-1])}; received "
                         f"{tuple(target.shape)}.")
    valid = None if ignore_class is None else ops.not_equal(target, ignore_class)
    if valid is not None:
        target = ops.where(valid, target, 0)
    values = -ops.squeeze(ops.take_along_axis(log_probabilities, ops.expand_dims(target, -1), axis=-1), -1)
    if valid is not None:
        values = values * ops.cast(valid, values.dtype)
        values._keras_mask = valid
    return values


# ---- normalisation, dropout -------------------------------------------------------------------
@export("layerwise.backend.l2_normalize")
def l2_normalize(x: TensorLike, axis: Axis = None) -> torch.Tensor:
    """``x / sqrt(max(sum(x ** 2, axis), 1e-12))``: unit L2 norm along ``axis`` (all axes when ``None``).

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.l2_normalize(torch.tensor([[3.0, 4.0]]), axis=-1)
        tensor([[0.6000, 0.8000]])
    """
    x = as_tensor(x)
    square_sum = ops.sum(ops.square(x), axis=axis_arg(axis), keepdims=True)
    return x / ops.sqrt(ops.maximum(square_sum, 1e-12))


@export("layerwise.backend.dropout")
def dropout(x: TensorLike, level: float, noise_shape: ShapeLike | None = None, seed: int | None = None) -> torch.Tensor:
    """``x`` with a fraction ``level`` of values set to 0 and the others scaled by ``1 / (1 - level)``.

    ``noise_shape`` is the shape of the random keep-mask, broadcast against ``x`` (for example
    ``(batch, 1, features)`` drops the same features at every step). Always active: it does not
    look at any training flag.

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> y = K.dropout(torch.ones(1000), 0.5, seed=3)
        >>> sorted(set(y.tolist()))
        [0.0, 2.0]
    """
    x = as_tensor(x)
    level = float(level)
    if not 0.0 <= level < 1.0:
        raise ValueError(f"`dropout` argument `level` must be in [0, 1); received level={level}.")
    if level == 0.0:
        return x
    dims = tuple(x.shape) if noise_shape is None else shape_tuple("dropout", noise_shape, allow_unknown=True)
    if len(dims) != x.ndim:
        raise ValueError(f"`dropout` argument `noise_shape` must have one size per axis of `x` {tuple(x.shape)}; "
                         f"received noise_shape={noise_shape!r}.")
    dims = tuple(x.shape[i] if d == -1 else d for i, d in enumerate(dims))
    dtype = x.dtype if x.is_floating_point() else torch.float32
    keep = torch.rand(dims, generator=generator(seed, x.device), dtype=dtype, device=x.device) >= level
    return x * keep.to(dtype) / (1.0 - level)


# ---- control flow and gradients ---------------------------------------------------------------
@export("layerwise.backend.switch")
def switch(condition: TensorLike, then_expression: Any, else_expression: Any) -> Any:
    """``then_expression`` where ``condition`` holds, else ``else_expression``.

    A scalar condition picks one whole branch (a callable branch is called only when picked). A
    tensor condition selects element-wise; when its rank is lower than the branches', it applies to
    their leading axes (Keras 2's rule, not NumPy's trailing-axis broadcasting).

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.switch(torch.tensor([True, False]), torch.ones(2, 2), torch.zeros(2, 2))
        tensor([[1., 1.],
                [0., 0.]])
    """
    condition = ops.cast(condition, "bool")
    if condition.ndim == 0:
        chosen = then_expression if bool(condition) else else_expression
        return chosen() if callable(chosen) else chosen
    then_value = then_expression() if callable(then_expression) else then_expression
    else_value = else_expression() if callable(else_expression) else else_expression
    branch_ndim = max(getattr(then_value, "ndim", 0), getattr(else_value, "ndim", 0))
    if condition.ndim > branch_ndim:
        raise ValueError(f"`switch` argument `condition` has rank {condition.ndim}, more than the branches' rank "
                         f"{branch_ndim}; it must be a scalar or have at most the branches' rank.")
    condition = ops.reshape(condition, tuple(condition.shape) + (1,) * (branch_ndim - condition.ndim))
    return ops.where(condition, then_value, else_value)


@export("layerwise.backend.stop_gradient")
def stop_gradient(variables: TensorLike | Sequence[TensorLike]) -> torch.Tensor | list:
    """``variables`` with no gradient flowing back through them (a list gives a list).

    Example:
        >>> import torch
        >>> from layerwise import backend as K
        >>> K.stop_gradient(torch.ones(2, requires_grad=True)).requires_grad
        False
    """
    if isinstance(variables, (list, tuple)):
        return [ops.stop_gradient(v) for v in variables]
    return ops.stop_gradient(variables)
