"""``Nadam`` in Keras 3's form (Dozat's momentum schedule ``beta_1 * (1 - 0.5 * 0.96**t)``)."""

from __future__ import annotations

from typing import Any

import torch

from layerwise import config
from layerwise.api_export import export
from layerwise.optimizers.foreach_helpers import per_dtype
from layerwise.optimizers.keras2_arguments import epsilon_or_default
from layerwise.optimizers.optimizer import Optimizer
from layerwise.utils.argument_validation import number_in_range


@export("layerwise.optimizers.Nadam")
class Nadam(Optimizer):
    """Nadam (Dozat, 2016): Adam with Nesterov momentum.

    Update at step ``t = iterations + 1``, with ``mu(s) = beta_1 * (1 - 0.5 * 0.96**s)`` and
    ``prod`` the running product of ``mu(1) ... mu(t)`` (an optimizer variable)::

        prod = prod * mu(t)
        m = m + (g - m) * (1 - beta_1)
        v = v + (g**2 - v) * (1 - beta_2)
        m_hat = mu(t + 1) * m / (1 - prod * mu(t + 1)) + (1 - mu(t)) * g / (1 - prod)
        v_hat = v / (1 - beta_2**t)
        w = w - lr * m_hat / (sqrt(v_hat) + epsilon)

    Args:
        learning_rate: default 0.001. beta_1: 0.9. beta_2: 0.999. epsilon: 1e-7 (``None`` means the default).
        (and the common arguments of :class:`Optimizer`.)

    Example:
        >>> import torch, layerwise as keras
        >>> w = keras.Variable(torch.tensor([1.0]))
        >>> Nadam(learning_rate=0.1).apply([torch.tensor([2.0])], [w])
        >>> round(float(w.numpy()[0]), 4)  # the first step moves by about lr
        0.9
    """

    def __init__(self, learning_rate: Any = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float | None = 1e-7, weight_decay: float | None = None, clipnorm: float | None = None,
                 clipvalue: float | None = None, global_clipnorm: float | None = None, use_ema: bool = False,
                 ema_momentum: float = 0.99, ema_overwrite_frequency: int | None = None,
                 loss_scale_factor: float | None = None, gradient_accumulation_steps: int | None = None,
                 name: str | None = None, **kwargs):
        beta_1 = number_in_range("Nadam", "beta_1", beta_1, 0, 1)
        beta_2 = number_in_range("Nadam", "beta_2", beta_2, 0, 1)
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
        variables = list(variables)
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(variables, ["momentum", "velocity"])
        # Keras: one scalar in the first weight's dtype, listed after the slots.
        dtype = variables[0].dtype if variables else config.floatx()
        self._u_product = self.add_variable((), initializer="ones", dtype=dtype, name="u_product")

    def _mu(self, step: torch.Tensor) -> torch.Tensor:
        return self.beta_1 * (1.0 - 0.5 * torch.pow(0.96, step))

    def update_step_foreach(self, grads, variables, learning_rate):
        m = self._slots(self._momentums, variables)
        v = self._slots(self._velocities, variables)
        step = self.iterations + 1
        product = self._u_product
        product.mul_(self._mu(step.to(product.dtype)))  # prod(mu(1) ... mu(t)), updated once per step

        def coefficients(dtype: torch.dtype) -> tuple:
            t = step.to(dtype)
            mu_t, mu_next = self._mu(t), self._mu(t + 1)
            prod_t = product.to(dtype)
            return (mu_next / (1.0 - prod_t * mu_next), (1.0 - mu_t) / (1.0 - prod_t),
                    1.0 - torch.pow(self.beta_2, t), learning_rate.to(dtype))

        made = per_dtype(variables, coefficients)
        momentum_scale, gradient_scale, bias_2, lr = (list(c) for c in zip(*made)) if isinstance(made, list) else made
        torch._foreach_lerp_(m, grads, 1.0 - self.beta_1)
        torch._foreach_lerp_(v, torch._foreach_mul(grads, grads), 1.0 - self.beta_2)
        m_hat = torch._foreach_mul(m, momentum_scale)
        torch._foreach_add_(m_hat, torch._foreach_mul(grads, gradient_scale))
        denominator = torch._foreach_div(v, bias_2)
        torch._foreach_sqrt_(denominator)
        torch._foreach_add_(denominator, self.epsilon)
        torch._foreach_mul_(m_hat, lr)
        torch._foreach_div_(m_hat, denominator)
        torch._foreach_sub_(variables, m_hat)

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
