"""``ModelCheckpoint``: save the model (or its weights) during ``fit``, each time atomically."""

from __future__ import annotations

import os
import warnings
from typing import Any

from layerwise.api_export import export
from layerwise.callbacks._file_utils import atomic_save, check_save_freq
from layerwise.callbacks.monitor_callback import MonitorCallback

_WEIGHTS_SUFFIXES = (".weights.h5", ".weights.safetensors")
_MODEL_SUFFIXES = (".keras", ".h5")


@export("layerwise.callbacks.ModelCheckpoint")
class ModelCheckpoint(MonitorCallback):
    """Save the model at the end of every epoch (or every ``save_freq`` batches), Keras 3 style.

    ``filepath`` may hold ``str.format`` fields filled from ``epoch`` (1-based), ``batch``
    (1-based, when saving every ``save_freq`` batches) and the logs: with
    ``"weights.{epoch:02d}-{val_loss:.2f}.keras"`` each epoch writes its own file.

    Every save goes to a temporary file in the same directory which is then renamed onto
    ``filepath`` (``os.replace``): a crash in the middle of a save leaves the previous file intact.

    Args:
        filepath: where to save: ``.keras`` (the whole model), or with ``save_weights_only=True``
            ``.weights.h5`` / ``.weights.safetensors`` (the weights).
        monitor: the logged quantity ``save_best_only`` compares.
        verbose: 1 prints a line at each save (and each skipped save).
        save_best_only: save only when ``monitor`` improves on the best value so far; with a fixed
            ``filepath`` the file then always holds the best model.
        save_weights_only: save only the weights (``model.save_weights``).
        mode: ``"min"``, ``"max"`` or ``"auto"`` (from the metric: losses go down, accuracies up).
        save_freq: ``"epoch"``, or an integer: save every that many batches. Saving per batch reads
            the logs (one device sync) only at the batches where it saves.
        initial_value_threshold: the value ``monitor`` must beat for the first save (with
            ``save_best_only``).

    Example:
        >>> import os, tempfile, numpy as np, layerwise as keras
        >>> folder = tempfile.mkdtemp()
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> model.compile("sgd", "mse")
        >>> checkpoint = ModelCheckpoint(os.path.join(folder, "model.{epoch:02d}.keras"))
        >>> _ = model.fit(np.zeros((4, 2)), np.zeros((4, 1)), epochs=2, callbacks=[checkpoint], verbose=0)
        >>> sorted(os.listdir(folder))
        ['model.01.keras', 'model.02.keras']
    """

    def __init__(self, filepath: Any, monitor: str = "val_loss", verbose: int = 0, save_best_only: bool = False,
                 save_weights_only: bool = False, mode: str = "auto", save_freq: Any = "epoch",
                 initial_value_threshold: float | None = None):
        try:
            filepath = os.fspath(filepath)
        except TypeError:
            raise ValueError(f"`ModelCheckpoint` argument `filepath` must be a path (a string or os.PathLike); "
                             f"received filepath={filepath!r}.") from None
        if save_weights_only and not filepath.endswith(_WEIGHTS_SUFFIXES):
            raise ValueError("`ModelCheckpoint` argument `filepath` must end in `.weights.h5` (or "
                             "`.weights.safetensors`) when `save_weights_only=True`; received "
                             f"filepath={filepath!r}.")
        if not save_weights_only and (not filepath.endswith(_MODEL_SUFFIXES) or filepath.endswith(".weights.h5")):
            raise ValueError("`ModelCheckpoint` argument `filepath` must end in `.keras` (the model format); "
                             f"received filepath={filepath!r}. To save only the weights, pass "
                             "`save_weights_only=True` and a `.weights.h5` name.")
        save_freq = check_save_freq("ModelCheckpoint", save_freq)
        super().__init__(monitor, mode, baseline=initial_value_threshold)
        self.filepath = filepath
        self.verbose = verbose
        self.save_best_only = bool(save_best_only)
        self.save_weights_only = bool(save_weights_only)
        self.save_freq = save_freq
        self._batches_since_save = 0
        self._current_epoch = 0
        if save_freq == "epoch":
            self._idle_batch_hooks = {"on_train_batch_end": ModelCheckpoint.on_train_batch_end}

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        self._batches_since_save += 1
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._save_model(self._current_epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save_model(epoch, None, logs)

    def _get_file_path(self, epoch: int, batch: int | None, logs: Any) -> str:
        values = dict(logs or {})
        values["epoch"] = epoch + 1
        if batch is not None:
            values.setdefault("batch", batch + 1)
        try:
            return self.filepath.format(**values)
        except (KeyError, IndexError, ValueError) as error:
            raise KeyError(f'ModelCheckpoint cannot format its filepath "{self.filepath}": {error!r}. The fields '
                           f"it can use are: {', '.join(sorted(values))}.") from None

    def _should_save(self, epoch: int, logs: Any, filepath: str) -> bool:
        if not self.save_best_only:
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True
        current = (logs or {}).get(self.monitor)
        if current is None:
            warnings.warn(f"ModelCheckpoint can save the best model only when `{self.monitor}` is in the logs; "
                          "saving anyway.", stacklevel=3)
            return True
        current = float(current)
        best = "None" if self.best is None else f"{self.best:.5f}"
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} to {current:.5f}, saving model to "
                      f"{filepath}")
            self.best = current
            return True
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best}")
        return False

    def _save_model(self, epoch: int, batch: int | None, logs: Any) -> None:
        filepath = self._get_file_path(epoch, batch, logs)
        if os.path.isdir(filepath):
            raise IsADirectoryError(f"ModelCheckpoint cannot save to {filepath!r}: it is an existing directory. "
                                    "Give a file name.")
        if not self._should_save(epoch, logs, filepath):
            return
        if self.save_weights_only:
            atomic_save(filepath, lambda temporary: self.model.save_weights(temporary, overwrite=True))
        else:
            atomic_save(filepath, lambda temporary: self.model.save(temporary, overwrite=True))
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: finished saving model to {filepath}")
