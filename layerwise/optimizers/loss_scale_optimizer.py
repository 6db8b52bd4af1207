"""``LossScaleOptimizer``: dynamic loss scaling for float16 training, as Keras 3 does it.

The loss is multiplied by a scale before ``backward`` so that small float16 gradients do not
underflow; ``apply`` divides the gradients by it again. When any gradient is inf or NaN the step is
skipped and the scale halved; after ``dynamic_growth_steps`` finite steps in a row it is doubled.

Keras branches on the device value (``ops.cond``). Here the decision never leaves the device: the
inner update runs on every step, and on a skipped step the weights and the inner optimizer's state
are put back from a copy taken just before (``torch.where`` on a device flag). That costs one copy
of the weights and the optimizer state per step, and keeps the step free of host syncs, so it can
be captured in a CUDA graph. An inner optimizer that decides on the host (gradient accumulation,
EMA of the weights) reads the flag instead: one sync per step.
"""

from __future__ import annotations

from typing import Any, Sequence

import torch

from layerwise.api_export import export
from layerwise.optimizers.optimizer import Optimizer
from layerwise.utils.argument_validation import number_in_range, positive_int
from layerwise.variables import Variable

_BASE_DEFAULTS = {"weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None,
                  "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None,
                  "loss_scale_factor": None, "gradient_accumulation_steps": None}


@export("layerwise.optimizers.LossScaleOptimizer", "layerwise.mixed_precision.LossScaleOptimizer")
class LossScaleOptimizer(Optimizer):
    """Wraps an optimizer with dynamic loss scaling (``compile`` adds it under ``"mixed_float16"``).

    Args:
        inner_optimizer: the optimizer that updates the weights.
        initial_scale: the first loss scale (Keras's default ``2 ** 15``).
        dynamic_growth_steps: double the scale after this many finite steps in a row.
        name: the optimizer's name.

    ``learning_rate`` and ``iterations`` are the inner optimizer's; ``variables`` lists this
    optimizer's own (``iterations``, ``learning_rate``, ``step_counter``, ``dynamic_scale``) and
    then the inner optimizer's, in Keras's order.

    Example:
        >>> import torch, layerwise as keras
        >>> w = keras.Variable(torch.tensor([1.0]))
        >>> opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1), initial_scale=8.0)
        >>> float(opt.scale_loss(torch.tensor(1.0)))
        8.0
        >>> opt.apply([torch.tensor([8.0])], [w]); w.numpy()  # the gradient 8 / 8 = 1
        array([0.9], dtype=float32)
        >>> opt.apply([torch.tensor([float("inf")])], [w]); w.numpy(), float(opt.dynamic_scale)
        (array([0.9], dtype=float32), 4.0)
    """

    def __init__(self, inner_optimizer: Optimizer, initial_scale: float = 2.0 ** 15, dynamic_growth_steps: int = 2000,
                 name: str | None = None, **kwargs):
        owner = type(self).__name__
        if not kwargs.pop("dynamic", True):
            raise ValueError(f"`{owner}` no longer supports `dynamic=False`; set `loss_scale_factor` on the inner "
                             "optimizer for a fixed scale.")
        for argument, default in _BASE_DEFAULTS.items():
            if argument in kwargs and kwargs.pop(argument) != default:
                raise ValueError(f"`{owner}` does not support `{argument}`; set it on the inner optimizer.")
        if kwargs:
            raise ValueError(f"`{owner}` argument(s) not recognized: {sorted(kwargs)}.")
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError(f"`{owner}` argument `inner_optimizer` must be a layerwise Optimizer; received "
                            f"{inner_optimizer!r}.")
        self.initial_scale = number_in_range(owner, "initial_scale", initial_scale, 0, None, False)
        self.dynamic_growth_steps = positive_int(owner, "dynamic_growth_steps", dynamic_growth_steps)
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        inner_optimizer.loss_scale_factor = None
        self.step_counter: Variable | None = None
        self.dynamic_scale: Variable | None = None
        self._backup: list[torch.Tensor] = []

    # ---- state ---------------------------------------------------------------------------------
    def build(self, variables: Sequence[torch.Tensor]) -> None:
        variables = list(variables)  # the wrapper has no slots of its own: not Optimizer.build (no EMA etc.)
        device = variables[0].device if variables else self._iterations.device
        self._move_to(device)
        self._trainable_variables = variables
        self._index = {id(v): i for i, v in enumerate(variables)}
        self.step_counter = self.add_variable((), "zeros", dtype=torch.int64, name="step_counter", device=device)
        self.dynamic_scale = self.add_variable((), "zeros", dtype=torch.float32, name="dynamic_scale", device=device)
        with torch.no_grad():
            self.dynamic_scale.fill_(self.initial_scale)
        if not self.inner_optimizer.built:
            self.inner_optimizer.build(variables)
        self.built = True

    @property
    def variables(self) -> list[torch.Tensor]:
        return super().variables + self.inner_optimizer.variables

    def state_names(self) -> list[str]:
        return super().state_names() + [f"inner/{n}" for n in self.inner_optimizer.state_names()]

    def _assign_all(self, values: list, names: list[str]) -> None:
        own = len(super().state_names())
        super()._assign_all(values[:own], names[:own])
        self.inner_optimizer._assign_all(values[own:], [n[len("inner/"):] for n in names[own:]])

    @property
    def _host_iterations(self) -> int:  # fit's graph replay advances the inner optimizer's host count
        inner = self.__dict__.get("inner_optimizer")
        return inner._host_iterations if inner is not None else self.__dict__.get("_own_host_iterations", 0)

    @_host_iterations.setter
    def _host_iterations(self, value: int) -> None:
        inner = self.__dict__.get("inner_optimizer")
        if inner is None:
            self.__dict__["_own_host_iterations"] = value
        else:
            inner._host_iterations = value

    # ---- the inner optimizer's settings ------------------------------------------------------------
    @property
    def learning_rate(self) -> torch.Tensor:
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        self.inner_optimizer.learning_rate = value

    lr = learning_rate

    @property
    def iterations(self) -> torch.Tensor:
        return self.inner_optimizer.iterations

    @property
    def gradient_accumulation_steps(self) -> int | None:
        inner = self.__dict__.get("inner_optimizer")
        return inner.gradient_accumulation_steps if inner is not None else None

    @gradient_accumulation_steps.setter
    def gradient_accumulation_steps(self, value: Any) -> None:
        if value:
            raise ValueError("`LossScaleOptimizer` does not support `gradient_accumulation_steps`; set it on the "
                             "inner optimizer.")

    @property
    def use_ema(self) -> bool:
        inner = self.__dict__.get("inner_optimizer")
        return inner.use_ema if inner is not None else False

    @use_ema.setter
    def use_ema(self, value: Any) -> None:
        if value:
            raise ValueError("`LossScaleOptimizer` does not support `use_ema`; set it on the inner optimizer.")

    # ---- scaling and applying ----------------------------------------------------------------------
    def scale_loss(self, loss: torch.Tensor) -> torch.Tensor:
        """The loss multiplied by the current scale (the initial one before the first ``apply``)."""
        scale = self.dynamic_scale if self.built else self.initial_scale
        return loss * scale

    def apply(self, grads: Sequence[Any], trainable_variables: Sequence[torch.Tensor] | None = None) -> None:
        """Unscale ``grads``; apply them with the inner optimizer when all are finite; update the scale."""
        if trainable_variables is None:
            trainable_variables = self.inner_optimizer._trainable_variables if self.built else None
        if trainable_variables is None:
            raise ValueError("`LossScaleOptimizer.apply(grads)` without variables needs a built optimizer; pass "
                             "the variables.")
        trainable_variables = list(trainable_variables)
        grads = list(grads)
        if len(grads) != len(trainable_variables):
            raise ValueError(f"`LossScaleOptimizer.apply` received {len(grads)} gradients for "
                             f"{len(trainable_variables)} variables.")
        if not self.built:
            self.build(trainable_variables)
        with torch.no_grad():
            present = [i for i, g in enumerate(grads) if g is not None]
            unscaled = [grads[i].to(trainable_variables[i].dtype) for i in present]
            unscaled = torch._foreach_div(unscaled, self.dynamic_scale) if unscaled else []
            found_inf = torch.zeros((), dtype=torch.float32, device=self.dynamic_scale.device)
            if unscaled:
                torch._amp_foreach_non_finite_check_and_unscale_(unscaled, found_inf, torch.ones_like(found_inf))
            finite = found_inf == 0
            full = [None] * len(grads)
            for i, g in zip(present, unscaled):
                full[i] = g
            inner = self.inner_optimizer
            if inner.gradient_accumulation_steps or inner.use_ema:
                if bool(finite):  # the inner optimizer decides on the host anyway: one sync
                    inner.apply(full, trainable_variables)
            else:
                self._apply_or_restore(full, trainable_variables, finite)
            self._update_scale(finite)

    def _apply_or_restore(self, grads: list, variables: list, finite: torch.Tensor) -> None:
        inner = self.inner_optimizer
        state = list(variables) + list(inner.variables)
        if len(self._backup) != len(state):
            self._backup = [torch.empty_like(t) for t in state]
        torch._foreach_copy_(self._backup, [t.detach() for t in state])
        inner.apply(grads, variables)  # its host count then counts calls; the device count skips skipped steps
        for tensor, saved in zip(state, self._backup):
            tensor.copy_(torch.where(finite, tensor, saved))

    def _update_scale(self, finite: torch.Tensor) -> None:
        grow = finite & (self.step_counter == self.dynamic_growth_steps - 1)
        factor = torch.where(finite, torch.where(grow, 2.0, 1.0), 0.5)
        self.dynamic_scale.mul_(factor)
        self.step_counter.copy_(torch.where(finite & ~grow, self.step_counter + 1, 0))

    def finalize_variable_values(self, var_list: Sequence[torch.Tensor]) -> None:
        self.inner_optimizer.finalize_variable_values(var_list)

    # ---- configuration -----------------------------------------------------------------------------
    def get_config(self) -> dict:
        from layerwise.saving.serialization_lib import serialize_keras_object

        return {"name": self.name, "inner_optimizer": serialize_keras_object(self.inner_optimizer),
                "initial_scale": self.initial_scale, "dynamic_growth_steps": self.dynamic_growth_steps}

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> "LossScaleOptimizer":
        from layerwise.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        inner = deserialize_keras_object(config.pop("inner_optimizer"), custom_objects)
        return cls(inner, **config)
