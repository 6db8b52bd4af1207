"""Kullback-Leibler divergence and the Poisson loss (Keras 3 formulas).

Both clip with ``epsilon()`` (1e-7), so probabilities or rates of exactly 0 never give inf.
"""

from __future__ import annotations

from typing import Any

import torch

from layerwise import config
from layerwise.api_export import export
from layerwise.losses.loss import LossFunctionWrapper, float_pair


def clip_distribution(x: torch.Tensor) -> torch.Tensor:
    """Probabilities clipped to ``[epsilon, 1]`` (as Keras's ``kl_divergence`` does)."""
    return torch.clamp(x, config.epsilon(), 1.0)


@export("layerwise.losses.kl_divergence", "layerwise.losses.kld", "layerwise.losses.KLD",
        "layerwise.losses.kullback_leibler_divergence", "layerwise.metrics.kl_divergence",
        "layerwise.metrics.kld", "layerwise.metrics.KLD", "layerwise.metrics.kullback_leibler_divergence")
def kl_divergence(y_true, y_pred):
    """``sum(t * log(t / p), axis=-1)`` with ``t`` and ``p`` clipped to ``[eps, 1]``.

    Example:
        >>> import torch
        >>> out = kl_divergence(torch.tensor([[0.5, 0.5]]), torch.tensor([[0.25, 0.75]]))
        >>> round(float(out), 4)
        0.1438
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    y_true, y_pred = clip_distribution(y_true), clip_distribution(y_pred)
    return torch.sum(y_true * torch.log(y_true / y_pred), dim=-1)


@export("layerwise.losses.poisson", "layerwise.metrics.poisson")
def poisson(y_true, y_pred):
    """``mean(p - t * log(p + eps), axis=-1)``: the Poisson negative log-likelihood of counts ``t``
    at rates ``p``, up to a term that depends on ``t`` only.

    Example:
        >>> import torch
        >>> out = poisson(torch.tensor([[2.0]]), torch.tensor([[1.0]]))
        >>> round(float(out), 4)
        1.0
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    return torch.mean(y_pred - y_true * torch.log(y_pred + config.epsilon()), dim=-1)


@export("layerwise.losses.KLDivergence")
class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence ``KL(y_true || y_pred)`` along the last axis.

    Args:
        reduction: how to reduce over the batch (see :class:`Loss`).
        name: the loss's name.
        dtype: dtype of the computation (default floatx).

    Example:
        >>> import torch
        >>> KLDivergence()(torch.tensor([[0.5, 0.5]]), torch.tensor([[0.5, 0.5]]))
        tensor(0.)
    """

    def __init__(self, reduction: Any = "sum_over_batch_size", name: str = "kl_divergence", dtype: Any = None):
        super().__init__(kl_divergence, reduction=reduction, name=name, dtype=dtype)


@export("layerwise.losses.Poisson")
class Poisson(LossFunctionWrapper):
    """The Poisson loss ``y_pred - y_true * log(y_pred)`` for count data, averaged over the last axis.

    Example:
        >>> import torch
        >>> round(float(Poisson()(torch.tensor([[1.0], [0.0]]), torch.tensor([[1.0], [2.0]]))), 4)
        1.5
    """

    def __init__(self, reduction: Any = "sum_over_batch_size", name: str = "poisson", dtype: Any = None):
        super().__init__(poisson, reduction=reduction, name=name, dtype=dtype)
