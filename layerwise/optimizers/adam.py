"""``Adam`` in Keras 3's form.

Keras folds both bias corrections into the step size and adds epsilon to the square root of the
*uncorrected* second moment -- not ``torch.optim.Adam``'s form -- so trained weights match Keras.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from layerwise.api_export import export
from layerwise.optimizers.keras2_arguments import epsilon_or_default
from layerwise.optimizers.foreach_helpers import per_dtype
from layerwise.optimizers.optimizer import Optimizer
from layerwise.utils.argument_validation import number_in_range


@export("layerwise.optimizers.Adam")
class Adam(Optimizer):
    """Adam (Kingma & Ba, 2014).

    Update at step ``t = iterations + 1``::

        m = m + (g - m) * (1 - beta_1)
        v = v + (g**2 - v) * (1 - beta_2)
        alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)
        w = w - alpha * m / (sqrt(v) + epsilon)

    With ``amsgrad``, ``v`` in the last line is the running maximum of ``v``.

    Args:
        learning_rate: default 0.001. beta_1: 0.9. beta_2: 0.999. epsilon: 1e-7.
        amsgrad: use the AMSGrad variant.

    Example:
        >>> import torch, layerwise as keras
        >>> w = keras.Variable(torch.tensor([1.0]))
        >>> Adam(learning_rate=0.1).apply([torch.tensor([2.0])], [w])
        >>> round(float(w.numpy()[0]), 4)  # the first step moves by about lr
        0.9
    """

    def __init__(self, learning_rate: Any = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float | None = 1e-7, amsgrad: bool = False, weight_decay: float | None = None,
                 clipnorm: float | None = None, clipvalue: float | None = None, global_clipnorm: float | None = None,
                 use_ema: bool = False, ema_momentum: float = 0.99, ema_overwrite_frequency: int | None = None,
                 loss_scale_factor: float | None = None, gradient_accumulation_steps: int | None = None,
                 name: str | None = None, **kwargs):
        owner = type(self).__name__
        beta_1 = number_in_range(owner, "beta_1", beta_1, 0, 1)
        beta_2 = number_in_range(owner, "beta_2", beta_2, 0, 1)
        super().__init__(learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
                         clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor, gradient_accumulation_steps=gradient_accumulation_steps,
                         name=name, **kwargs)
        self.beta_1, self.beta_2 = beta_1, beta_2
        self.epsilon = epsilon_or_default(epsilon)
        self.amsgrad = bool(amsgrad)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self._momentums, self._velocities = self.add_optimizer_variables(variables, ["momentum", "velocity"])
        self._velocity_hats = self.add_optimizer_variables(variables, "velocity_hat") if self.amsgrad else []

    def _bias_corrected_step(self, learning_rate: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
        """``lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)`` in ``dtype`` (Keras works in the variable's dtype)."""
        step = (self.iterations + 1).to(dtype)
        # both powers in one op (the same float math as two): [1 - beta_1**t, 1 - beta_2**t]
        corrections = 1.0 - torch.pow(self._betas(dtype, step.device), step)
        return learning_rate.to(dtype) * torch.sqrt(corrections[1]) / corrections[0]

    def _betas(self, dtype: torch.dtype, device: torch.device) -> torch.Tensor:
        """``[beta_1, beta_2]`` on ``device``, made once (and again only if the betas, dtype or device change)."""
        key = (self.beta_1, self.beta_2, dtype, device)
        cached = self.__dict__.get("_betas_cache")
        if cached is None or cached[0] != key:
            cached = self._betas_cache = (key, torch.tensor([self.beta_1, self.beta_2], dtype=dtype, device=device))
        return cached[1]

    def _fusable(self, grads: list, variables: list) -> bool:
        """Whether torch's fused CPU Adam kernel can do this step: CPU tensors of one float dtype, no
        AMSGrad. (On CUDA the step stays the ``_foreach`` form: it reads the step count on the device,
        which a captured graph needs.)"""
        if self.amsgrad or not hasattr(torch, "_fused_adam_"):
            return False
        dtype = variables[0].dtype
        return dtype in (torch.float32, torch.float64) and all(
            t.device.type == "cpu" and t.dtype == dtype for t in (*variables, *grads))

    def _fused_update(self, grads: list, variables: list, learning_rate: torch.Tensor) -> None:
        """Keras's Adam step in torch's fused kernel: one pass over each weight instead of eight.

        The kernel computes ``w -= lr / (1 - beta_1**t) * m / (sqrt(v) / sqrt(1 - beta_2**t) + eps')``;
        with ``eps' = epsilon / sqrt(1 - beta_2**t)`` that is Keras's ``w -= alpha * m / (sqrt(v) + epsilon)``
        (the same formula, rounded differently in the last bits: the kernel's bias corrections are in
        float64, and ``v`` is updated as ``beta_2 * v + (1 - beta_2) * g**2``).
        """
        step = int(self.iterations) + 1  # a CPU tensor: reading it costs no device sync
        epsilon = self.epsilon / math.sqrt(1.0 - self.beta_2**step)
        steps = [torch.tensor(float(step))] * len(variables)
        torch._fused_adam_(variables, grads, self._slots(self._momentums, variables),
                           self._slots(self._velocities, variables), [], steps, lr=float(learning_rate),
                           beta1=self.beta_1, beta2=self.beta_2, weight_decay=0.0, eps=epsilon, amsgrad=False,
                           maximize=False)

    def update_step_foreach(self, grads, variables, learning_rate):
        if self._fusable(grads, variables):
            self._fused_update(grads, variables, learning_rate)
            return
        m = self._slots(self._momentums, variables)
        v = self._slots(self._velocities, variables)
        alpha = per_dtype(variables, lambda dtype: self._bias_corrected_step(learning_rate, dtype))
        torch._foreach_lerp_(m, grads, 1.0 - self.beta_1)
        torch._foreach_lerp_(v, torch._foreach_mul(grads, grads), 1.0 - self.beta_2)
        if self.amsgrad:
            v_hat = self._slots(self._velocity_hats, variables)
            torch._foreach_maximum_(v_hat, v)
            v = v_hat
        denominator = torch._foreach_sqrt(v)
        torch._foreach_add_(denominator, self.epsilon)
        step = torch._foreach_mul(m, alpha)  # Keras's order: (m * alpha) / (sqrt(v) + epsilon)
        torch._foreach_div_(step, denominator)
        torch._foreach_sub_(variables, step)

    def get_config(self) -> dict:
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                "amsgrad": self.amsgrad}
