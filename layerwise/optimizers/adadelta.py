"""``Adadelta`` in Keras 3's form (with a learning rate, default 0.001, multiplying the step)."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.optimizers.foreach_helpers import per_dtype
from layerwise.optimizers.keras2_arguments import epsilon_or_default
from layerwise.optimizers.optimizer import Optimizer
from layerwise.utils.argument_validation import number_in_range


@export("layerwise.optimizers.Adadelta")
class Adadelta(Optimizer):
    """Adadelta (Zeiler, 2012): steps scaled by the ratio of running RMS of updates and of gradients.

    Update::

        accumulated_grad = rho * accumulated_grad + (1 - rho) * g**2
        delta = sqrt(accumulated_delta_var + epsilon) * g / sqrt(accumulated_grad + epsilon)
        accumulated_delta_var = rho * accumulated_delta_var + (1 - rho) * delta**2
        w = w - lr * delta

    Args:
        learning_rate: default 0.001 (Keras 3's; the original paper has none, i.e. 1.0).
        rho: decay rate of both running averages, default 0.95.
        epsilon: default 1e-7 (``None`` means the default, as in Keras 2).
        (and the common arguments of :class:`Optimizer`.)

    Example:
        >>> import torch, layerwise as keras
        >>> w = keras.Variable(torch.tensor([1.0]))
        >>> Adadelta(learning_rate=1.0, rho=0.5, epsilon=1e-2).apply([torch.tensor([1.0])], [w])
        >>> round(float(w.numpy()[0]), 4)  # 1 - sqrt(0.01) * 1 / sqrt(0.5 + 0.01)
        0.86
    """

    def __init__(self, learning_rate: Any = 0.001, rho: float = 0.95, epsilon: float | None = 1e-7,
                 weight_decay: float | None = None, clipnorm: float | None = None, clipvalue: float | None = None,
                 global_clipnorm: float | None = None, use_ema: bool = False, ema_momentum: float = 0.99,
                 ema_overwrite_frequency: int | None = None, loss_scale_factor: float | None = None,
                 gradient_accumulation_steps: int | None = None, name: str | None = None, **kwargs):
        rho = number_in_range("Adadelta", "rho", rho, 0, 1)
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor, gradient_accumulation_steps=gradient_accumulation_steps,
                         name=name, **kwargs)
        self.rho = rho
        self.epsilon = epsilon_or_default(epsilon)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            variables, ["accumulated_grad", "accumulated_delta_var"])

    def update_step_foreach(self, grads, variables, learning_rate):
        rho, epsilon = self.rho, self.epsilon
        accumulated_grads = self._slots(self._accumulated_grads, variables)
        accumulated_deltas = self._slots(self._accumulated_delta_vars, variables)
        torch._foreach_mul_(accumulated_grads, rho)
        torch._foreach_addcmul_(accumulated_grads, grads, grads, value=1.0 - rho)
        delta = torch._foreach_add(accumulated_deltas, epsilon)
        torch._foreach_sqrt_(delta)
        torch._foreach_mul_(delta, grads)
        grad_rms = torch._foreach_add(accumulated_grads, epsilon)
        torch._foreach_sqrt_(grad_rms)
        torch._foreach_div_(delta, grad_rms)
        torch._foreach_mul_(accumulated_deltas, rho)
        torch._foreach_addcmul_(accumulated_deltas, delta, delta, value=1.0 - rho)
        torch._foreach_mul_(delta, per_dtype(variables, learning_rate.to))
        torch._foreach_sub_(variables, delta)

    def get_config(self) -> dict:
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
