"""``SGD``: gradient descent with optional (Nesterov) momentum, in Keras 3's form."""

from __future__ import annotations

from typing import Any

import torch

from layerwise.api_export import export
from layerwise.optimizers.optimizer import Optimizer
from layerwise.utils.argument_validation import number_in_range


@export("layerwise.optimizers.SGD")
class SGD(Optimizer):
    """Stochastic gradient descent.

    Update (Keras 3): without momentum ``w -= lr * g``; with momentum
    ``m = momentum * m - lr * g`` then ``w += m``, or with Nesterov
    ``w += momentum * m - lr * g``.

    Args:
        learning_rate: default 0.01.
        momentum: in ``[0, 1]``.
        nesterov: use Nesterov momentum.
        (and the common arguments of :class:`Optimizer`.)

    Example:
        >>> import torch, layerwise as keras
        >>> w = keras.Variable(torch.tensor([1.0]))
        >>> opt = SGD(learning_rate=0.1, momentum=0.9)
        >>> for _ in range(2):
        ...     opt.apply([torch.tensor([1.0])], [w])
        >>> round(float(w.numpy()[0]), 4)  # 1 - 0.1 - (0.9 * 0.1 + 0.1)
        0.71
    """

    def __init__(self, learning_rate: Any = 0.01, momentum: float = 0.0, nesterov: bool = False,
                 weight_decay: float | None = None, clipnorm: float | None = None, clipvalue: float | None = None,
                 global_clipnorm: float | None = None, use_ema: bool = False, ema_momentum: float = 0.99,
                 ema_overwrite_frequency: int | None = None, loss_scale_factor: float | None = None,
                 gradient_accumulation_steps: int | None = None, name: str | None = None, **kwargs):
        momentum = number_in_range("SGD", "momentum", momentum, 0, 1)
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor, gradient_accumulation_steps=gradient_accumulation_steps,
                         name=name, **kwargs)
        self.momentum = momentum
        self.nesterov = bool(nesterov)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = self.add_optimizer_variables(variables, "momentum") if self.momentum else []

    def update_step_foreach(self, grads, variables, learning_rate):
        if not self.momentum:
            step = torch._foreach_mul(grads, learning_rate)
            torch._foreach_sub_(variables, step)
            return
        momentums = self._slots(self.momentums, variables)
        lr_grads = torch._foreach_mul(grads, learning_rate)  # lr * g
        torch._foreach_mul_(momentums, self.momentum)
        torch._foreach_sub_(momentums, lr_grads)  # m = momentum * m - lr * g
        if self.nesterov:
            step = torch._foreach_mul(momentums, self.momentum)
            torch._foreach_sub_(step, lr_grads)
            torch._foreach_add_(variables, step)
        else:
            torch._foreach_add_(variables, momentums)

    def get_config(self) -> dict:
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
