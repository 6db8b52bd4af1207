"""Losses beyond Keras 3: the Jensen-Shannon divergence and the Wasserstein (WGAN critic) loss."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.losses.divergence import clip_distribution
from layerwise.losses.loss import LossFunctionWrapper, float_pair


@export("layerwise.losses.js_divergence", "layerwise.losses.jsd", "layerwise.metrics.js_divergence")
def js_divergence(y_true, y_pred):
    """Jensen-Shannon divergence along the last axis, in nats: ``(KL(t || m) + KL(p || m)) / 2``.

    ``m = (t + p) / 2``. Like :func:`kl_divergence`, ``t`` and ``p`` are first clipped to
    ``[eps, 1]``, so zeros never give inf or nan. Unlike KL it is symmetric and bounded by
    ``log(2)`` (reached by distributions with disjoint supports).

    Example:
        >>> import torch
        >>> out = js_divergence(torch.tensor([[1.0, 0.0]]), torch.tensor([[0.0, 1.0]]))
        >>> round(float(out), 4)  # log(2), up to the clipping
        0.6931
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    y_true, y_pred = clip_distribution(y_true), clip_distribution(y_pred)
    log_mixture = torch.log(0.5 * (y_true + y_pred))
    to_true = y_true * (torch.log(y_true) - log_mixture)
    to_pred = y_pred * (torch.log(y_pred) - log_mixture)
    return 0.5 * torch.sum(to_true + to_pred, dim=-1)


@export("layerwise.losses.wasserstein", "layerwise.metrics.wasserstein")
def wasserstein(y_true, y_pred):
    """The WGAN critic loss ``mean(y_true * y_pred, axis=-1)``.

    Label convention (minimising the loss): for the critic, real samples get ``y_true = -1`` and
    generated ones ``+1``, so it learns to score real samples high and fakes low; the
    generator is trained with ``y_true = -1`` on its own samples, to raise their score. Summed
    over a real batch and a fake batch, the critic's loss is ``mean(score(fake)) - mean(score(real))``,
    the negated estimate of the Wasserstein-1 distance (valid for a Lipschitz critic: clip its
    weights or add a gradient penalty).

    Example:
        >>> import torch
        >>> scores = torch.tensor([[3.0], [1.0]])  # critic scores of a real and a generated sample
        >>> wasserstein(torch.tensor([[-1.0], [1.0]]), scores)
        tensor([-3.,  1.])
    """
    y_true, y_pred = float_pair(y_true, y_pred)
    return torch.mean(y_true * y_pred, dim=-1)


@export("layerwise.losses.JSDivergence")
class JSDivergence(LossFunctionWrapper):
    """Jensen-Shannon divergence between the distributions ``y_true`` and ``y_pred`` (last axis). ★

    Args:
        reduction: how to reduce over the batch (see :class:`Loss`).
        name: the loss's name.
        dtype: dtype of the computation (default floatx).

    Example:
        >>> import torch
        >>> JSDivergence()(torch.tensor([[0.3, 0.7]]), torch.tensor([[0.3, 0.7]]))
        tensor(0.)
    """

    def __init__(self, reduction: Any = "sum_over_batch_size", name: str = "js_divergence", dtype: Any = None):
        super().__init__(js_divergence, reduction=reduction, name=name, dtype=dtype)


@export("layerwise.losses.Wasserstein")
class Wasserstein(LossFunctionWrapper):
    """The WGAN critic loss ``mean(y_true * y_pred)``: labels -1 for real, +1 for generated. ★

    See :func:`wasserstein` for the label convention of the critic and the generator.

    Example:
        >>> import torch
        >>> critic_scores = torch.tensor([[2.0], [4.0], [-1.0], [1.0]])  # two real, then two fake
        >>> Wasserstein()(torch.tensor([[-1.0], [-1.0], [1.0], [1.0]]), critic_scores)
        tensor(-1.5000)
    """

    def __init__(self, reduction: Any = "sum_over_batch_size", name: str = "wasserstein", dtype: Any = None):
        super().__init__(wasserstein, reduction=reduction, name=name, dtype=dtype)
