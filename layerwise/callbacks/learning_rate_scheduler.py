"""``LearningRateScheduler``: set the learning rate at the start of each epoch from a function."""

from __future__ import annotations

import inspect
import math
import numbers
from typing import Any, Callable

from layerwise.api_export import export
from layerwise.callbacks.callback import Callback


def _takes_learning_rate(schedule: Callable) -> bool | None:
    """Whether ``schedule`` accepts ``(epoch, lr)``; ``None`` when its signature cannot be read."""
    try:
        parameters = inspect.signature(schedule).parameters.values()
    except (TypeError, ValueError):
        return None
    positional = 0
    for parameter in parameters:
        if parameter.kind == parameter.VAR_POSITIONAL:
            return True
        if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
            positional += 1
    return positional >= 2


@export("layerwise.callbacks.LearningRateScheduler")
class LearningRateScheduler(Callback):
    """Before each epoch, set ``model.optimizer.learning_rate = schedule(epoch, lr)``.

    ``schedule`` takes the epoch index (0-based) and the current rate, or only the epoch (the older
    form); it returns the new rate, a number. The rate used is also logged as ``learning_rate`` at
    the end of each epoch.

    Args:
        schedule: ``schedule(epoch, lr) -> float`` or ``schedule(epoch) -> float``.
        verbose: 1 prints the rate set at each epoch.

    Example:
        >>> import numpy as np, layerwise as keras
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> model.compile(keras.optimizers.SGD(0.1), "mse")
        >>> halve = LearningRateScheduler(lambda epoch, lr: lr if epoch == 0 else lr / 2)
        >>> history = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=3, callbacks=[halve], verbose=0)
        >>> [round(lr, 6) for lr in history.history["learning_rate"]]
        [0.1, 0.05, 0.025]
    """

    def __init__(self, schedule: Callable, verbose: int = 0):
        if not callable(schedule):
            raise ValueError("`LearningRateScheduler` argument `schedule` must be a function `schedule(epoch, lr)` "
                             f"or `schedule(epoch)` returning the learning rate; received schedule={schedule!r}.")
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose
        self._with_lr = _takes_learning_rate(schedule)

    def _new_rate(self, epoch: int, optimizer: Any) -> Any:
        if self._with_lr is False:
            return self.schedule(epoch)
        current = float(optimizer.learning_rate)
        if self._with_lr:
            return self.schedule(epoch, current)
        try:  # a signature we could not read: try the new form, then the old one (as Keras does)
            return self.schedule(epoch, current)
        except TypeError:
            return self.schedule(epoch)

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        rate = self._new_rate(epoch, optimizer)
        if getattr(rate, "ndim", None) == 0 and hasattr(rate, "item"):  # NumPy or torch scalar
            rate = rate.item()
        if isinstance(rate, bool) or not isinstance(rate, numbers.Real) or not math.isfinite(rate) or rate < 0:
            raise ValueError(f"LearningRateScheduler: the schedule must return a finite, non-negative number; at "
                             f"epoch {epoch} it returned {rate!r}.")
        optimizer.learning_rate = float(rate)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {float(rate)}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)
