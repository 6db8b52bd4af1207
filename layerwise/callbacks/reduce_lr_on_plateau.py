"""``ReduceLROnPlateau``: lower the learning rate when a monitored metric stops improving."""

from __future__ import annotations

import warnings

import numpy as np

from layerwise.api_export import export
from layerwise.callbacks.monitor_callback import MonitorCallback
from layerwise.utils.argument_validation import non_negative_int, number_in_range


@export("layerwise.callbacks.ReduceLROnPlateau")
class ReduceLROnPlateau(MonitorCallback):
    """Multiply the learning rate by ``factor`` after ``patience`` epochs without improvement.

    At the end of each epoch the current rate is added to the logs as ``learning_rate`` (before any
    reduction, so it is the rate the epoch trained with), then ``monitor`` is compared with the best
    value so far (Keras 3 rules: an improvement must beat it by more than ``min_delta``). After a
    reduction, ``cooldown`` epochs pass before epochs without improvement are counted again; the
    rate never goes below ``min_lr``. It reads two numbers per epoch and nothing per batch.

    Args:
        monitor: the logged quantity to watch.
        factor: ``new_lr = lr * factor``; must be below 1.
        patience: epochs without improvement before the rate is reduced.
        verbose: 1 prints a line at each reduction.
        mode: ``"min"``, ``"max"`` or ``"auto"`` (from the metric: losses go down, accuracies up).
        min_delta: a change smaller than this is not an improvement.
        cooldown: epochs to wait after a reduction before counting again.
        min_lr: the lowest learning rate.

    Example:
        >>> import numpy as np, layerwise as keras
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> model.compile(keras.optimizers.SGD(0.1), "mse")
        >>> reduce = ReduceLROnPlateau(monitor="loss", factor=0.5, patience=0, min_delta=10.0)
        >>> history = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=4, callbacks=[reduce], verbose=0)
        >>> [round(lr, 6) for lr in history.history["learning_rate"]]  # the rate each epoch trained with
        [0.1, 0.1, 0.05, 0.025]
    """

    def __init__(self, monitor: str = "val_loss", factor: float = 0.1, patience: int = 10, verbose: int = 0,
                 mode: str = "auto", min_delta: float = 1e-4, cooldown: int = 0, min_lr: float = 0.0, **kwargs):
        if "epsilon" in kwargs:  # Keras 2 name of min_delta
            min_delta = kwargs.pop("epsilon")
        if kwargs:
            raise TypeError(f"`ReduceLROnPlateau` got unexpected keyword arguments: {sorted(kwargs)}.")
        factor = number_in_range("ReduceLROnPlateau", "factor", factor, 0, 1, high_inclusive=False)
        patience = non_negative_int("ReduceLROnPlateau", "patience", patience)
        cooldown = non_negative_int("ReduceLROnPlateau", "cooldown", cooldown)
        min_lr = number_in_range("ReduceLROnPlateau", "min_lr", min_lr, 0)
        super().__init__(monitor, mode, min_delta=min_delta)
        self.factor = factor
        self.patience = patience
        self.verbose = verbose
        self.cooldown = cooldown
        self.min_lr = min_lr
        self.cooldown_counter = 0
        self.wait = 0

    def _reset(self) -> None:
        self.best = None
        self.cooldown_counter = 0
        self.wait = 0

    def in_cooldown(self) -> bool:
        return self.cooldown_counter > 0

    def on_train_begin(self, logs=None):
        self._reset()

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        logs = logs if logs is not None else {}
        optimizer = self.model.optimizer
        logs["learning_rate"] = float(optimizer.learning_rate)
        current = logs.get(self.monitor)
        if current is None:
            warnings.warn(f"ReduceLROnPlateau is monitoring `{self.monitor}`, which is not in the logs. Available: "
                          f"{', '.join(logs)}.", stacklevel=2)
            return
        if self.in_cooldown():
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = float(current)
            self.wait = 0
            return
        if self.in_cooldown():
            return
        self.wait += 1
        if self.wait >= self.patience and self._reduce(optimizer, logs["learning_rate"], epoch):
            self.cooldown_counter = self.cooldown
            self.wait = 0

    def _reduce(self, optimizer, old_lr: float, epoch: int) -> bool:
        if not old_lr > np.float32(self.min_lr):  # Keras compares in float32: the rate is stored as one
            return False
        new_lr = max(old_lr * self.factor, self.min_lr)
        optimizer.learning_rate = new_lr
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr}.")
        return True
