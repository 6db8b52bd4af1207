"""``Adagrad`` in Keras 3's form (epsilon inside the square root, accumulator starting at 0.1)."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.optimizers.foreach_helpers import per_dtype
from layerwise.optimizers.keras2_arguments import epsilon_or_default
from layerwise.optimizers.optimizer import Optimizer
from layerwise.utils.argument_validation import number_in_range


@export("layerwise.optimizers.Adagrad")
class Adagrad(Optimizer):
    """Adagrad (Duchi et al., 2011): a per-element learning rate that shrinks with the squared gradients seen.

    Update::

        accumulator = accumulator + g**2
        w = w - lr * g / sqrt(accumulator + epsilon)

    Args:
        learning_rate: default 0.001.
        initial_accumulator_value: starting value of every accumulator (>= 0), default 0.1.
        epsilon: default 1e-7 (``None`` means the default, as in Keras 2).
        (and the common arguments of :class:`Optimizer`.)

    Example:
        >>> import torch, layerwise as keras
        >>> w = keras.Variable(torch.tensor([1.0]))
        >>> Adagrad(learning_rate=0.1).apply([torch.tensor([1.0])], [w])
        >>> round(float(w.numpy()[0]), 4)  # 1 - 0.1 * 1 / sqrt(0.1 + 1)
        0.9047
    """

    def __init__(self, learning_rate: Any = 0.001, initial_accumulator_value: float = 0.1,
                 epsilon: float | None = 1e-7, weight_decay: float | None = None, clipnorm: float | None = None,
                 clipvalue: float | None = None, global_clipnorm: float | None = None, use_ema: bool = False,
                 ema_momentum: float = 0.99, ema_overwrite_frequency: int | None = None,
                 loss_scale_factor: float | None = None, gradient_accumulation_steps: int | None = None,
                 name: str | None = None, **kwargs):
        initial_accumulator_value = number_in_range("Adagrad", "initial_accumulator_value",
                                                    initial_accumulator_value, 0, None)
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor, gradient_accumulation_steps=gradient_accumulation_steps,
                         name=name, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon_or_default(epsilon)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        from layerwise.initializers import Constant

        self._accumulators = self.add_optimizer_variables(
            variables, "accumulator", initializer=Constant(self.initial_accumulator_value))

    def update_step_foreach(self, grads, variables, learning_rate):
        accumulators = self._slots(self._accumulators, variables)
        torch._foreach_addcmul_(accumulators, grads, grads)
        denominator = torch._foreach_add(accumulators, self.epsilon)
        torch._foreach_sqrt_(denominator)
        step = torch._foreach_mul(grads, per_dtype(variables, learning_rate.to))  # Keras's order: (lr * g) / ...
        torch._foreach_div_(step, denominator)
        torch._foreach_sub_(variables, step)

    def get_config(self) -> dict:
        return {**super().get_config(), "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}
