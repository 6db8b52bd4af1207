"""``Optimizer``: Keras 3's optimizer contract, vectorised over all parameters.

One ``apply(grads, variables)`` runs, in Keras's order: unscale by ``loss_scale_factor``, clip
(``clipnorm`` per tensor, ``clipvalue``, or ``global_clipnorm``), decoupled weight decay
(``w -= w * weight_decay * lr``), the optimizer's update, ``iterations += 1``, the EMA of the
weights, and finally each weight's constraint.

Everything is done with ``torch._foreach_*`` ops over the whole parameter list, with the
learning rate and the step count held in device tensors: no host sync, and the same code can be
captured in a CUDA graph. Subclasses implement :meth:`build` (create slots with
:meth:`add_optimizer_variables`) and :meth:`update_step_foreach`; a custom optimizer may
instead implement Keras's per-variable :meth:`update_step`. State creation and listing live in
``optimizer_state.py``; clipping and moving averages in ``foreach_helpers.py``.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import torch

from layerwise import config
from layerwise.api_export import export
from layerwise.optimizers import keras2_arguments
from layerwise.optimizers.foreach_helpers import (clip_by_global_norm, clip_by_norm, clip_by_value,
                                                   foreach_lerp_, moving_average_, per_dtype)
from layerwise.optimizers.optimizer_state import OptimizerState
from layerwise.optimizers.schedules import LearningRateSchedule
from layerwise.utils.argument_validation import number_in_range, positive_int
from layerwise.utils.naming import auto_name
from layerwise.variables import Variable

__all__ = ["Optimizer", "foreach_lerp_", "per_dtype"]


def _is_schedule(value: Any) -> bool:
    return isinstance(value, LearningRateSchedule) or (callable(value) and not isinstance(value, torch.Tensor))


@export("layerwise.optimizers.Optimizer", "layerwise.Optimizer")
class Optimizer(OptimizerState):
    """Base class of all optimizers.

    Args:
        learning_rate: a float, a ``LearningRateSchedule``, or a callable taking no arguments.
        weight_decay: decoupled weight decay factor.
        clipnorm: clip each gradient to this L2 norm. ``clipvalue``: clip each element to
            ``[-clipvalue, clipvalue]``. ``global_clipnorm``: clip all gradients together to
            this global norm. At most one of the three.
        use_ema, ema_momentum, ema_overwrite_frequency: keep an exponential moving average of
            the weights (and copy it into the weights every ``ema_overwrite_frequency`` steps).
        loss_scale_factor: the loss was multiplied by this; gradients are divided by it.
        gradient_accumulation_steps: update the weights once every this many calls, with the
            mean of the accumulated gradients.
        name: the optimizer's name (default: the snake-case class name, made unique).
        lr, decay: Keras 2 spellings: ``lr`` is ``learning_rate``; ``decay`` divides the
            learning rate used by each step by ``1 + decay * iterations``.

    Example:
        >>> import torch, layerwise as keras
        >>> w = keras.Variable(torch.tensor([1.0, 2.0]), name="w")
        >>> opt = keras.optimizers.SGD(learning_rate=0.1)
        >>> opt.apply([torch.tensor([1.0, 1.0])], [w]); w.numpy()
        array([0.9, 1.9], dtype=float32)
    """

    def __init__(self, learning_rate: Any = 0.001, weight_decay: float | None = None, clipnorm: float | None = None,
                 clipvalue: float | None = None, global_clipnorm: float | None = None, use_ema: bool = False,
                 ema_momentum: float = 0.99, ema_overwrite_frequency: int | None = None,
                 loss_scale_factor: float | None = None, gradient_accumulation_steps: int | None = None,
                 name: str | None = None, **kwargs):
        owner = type(self).__name__
        learning_rate, self.decay = keras2_arguments.pop_legacy(owner, learning_rate, kwargs)
        if kwargs:
            raise ValueError(f"`{owner}` argument(s) not recognized: {sorted(kwargs)}.")
        if sum(v is not None for v in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(f"`{owner}`: only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set; "
                             f"received clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}.")
        self.weight_decay = None if weight_decay is None else number_in_range(owner, "weight_decay", weight_decay, 0, None)
        self.clipnorm = None if clipnorm is None else number_in_range(owner, "clipnorm", clipnorm, 0, None, False)
        self.clipvalue = None if clipvalue is None else number_in_range(owner, "clipvalue", clipvalue, 0, None, False)
        self.global_clipnorm = None if global_clipnorm is None else number_in_range(
            owner, "global_clipnorm", global_clipnorm, 0, None, False)
        self.use_ema = bool(use_ema)
        self.ema_momentum = number_in_range(owner, "ema_momentum", ema_momentum, 0, 1)
        self.ema_overwrite_frequency = None if ema_overwrite_frequency is None else positive_int(
            owner, "ema_overwrite_frequency", ema_overwrite_frequency)
        self.loss_scale_factor = None if loss_scale_factor is None else number_in_range(
            owner, "loss_scale_factor", loss_scale_factor, 0, None, False)
        self.gradient_accumulation_steps = None if gradient_accumulation_steps is None else positive_int(
            owner, "gradient_accumulation_steps", gradient_accumulation_steps)
        if self.gradient_accumulation_steps == 1:
            self.gradient_accumulation_steps = None
        device = config.default_device()
        self._iterations = Variable(torch.zeros((), dtype=torch.int64, device=device), trainable=False,
                                    name="iteration")
        self._host_iterations = 0  # mirrors _iterations without reading the device
        self._learning_rate = self._standardize_learning_rate(learning_rate)
        self.name = name or auto_name(owner)  # after every check: a refused optimizer uses up no name
        self._variables: list[Variable] = []
        self._slot_names: list[str] = []
        self._trainable_variables: list = []
        self._index: dict[int, int] = {}
        self._accumulated_gradients: list[torch.Tensor] = []
        self._ema: list[torch.Tensor] = []
        self._exclude_ids: set[int] = set()
        self._exclude_names: tuple[str, ...] = ()
        self.built = False

    # ---- learning rate ---------------------------------------------------------------------------
    def _standardize_learning_rate(self, value: Any) -> Any:
        if _is_schedule(value):
            return value
        try:
            value = float(value)
        except (TypeError, ValueError):
            value = math.nan
        if not value >= 0 or math.isinf(value):
            raise ValueError(f"`{type(self).__name__}` argument `learning_rate` must be a non-negative float, a "
                             f"LearningRateSchedule or a callable; received learning_rate={value}.")
        return Variable(torch.tensor(value, dtype=torch.float32, device=self._iterations.device), trainable=False,
                        name="learning_rate")

    def _scheduled_learning_rate(self) -> torch.Tensor:
        lr = self._learning_rate
        if isinstance(lr, LearningRateSchedule):
            # Keras: schedules see the raw call count, even with gradient accumulation.
            lr = lr(self._iterations)
        elif not isinstance(lr, torch.Tensor):
            lr = lr()
        if not isinstance(lr, torch.Tensor):
            lr = torch.full((), float(lr), dtype=torch.float32, device=self._iterations.device)  # no copy
        return lr

    def _current_learning_rate(self) -> torch.Tensor:
        """The learning rate this step uses: the schedule's value, with Keras 2's ``decay`` applied."""
        lr = self._scheduled_learning_rate()
        if self.decay:
            lr = lr / (1.0 + self.decay * self.iterations.to(lr.dtype))
        return lr

    @property
    def learning_rate(self) -> torch.Tensor:
        """The learning rate: the float32 variable itself when it was given as a float, so that assigning it
        (``optimizer.learning_rate = 0.1``, ``K.set_value(optimizer.lr, 0.1)``) changes the next steps; a
        schedule's current value otherwise. Keras 2's ``decay`` is not included (it is applied in each step)."""
        if isinstance(self._learning_rate, torch.Tensor):
            return self._learning_rate
        return self._scheduled_learning_rate()

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        if _is_schedule(value):
            self._learning_rate = value
            return
        if not isinstance(self._learning_rate, torch.Tensor):
            raise TypeError(
                f"`{type(self).__name__}` was created with a `LearningRateSchedule` (or a callable) as its "
                f"`learning_rate`, so its learning rate cannot be set to the number {value!r}. Create the optimizer "
                "with a float `learning_rate` to be able to change it."
            )
        value = float(value)
        if not value >= 0 or math.isinf(value):
            raise ValueError(f"`{type(self).__name__}` attribute `learning_rate` must be set to a non-negative "
                             f"finite float; received {value}.")
        with torch.no_grad():
            self._learning_rate.fill_(value)

    lr = learning_rate  # Keras 2 spelling

    @property
    def iterations(self) -> torch.Tensor:
        """The number of weight updates done so far (a device int64 scalar)."""
        if self.gradient_accumulation_steps:
            return torch.div(self._iterations, self.gradient_accumulation_steps, rounding_mode="floor")
        return self._iterations

    # ---- building --------------------------------------------------------------------------------
    def build(self, variables: Sequence[torch.Tensor]) -> None:
        """Create the optimizer's state for ``variables``; subclasses add their slots after this.

        Keras's order: the moving averages (``use_ema``), then the gradient accumulators.
        """
        variables = list(variables)
        device = variables[0].device if variables else self._iterations.device
        self._move_to(device)
        self._trainable_variables = variables
        self._index = {id(v): i for i, v in enumerate(variables)}
        if self.use_ema:
            self._ema = self.add_optimizer_variables(variables, "average")
            with torch.no_grad():
                torch._foreach_copy_(self._ema, [v.detach() for v in variables])
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = self.add_optimizer_variables(variables, "gradient_accumulator")
        self.built = True

    def _move_to(self, device: torch.device) -> None:
        for tensor in [self._iterations] + ([self._learning_rate] if isinstance(self._learning_rate, torch.Tensor) else []):
            if tensor.device != device:
                tensor.data = tensor.data.to(device)

    # ---- applying gradients ----------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars: Any) -> torch.Tensor:
        """Keras's form: a list of ``(gradient, variable)`` pairs."""
        pairs = list(grads_and_vars)
        self.apply([g for g, _ in pairs], [v for _, v in pairs])
        return self.iterations

    def apply(self, grads: Sequence[Any], trainable_variables: Sequence[torch.Tensor] | None = None) -> None:
        """Update ``trainable_variables`` with ``grads`` (see the module docstring for the order)."""
        owner = type(self).__name__
        if trainable_variables is None:
            if not self.built:
                raise ValueError(f"`{owner}.apply(grads)` without variables needs a built optimizer; pass the "
                                 "variables, or call `optimizer.build(trainable_variables)` first.")
            trainable_variables = self._trainable_variables
        trainable_variables = list(trainable_variables)
        grads = list(grads)
        if len(grads) != len(trainable_variables):
            raise ValueError(f"`{owner}.apply` received {len(grads)} gradients for "
                             f"{len(trainable_variables)} variables.")
        if not self.built:
            self.build(trainable_variables)
        unknown = [getattr(v, "path", tuple(v.shape)) for v in trainable_variables if id(v) not in self._index]
        if unknown:
            raise ValueError(f"`{owner}.apply` received variables it was not built with: {unknown[:5]}. An optimizer "
                             "updates only the variables of its first call; create a new optimizer for others.")
        pairs = [(g, v) for g, v in zip(grads, trainable_variables) if g is not None]
        if not pairs:
            return
        grads = [g for g, _ in pairs]
        variables = [v for _, v in pairs]
        with torch.no_grad():
            grads = [g if g.dtype == v.dtype else g.to(v.dtype) for g, v in zip(grads, variables)]
            if self.loss_scale_factor is not None:
                grads = torch._foreach_div(grads, self.loss_scale_factor)
            if self.gradient_accumulation_steps:
                self._accumulate_and_maybe_update(grads, variables)
            else:
                self._update(grads, variables)
            self._after_update(variables)

    def _update(self, grads: list, variables: list) -> None:
        grads = self._clip_gradients(grads)
        lr = self._current_learning_rate()
        self._apply_weight_decay(variables, lr)
        self.update_step_foreach(grads, variables, lr)

    def _accumulate_and_maybe_update(self, grads: list, variables: list) -> None:
        steps = self.gradient_accumulation_steps
        accumulators = self._slots(self._accumulated_gradients, variables)
        if (self._host_iterations + 1) % steps == 0:
            total = torch._foreach_add(grads, accumulators)
            torch._foreach_div_(total, float(steps))
            self._update(total, variables)
            torch._foreach_zero_(self._accumulated_gradients)  # Keras resets every accumulator, not just these
        else:
            torch._foreach_add_(accumulators, grads)

    def _after_update(self, variables: list) -> None:
        if self.use_ema:
            # Keras: the average covers every variable the optimizer was built with (even those with no
            # gradient this call); while no weight update has been done yet it copies the weights, then
            # blends with ema_momentum. Both tests count weight updates, not calls.
            updates = self._host_iterations // (self.gradient_accumulation_steps or 1)
            every = list(self._trainable_variables)
            moving_average_(self._ema, every, self.ema_momentum if updates > 0 else 0.0)
            if self.ema_overwrite_frequency and (updates + 1) % self.ema_overwrite_frequency == 0:
                torch._foreach_copy_(every, self._ema)
        self._iterations.add_(1)
        self._host_iterations += 1
        for variable in variables:
            constraint = getattr(variable, "constraint", None)
            if constraint is not None:
                variable.copy_(constraint(variable))

    def _clip_gradients(self, grads: list) -> list:
        if self.clipnorm is not None:
            return clip_by_norm(grads, self.clipnorm)
        if self.clipvalue is not None:
            return clip_by_value(grads, self.clipvalue)
        if self.global_clipnorm is not None:
            return clip_by_global_norm(grads, self.global_clipnorm)
        return grads

    def _apply_weight_decay(self, variables: list, lr: torch.Tensor) -> None:
        if not self.weight_decay:
            return
        decayed = [v for v in variables if self._use_weight_decay(v)]
        if decayed:
            # Keras casts the learning rate to each variable's dtype: w -= w * weight_decay * lr.
            torch._foreach_mul_(decayed, per_dtype(decayed, lambda d: 1.0 - self.weight_decay * lr.to(d)))

    def exclude_from_weight_decay(self, var_list: Sequence[torch.Tensor] | None = None,
                                  var_names: Sequence[str] | None = None) -> None:
        """Exempt variables (by object, or by a substring of their name) from weight decay."""
        self._exclude_ids.update(id(v) for v in var_list or [])
        self._exclude_names = tuple(var_names or ())

    def _use_weight_decay(self, variable: torch.Tensor) -> bool:
        if id(variable) in self._exclude_ids:
            return False
        name = getattr(variable, "name", "")
        return not any(part in name for part in self._exclude_names)

    def scale_loss(self, loss: torch.Tensor) -> torch.Tensor:
        """The loss multiplied by ``loss_scale_factor`` (when set)."""
        return loss * self.loss_scale_factor if self.loss_scale_factor is not None else loss

    # ---- the update itself -----------------------------------------------------------------------
    def update_step_foreach(self, grads: list, variables: list, learning_rate: torch.Tensor) -> None:
        """Update all variables at once; the default calls :meth:`update_step` per variable."""
        for grad, variable in zip(grads, variables):
            self.update_step(grad, variable, learning_rate)

    def update_step(self, gradient: torch.Tensor, variable: torch.Tensor, learning_rate: torch.Tensor) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement `update_step_foreach` or `update_step`.")

    def _get_variable_index(self, variable: torch.Tensor) -> int:
        return self._index[id(variable)]

    def _slots(self, slots: list, variables: list) -> list:
        """The entries of a per-weight slot list that belong to ``variables`` (those with a gradient)."""
        return [slots[self._index[id(v)]] for v in variables]

    def finalize_variable_values(self, var_list: Sequence[torch.Tensor]) -> None:
        """At the end of training with ``use_ema``, copy the moving averages into the weights."""
        if self.use_ema and self._ema:
            with torch.no_grad():
                for variable in var_list:
                    index = self._index.get(id(variable))
                    if index is not None:
                        variable.copy_(self._ema[index])

    # ---- configuration ---------------------------------------------------------------------------
    def get_config(self) -> dict:
        from layerwise.saving.serialization_lib import serialize_keras_object

        lr = self._learning_rate
        if isinstance(lr, torch.Tensor):
            learning_rate: Any = float(lr.item())
        else:
            learning_rate = serialize_keras_object(lr)
        config = {
            "name": self.name, "learning_rate": learning_rate, "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm, "clipvalue": self.clipvalue,
            "use_ema": self.use_ema, "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency, "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }
        if self.decay:
            config["decay"] = self.decay
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects: dict | None = None) -> "Optimizer":
        from layerwise.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = deserialize_keras_object(config["learning_rate"], custom_objects)
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"
