"""Learning-rate schedules (Keras 3 formulas), evaluated on the device from the step tensor."""

from __future__ import annotations

import math
from typing import Any

import torch

from layerwise.api_export import export
from layerwise.utils.argument_validation import number_in_range, positive_int


def _step(step: Any) -> torch.Tensor:
    step = torch.as_tensor(step)
    return step.to(torch.float32)


@export("layerwise.optimizers.schedules.LearningRateSchedule")
class LearningRateSchedule:
    """Base class: ``schedule(step)`` returns the learning rate for an optimizer step.

    Example:
        >>> import torch
        >>> class Halving(LearningRateSchedule):
        ...     def __call__(self, step):
        ...         return 0.1 * 0.5 ** torch.as_tensor(step, dtype=torch.float32)
        ...     def get_config(self):
        ...         return {}
        >>> float(Halving()(2))
        0.025
    """

    def __call__(self, step: Any) -> torch.Tensor:
        raise NotImplementedError(f"{type(self).__name__} must implement `__call__(step)`.")

    def get_config(self) -> dict:
        raise NotImplementedError(f"{type(self).__name__} must implement `get_config()`.")

    @classmethod
    def from_config(cls, config: dict) -> "LearningRateSchedule":
        return cls(**config)


@export("layerwise.optimizers.schedules.ExponentialDecay")
class ExponentialDecay(LearningRateSchedule):
    """``initial * decay_rate ** (step / decay_steps)`` (the exponent floored with ``staircase``).

    Example:
        >>> float(ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)(20))
        0.025
    """

    def __init__(self, initial_learning_rate: float, decay_steps: int, decay_rate: float, staircase: bool = False,
                 name: str = "ExponentialDecay"):
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_steps = positive_int("ExponentialDecay", "decay_steps", decay_steps)
        self.decay_rate = float(decay_rate)
        self.staircase = bool(staircase)
        self.name = name

    def __call__(self, step):
        p = _step(step) / self.decay_steps
        if self.staircase:
            p = torch.floor(p)
        return self.initial_learning_rate * torch.pow(self.decay_rate, p)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


@export("layerwise.optimizers.schedules.InverseTimeDecay")
class InverseTimeDecay(LearningRateSchedule):
    """``initial / (1 + decay_rate * step / decay_steps)`` (the ratio floored with ``staircase``).

    Example:
        >>> float(InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.5)(2))
        0.05
    """

    def __init__(self, initial_learning_rate: float, decay_steps: int, decay_rate: float, staircase: bool = False,
                 name: str = "InverseTimeDecay"):
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_steps = positive_int("InverseTimeDecay", "decay_steps", decay_steps)
        self.decay_rate = float(decay_rate)
        self.staircase = bool(staircase)
        self.name = name

    def __call__(self, step):
        p = _step(step) / self.decay_steps
        if self.staircase:
            p = torch.floor(p)
        return self.initial_learning_rate / (1.0 + self.decay_rate * p)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


@export("layerwise.optimizers.schedules.PiecewiseConstantDecay")
class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[0]`` up to ``boundaries[0]``, ``values[1]`` up to ``boundaries[1]``, ...

    Example:
        >>> s = PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
        >>> [float(s(t)) for t in (10, 11, 25)]
        [1.0, 0.5, 0.1]
    """

    def __init__(self, boundaries: list, values: list, name: str = "PiecewiseConstant"):
        if len(values) != len(boundaries) + 1:
            raise ValueError("`PiecewiseConstantDecay` needs one more value than boundaries; received "
                             f"{len(boundaries)} boundaries and {len(values)} values.")
        self.boundaries = list(boundaries)
        self.values = [float(v) for v in values]
        self.name = name

    def __call__(self, step):
        # Compared in the step's own type, as Keras does: an integer step against integer boundaries
        # stays exact beyond float32's 2**24.
        step = torch.as_tensor(step)
        if step.is_floating_point():
            step = step.to(torch.float64)
        result = torch.full((), self.values[0], dtype=torch.float32, device=step.device)
        for boundary, value in zip(self.boundaries, self.values[1:]):
            boundary = boundary if step.is_floating_point() else math.floor(boundary)
            result = torch.where(step > boundary, value, result)
        return result

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


@export("layerwise.optimizers.schedules.PolynomialDecay")
class PolynomialDecay(LearningRateSchedule):
    """``(initial - end) * (1 - step / decay_steps) ** power + end``; ``cycle`` restarts it.

    Example:
        >>> round(float(PolynomialDecay(1.0, decay_steps=10, end_learning_rate=0.0)(5)), 4)
        0.5
    """

    def __init__(self, initial_learning_rate: float, decay_steps: int, end_learning_rate: float = 0.0001,
                 power: float = 1.0, cycle: bool = False, name: str = "PolynomialDecay"):
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_steps = positive_int("PolynomialDecay", "decay_steps", decay_steps)
        self.end_learning_rate = float(end_learning_rate)
        self.power = float(power)
        self.cycle = bool(cycle)
        self.name = name

    def __call__(self, step):
        step = _step(step)
        decay_steps: Any = float(self.decay_steps)
        if self.cycle:
            multiplier = torch.where(step == 0, 1.0, torch.ceil(step / self.decay_steps))
            decay_steps = multiplier * decay_steps
        else:
            step = torch.clamp(step, max=decay_steps)
        fraction = 1.0 - step / decay_steps
        return (self.initial_learning_rate - self.end_learning_rate) * torch.pow(fraction, self.power) + \
            self.end_learning_rate

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate, "power": self.power, "cycle": self.cycle,
                "name": self.name}


@export("layerwise.optimizers.schedules.CosineDecay")
class CosineDecay(LearningRateSchedule):
    """Cosine decay from ``initial`` (or ``warmup_target`` after a linear warmup) to ``alpha`` times it.

    Example:
        >>> s = CosineDecay(1.0, decay_steps=10)
        >>> [round(float(s(t)), 3) for t in (0, 5, 10)]
        [1.0, 0.5, 0.0]
    """

    def __init__(self, initial_learning_rate: float, decay_steps: int, alpha: float = 0.0, name: str = "CosineDecay",
                 warmup_target: float | None = None, warmup_steps: int = 0):
        self.initial_learning_rate = float(initial_learning_rate)
        self.decay_steps = positive_int("CosineDecay", "decay_steps", decay_steps)
        self.alpha = number_in_range("CosineDecay", "alpha", alpha, 0, 1)
        self.name = name
        self.warmup_target = None if warmup_target is None else float(warmup_target)
        self.warmup_steps = int(warmup_steps)

    def _decay(self, step, start):
        completed = torch.clamp(step, max=float(self.decay_steps)) / self.decay_steps
        cosine = 0.5 * (1.0 + torch.cos(math.pi * completed))
        return start * ((1.0 - self.alpha) * cosine + self.alpha)

    def __call__(self, step):
        step = _step(step)
        if self.warmup_target is None:
            return self._decay(step, self.initial_learning_rate)
        # Keras: with a warmup_target the decay starts from it, even when warmup_steps is 0.
        decayed = self._decay(torch.clamp(step - self.warmup_steps, min=0.0), self.warmup_target)
        if self.warmup_steps <= 0:
            return decayed
        warm = self.initial_learning_rate + (self.warmup_target - self.initial_learning_rate) * (
            torch.clamp(step, max=float(self.warmup_steps)) / self.warmup_steps)
        return torch.where(step < self.warmup_steps, warm, decayed)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "alpha": self.alpha, "name": self.name, "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}


@export("layerwise.optimizers.schedules.CosineDecayRestarts")
class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): period ``first_decay_steps * t_mul ** i``, peak
    ``initial * m_mul ** i`` for the ``i``-th period.

    Example:
        >>> s = CosineDecayRestarts(1.0, first_decay_steps=10)
        >>> [round(float(s(t)), 3) for t in (0, 5, 10)]
        [1.0, 0.5, 1.0]
    """

    def __init__(self, initial_learning_rate: float, first_decay_steps: int, t_mul: float = 2.0, m_mul: float = 1.0,
                 alpha: float = 0.0, name: str = "SGDRDecay"):
        self.initial_learning_rate = float(initial_learning_rate)
        self.first_decay_steps = positive_int("CosineDecayRestarts", "first_decay_steps", first_decay_steps)
        self.t_mul = float(t_mul)
        self.m_mul = float(m_mul)
        self.alpha = float(alpha)
        self.name = name

    def __call__(self, step):
        completed = _step(step) / self.first_decay_steps
        if self.t_mul == 1.0:
            i_restart = torch.floor(completed)
            completed = completed - i_restart
        else:
            i_restart = torch.floor(torch.log(1.0 - completed * (1.0 - self.t_mul)) / math.log(self.t_mul))
            sum_r = (1.0 - self.t_mul ** i_restart) / (1.0 - self.t_mul)
            completed = (completed - sum_r) / self.t_mul ** i_restart
        m_fac = self.m_mul ** i_restart
        cosine = 0.5 * m_fac * (1.0 + torch.cos(math.pi * completed))
        return self.initial_learning_rate * ((1.0 - self.alpha) * cosine + self.alpha)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "first_decay_steps": self.first_decay_steps,
                "t_mul": self.t_mul, "m_mul": self.m_mul, "alpha": self.alpha, "name": self.name}


@export("layerwise.optimizers.schedules.serialize")
def serialize(schedule: LearningRateSchedule) -> dict:
    """The config of a schedule."""
    from layerwise.saving.serialization_lib import serialize_keras_object

    return serialize_keras_object(schedule)


@export("layerwise.optimizers.schedules.deserialize")
def deserialize(config: dict, custom_objects: dict | None = None) -> LearningRateSchedule:
    """A schedule from its config."""
    from layerwise.saving.serialization_lib import deserialize_keras_object

    return deserialize_keras_object(config, custom_objects)
