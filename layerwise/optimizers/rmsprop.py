"""``RMSprop`` in Keras 3's form (epsilon inside the square root)."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.optimizers.keras2_arguments import epsilon_or_default
from layerwise.optimizers.optimizer import Optimizer
from layerwise.utils.argument_validation import number_in_range


@export("layerwise.optimizers.RMSprop")
class RMSprop(Optimizer):
    """RMSprop (Hinton's lecture 6e).

    Update::

        v = rho * v + (1 - rho) * g**2
        (centered)  a = rho * a + (1 - rho) * g;  denominator = v - a**2 + epsilon
        (otherwise) denominator = v + epsilon
        increment = lr * g / sqrt(denominator)
        with momentum: mom = momentum * mom + increment; w -= mom   else: w -= increment

    Args:
        learning_rate: default 0.001. rho: 0.9. momentum: 0.0. epsilon: 1e-7. centered: False.

    Example:
        >>> import torch, layerwise as keras
        >>> w = keras.Variable(torch.tensor([1.0]))
        >>> RMSprop(learning_rate=0.01).apply([torch.tensor([1.0])], [w])
        >>> round(float(w.numpy()[0]), 4)  # 1 - 0.01 / sqrt(0.1)
        0.9684
    """

    def __init__(self, learning_rate: Any = 0.001, rho: float = 0.9, momentum: float = 0.0,
                 epsilon: float | None = 1e-7, centered: bool = False, weight_decay: float | None = None,
                 clipnorm: float | None = None, clipvalue: float | None = None, global_clipnorm: float | None = None,
                 use_ema: bool = False, ema_momentum: float = 0.99, ema_overwrite_frequency: int | None = None,
                 loss_scale_factor: float | None = None, gradient_accumulation_steps: int | None = None,
                 name: str | None = None, **kwargs):
        rho = number_in_range("RMSprop", "rho", rho, 0, 1)
        momentum = number_in_range("RMSprop", "momentum", momentum, 0, 1)
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor, gradient_accumulation_steps=gradient_accumulation_steps,
                         name=name, **kwargs)
        self.rho, self.momentum = rho, momentum
        self.epsilon = epsilon_or_default(epsilon)
        self.centered = bool(centered)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._velocities = self.add_optimizer_variables(variables, "velocity")
        self._momentums = self.add_optimizer_variables(variables, "momentum") if self.momentum > 0 else []
        self._average_gradients = self.add_optimizer_variables(variables, "average_gradient") if self.centered else []

    def update_step_foreach(self, grads, variables, learning_rate):
        velocities = self._slots(self._velocities, variables)
        torch._foreach_mul_(velocities, self.rho)
        torch._foreach_addcmul_(velocities, grads, grads, value=1.0 - self.rho)
        if self.centered:
            averages = self._slots(self._average_gradients, variables)
            torch._foreach_mul_(averages, self.rho)
            torch._foreach_add_(averages, grads, alpha=1.0 - self.rho)
            denominator = torch._foreach_sub(velocities, torch._foreach_mul(averages, averages))
            torch._foreach_add_(denominator, self.epsilon)
        else:
            denominator = torch._foreach_add(velocities, self.epsilon)
        torch._foreach_sqrt_(denominator)
        increments = torch._foreach_div(torch._foreach_mul(grads, learning_rate), denominator)
        if self.momentum > 0:
            momentums = self._slots(self._momentums, variables)
            torch._foreach_mul_(momentums, self.momentum)
            torch._foreach_add_(momentums, increments)
            torch._foreach_sub_(variables, momentums)
        else:
            torch._foreach_sub_(variables, increments)

    def get_config(self) -> dict:
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon,
                "centered": self.centered}
