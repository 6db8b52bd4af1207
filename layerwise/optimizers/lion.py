"""``Lion`` in Keras 3's form: the sign of an interpolated momentum."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.optimizers.foreach_helpers import per_dtype
from layerwise.optimizers.optimizer import Optimizer
from layerwise.utils.argument_validation import number_in_range


@export("layerwise.optimizers.Lion")
class Lion(Optimizer):
    """Lion (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms").

    Every element moves by exactly ``lr`` (plus weight decay) per step; use a learning rate
    3-10 times smaller than Adam's. Update::

        w = w - lr * sign(beta_1 * m + (1 - beta_1) * g)
        m = beta_2 * m + (1 - beta_2) * g

    Args:
        learning_rate: default 0.001.
        beta_1: in ``(0, 1]``, default 0.9 (0 would make it sign-SGD).
        beta_2: in ``[0, 1]``, default 0.99.
        (and the common arguments of :class:`Optimizer`.)

    Example:
        >>> import torch, layerwise as keras
        >>> w = keras.Variable(torch.tensor([1.0, 1.0]))
        >>> Lion(learning_rate=0.1).apply([torch.tensor([3.0, -0.5])], [w])
        >>> w.numpy()
        array([0.9, 1.1], dtype=float32)
    """

    def __init__(self, learning_rate: Any = 0.001, beta_1: float = 0.9, beta_2: float = 0.99,
                 weight_decay: float | None = None, clipnorm: float | None = None, clipvalue: float | None = None,
                 global_clipnorm: float | None = None, use_ema: bool = False, ema_momentum: float = 0.99,
                 ema_overwrite_frequency: int | None = None, loss_scale_factor: float | None = None,
                 gradient_accumulation_steps: int | None = None, name: str | None = None, **kwargs):
        beta_1 = number_in_range("Lion", "beta_1", beta_1, 0, 1, low_inclusive=False)
        beta_2 = number_in_range("Lion", "beta_2", beta_2, 0, 1)
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor, gradient_accumulation_steps=gradient_accumulation_steps,
                         name=name, **kwargs)
        self.beta_1, self.beta_2 = beta_1, beta_2

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._momentums = self.add_optimizer_variables(variables, "momentum")

    def update_step_foreach(self, grads, variables, learning_rate):
        m = self._slots(self._momentums, variables)
        direction = torch._foreach_mul(m, self.beta_1)
        torch._foreach_add_(direction, grads, alpha=1.0 - self.beta_1)
        torch._foreach_sign_(direction)
        torch._foreach_mul_(direction, per_dtype(variables, learning_rate.to))
        torch._foreach_sub_(variables, direction)
        torch._foreach_mul_(m, self.beta_2)
        torch._foreach_add_(m, grads, alpha=1.0 - self.beta_2)

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
