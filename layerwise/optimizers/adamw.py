"""``AdamW``: Adam with decoupled weight decay on by default (Keras 3's ``weight_decay=0.004``)."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.optimizers.adam import Adam
from layerwise.utils.argument_validation import number_in_range


@export("layerwise.optimizers.AdamW")
class AdamW(Adam):
    """AdamW (Loshchilov & Hutter, 2019): :class:`Adam` whose weights first shrink by ``w * weight_decay * lr``.

    Each step does ``w = w - w * weight_decay * lr`` and then Adam's update, exactly as
    ``Adam(weight_decay=...)`` does; ``AdamW`` only makes the decay required (default 0.004).

    Args:
        learning_rate: default 0.001. weight_decay: 0.004 (a float; ``None`` is refused).
        beta_1: 0.9. beta_2: 0.999. epsilon: 1e-7. amsgrad: False.
        (and the common arguments of :class:`Optimizer`.)

    Example:
        >>> import torch, layerwise as keras
        >>> w = keras.Variable(torch.tensor([1.0]))
        >>> AdamW(learning_rate=0.1, weight_decay=0.5).apply([torch.tensor([0.0])], [w])
        >>> round(float(w.numpy()[0]), 4)  # a zero gradient: only the decay, 1 - 1 * 0.5 * 0.1
        0.95
    """

    def __init__(self, learning_rate: Any = 0.001, weight_decay: float = 0.004, beta_1: float = 0.9,
                 beta_2: float = 0.999, epsilon: float | None = 1e-7, amsgrad: bool = False,
                 clipnorm: float | None = None, clipvalue: float | None = None, global_clipnorm: float | None = None,
                 use_ema: bool = False, ema_momentum: float = 0.99, ema_overwrite_frequency: int | None = None,
                 loss_scale_factor: float | None = None, gradient_accumulation_steps: int | None = None,
                 name: str | None = None, **kwargs):
        if weight_decay is None:
            raise ValueError("`AdamW` argument `weight_decay` must be a non-negative float; received "
                             "weight_decay=None (use `Adam` for no weight decay).")
        weight_decay = number_in_range("AdamW", "weight_decay", weight_decay, 0, None)
        super().__init__(learning_rate=learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                         amsgrad=amsgrad, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs)
