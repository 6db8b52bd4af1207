"""``Ftrl`` in Keras 3's form (follow the regularized leader, with L1, L2 and L2-shrinkage terms)."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.optimizers.foreach_helpers import per_dtype
from layerwise.optimizers.optimizer import Optimizer
from layerwise.utils.argument_validation import number_in_range


@export("layerwise.optimizers.Ftrl")
class Ftrl(Optimizer):
    """FTRL-Proximal (McMahan et al., 2013), as used for large sparse linear models.

    Update, with ``p = -learning_rate_power`` and ``l2 = l2_regularization_strength + beta / (2 * lr)``::

        n_new = n + g**2
        z = z + (g + 2 * l2_shrinkage_regularization_strength * w) - (n_new**p - n**p) / lr * w
        w = (clip(z, -l1, l1) - z) / (n_new**p / lr + 2 * l2)
        n = n_new

    ``n`` (the accumulator) starts at ``initial_accumulator_value``, ``z`` (the linear term) at 0.

    Args:
        learning_rate: default 0.001.
        learning_rate_power: ``<= 0``, default -0.5 (0 gives a fixed learning rate).
        initial_accumulator_value: ``>= 0``, default 0.1.
        l1_regularization_strength, l2_regularization_strength,
        l2_shrinkage_regularization_strength: ``>= 0``, default 0.
        beta: default 0.0 (added to the L2 term as ``beta / (2 * lr)``).
        (and the common arguments of :class:`Optimizer`.)

    Example:
        >>> import torch, layerwise as keras
        >>> w = keras.Variable(torch.tensor([0.0, 0.0]))
        >>> opt = Ftrl(learning_rate=0.1, l1_regularization_strength=0.5)
        >>> opt.apply([torch.tensor([1.0, 0.2])], [w])
        >>> w.numpy().round(4)  # the small gradient stays inside the L1 band: exactly zero
        array([-0.0477,  0.    ], dtype=float32)
    """

    def __init__(self, learning_rate: Any = 0.001, learning_rate_power: float = -0.5,
                 initial_accumulator_value: float = 0.1, l1_regularization_strength: float = 0.0,
                 l2_regularization_strength: float = 0.0, l2_shrinkage_regularization_strength: float = 0.0,
                 beta: float = 0.0, weight_decay: float | None = None, clipnorm: float | None = None,
                 clipvalue: float | None = None, global_clipnorm: float | None = None, use_ema: bool = False,
                 ema_momentum: float = 0.99, ema_overwrite_frequency: int | None = None,
                 loss_scale_factor: float | None = None, gradient_accumulation_steps: int | None = None,
                 name: str | None = None, **kwargs):
        checked = {
            "learning_rate_power": number_in_range("Ftrl", "learning_rate_power", learning_rate_power, None, 0),
            "initial_accumulator_value": number_in_range("Ftrl", "initial_accumulator_value",
                                                         initial_accumulator_value, 0, None),
            "l1_regularization_strength": number_in_range("Ftrl", "l1_regularization_strength",
                                                          l1_regularization_strength, 0, None),
            "l2_regularization_strength": number_in_range("Ftrl", "l2_regularization_strength",
                                                          l2_regularization_strength, 0, None),
            "l2_shrinkage_regularization_strength": number_in_range(
                "Ftrl", "l2_shrinkage_regularization_strength", l2_shrinkage_regularization_strength, 0, None),
            "beta": number_in_range("Ftrl", "beta", beta, 0, None),
        }
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor, gradient_accumulation_steps=gradient_accumulation_steps,
                         name=name, **kwargs)
        self.learning_rate_power = checked["learning_rate_power"]
        self.initial_accumulator_value = checked["initial_accumulator_value"]
        self.l1_regularization_strength = checked["l1_regularization_strength"]
        self.l2_regularization_strength = checked["l2_regularization_strength"]
        self.l2_shrinkage_regularization_strength = checked["l2_shrinkage_regularization_strength"]
        self.beta = checked["beta"]

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        from layerwise.initializers import Constant

        self._accumulators, self._linears = self.add_optimizer_variables(
            variables, ["accumulator", "linear"], initializer=[Constant(self.initial_accumulator_value), "zeros"])

    def update_step_foreach(self, grads, variables, learning_rate):
        accumulators = self._slots(self._accumulators, variables)
        linears = self._slots(self._linears, variables)
        power, l1 = -self.learning_rate_power, self.l1_regularization_strength
        lr = per_dtype(variables, learning_rate.to)
        l2_twice: Any = 2.0 * self.l2_regularization_strength  # 2 * (l2 + beta / (2 * lr)), in each dtype
        if self.beta:
            l2_twice = per_dtype(variables, lambda d: 2.0 * (self.l2_regularization_strength
                                                             + self.beta / (2.0 * learning_rate.to(d))))
        new_accumulators = torch._foreach_addcmul(accumulators, grads, grads)
        new_power = torch._foreach_pow(new_accumulators, power)
        change = torch._foreach_sub(new_power, torch._foreach_pow(accumulators, power))
        torch._foreach_div_(change, lr)
        torch._foreach_mul_(change, variables)
        increment = torch._foreach_add(grads, variables, alpha=2.0 * self.l2_shrinkage_regularization_strength)
        torch._foreach_sub_(increment, change)
        torch._foreach_add_(linears, increment)
        quadratic = torch._foreach_div(new_power, lr)
        torch._foreach_add_(quadratic, l2_twice)
        numerator = torch._foreach_clamp_min(linears, -l1)
        torch._foreach_clamp_max_(numerator, l1)
        torch._foreach_sub_(numerator, linears)
        torch._foreach_div_(numerator, quadratic)
        torch._foreach_copy_(variables, numerator)
        torch._foreach_copy_(accumulators, new_accumulators)

    def get_config(self) -> dict:
        return {**super().get_config(), "learning_rate_power": self.learning_rate_power,
                "initial_accumulator_value": self.initial_accumulator_value,
                "l1_regularization_strength": self.l1_regularization_strength,
                "l2_regularization_strength": self.l2_regularization_strength,
                "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
                "beta": self.beta}
