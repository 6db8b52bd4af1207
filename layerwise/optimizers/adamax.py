"""``Adamax`` in Keras 3's form (epsilon added to the infinity norm)."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.optimizers.foreach_helpers import per_dtype
from layerwise.optimizers.keras2_arguments import epsilon_or_default
from layerwise.optimizers.optimizer import Optimizer
from layerwise.utils.argument_validation import number_in_range


@export("layerwise.optimizers.Adamax")
class Adamax(Optimizer):
    """Adamax (Kingma & Ba, 2014, section 7): Adam with the infinity norm in place of the second moment.

    Update at step ``t = iterations + 1``::

        m = m + (g - m) * (1 - beta_1)
        u = max(beta_2 * u, |g|)
        w = w - lr * m / ((1 - beta_1**t) * (u + epsilon))

    Args:
        learning_rate: default 0.001. beta_1: 0.9. beta_2: 0.999. epsilon: 1e-7 (``None`` means the default).
        (and the common arguments of :class:`Optimizer`.)

    Example:
        >>> import torch, layerwise as keras
        >>> w = keras.Variable(torch.tensor([1.0]))
        >>> Adamax(learning_rate=0.1).apply([torch.tensor([2.0])], [w])
        >>> round(float(w.numpy()[0]), 4)  # the first step moves by about lr
        0.9
    """

    def __init__(self, learning_rate: Any = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float | None = 1e-7, weight_decay: float | None = None, clipnorm: float | None = None,
                 clipvalue: float | None = None, global_clipnorm: float | None = None, use_ema: bool = False,
                 ema_momentum: float = 0.99, ema_overwrite_frequency: int | None = None,
                 loss_scale_factor: float | None = None, gradient_accumulation_steps: int | None = None,
                 name: str | None = None, **kwargs):
        beta_1 = number_in_range("Adamax", "beta_1", beta_1, 0, 1)
        beta_2 = number_in_range("Adamax", "beta_2", beta_2, 0, 1)
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor, gradient_accumulation_steps=gradient_accumulation_steps,
                         name=name, **kwargs)
        self.beta_1, self.beta_2 = beta_1, beta_2
        self.epsilon = epsilon_or_default(epsilon)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._m, self._u = self.add_optimizer_variables(variables, ["momentum", "norm"])

    def update_step_foreach(self, grads, variables, learning_rate):
        m = self._slots(self._m, variables)
        u = self._slots(self._u, variables)
        step = (self.iterations + 1)

        def bias_correction(dtype: torch.dtype) -> torch.Tensor:
            return 1.0 - torch.pow(self.beta_1, step.to(dtype))

        torch._foreach_lerp_(m, grads, 1.0 - self.beta_1)
        torch._foreach_mul_(u, self.beta_2)
        torch._foreach_maximum_(u, torch._foreach_abs(grads))
        denominator = torch._foreach_add(u, self.epsilon)
        torch._foreach_mul_(denominator, per_dtype(variables, bias_correction))
        update = torch._foreach_mul(m, per_dtype(variables, learning_rate.to))  # Keras's order: (lr * m) / ...
        torch._foreach_div_(update, denominator)
        torch._foreach_sub_(variables, update)

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
