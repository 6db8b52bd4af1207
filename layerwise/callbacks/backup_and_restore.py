"""``BackupAndRestore``: resume an interrupted ``fit`` exactly where its last backup left it."""

from __future__ import annotations

import json
import os
import random
from typing import Any

import numpy as np
import torch

from layerwise.api_export import export
from layerwise.callbacks._file_utils import atomic_save, check_save_freq
from layerwise.callbacks.callback import Callback

_FORMAT = "layerwise.backup/1"


def _metric_variables(model: Any) -> list[torch.Tensor]:
    """Every state tensor of the model's metrics, in a fixed order (nested metrics included)."""
    out: list[torch.Tensor] = []

    def walk(metric: Any) -> None:
        out.extend(getattr(metric, "variables", []))
        for sub in getattr(metric, "_submetrics", lambda: [])():
            walk(sub)

    for metric in getattr(model, "metrics", None) or []:
        walk(metric)
    return out


def _rng_state() -> tuple[dict[str, torch.Tensor], dict[str, Any]]:
    """The state of every random generator a training run draws from: torch (CPU and each CUDA
    device), NumPy and Python's ``random``."""
    tensors = {"torch": torch.get_rng_state()}
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        for index, state in enumerate(torch.cuda.get_rng_state_all()):
            tensors[f"cuda/{index}"] = state
    version, words, gauss = random.getstate()
    name, keys, position, has_gauss, cached = np.random.get_state(legacy=True)
    host = {"python": [version, list(words), gauss],
            "numpy": [name, keys.tolist(), int(position), int(has_gauss), float(cached)]}
    return tensors, host


def _set_rng_state(tensors: dict[str, torch.Tensor], host: dict[str, Any]) -> None:
    torch.set_rng_state(tensors["torch"])
    cuda = [tensors[f"cuda/{i}"] for i in range(sum(k.startswith("cuda/") for k in tensors))]
    if cuda and torch.cuda.is_available() and len(cuda) == torch.cuda.device_count():
        torch.cuda.set_rng_state_all(cuda)
    version, words, gauss = host["python"]
    random.setstate((version, tuple(words), gauss))
    name, keys, position, has_gauss, cached = host["numpy"]
    np.random.set_state((name, np.asarray(keys, dtype=np.uint32), position, has_gauss, cached))


@export("layerwise.callbacks.BackupAndRestore")
class BackupAndRestore(Callback):
    """Back up the training state during ``fit``; a ``fit`` started again after a crash (same
    callback arguments, same ``backup_dir``) resumes from the last backup.

    A backup is one file, ``backup_dir/latest.backup.safetensors``, written atomically (a temporary
    file renamed over the previous one): a crash at any moment leaves either the previous backup or
    the new one, never a broken file. It holds everything a resumed run needs to end with the same
    weights as an uninterrupted one:

    * the model's weights and the optimizer's state (slots, step count, learning rate);
    * the epoch, and with ``save_freq=N`` the number of batches of that epoch already done: the
      resumed ``fit`` skips those batches (the data of that epoch is still drawn in the same order);
    * the state of the random generators (torch, NumPy, Python), so that shuffling and dropout
      continue as they would have; and, mid-epoch, the metrics' running state.

    On resume the generators are set to their backed-up state: that is the point of resuming, but
    it means a new seed set before the resumed ``fit`` has no effect on it. Data given as arrays
    resumes exactly; an iterator (a generator, a ``DataLoader`` with ``steps_per_epoch``) cannot be
    rewound, so its position is not restored. Put this callback last in the list: the backup then
    includes what the others change at the end of an epoch (``ReduceLROnPlateau``'s new rate); the
    other callbacks' own counters (``EarlyStopping``'s patience) are not backed up, as in Keras.

    Args:
        backup_dir: the folder for the backup (created when needed).
        save_freq: ``"epoch"`` (a backup at the end of each epoch), or an integer: a backup every
            that many batches. With ``"epoch"`` no batch hook runs.
        double_checkpoint: keep the previous backup too (``*.bkp``), used if the latest cannot be
            read.
        delete_checkpoint: delete the backup when ``fit`` finishes (normally, or stopped by a
            callback); a ``fit`` that raises keeps it.

    Example:
        >>> import os, tempfile, numpy as np, layerwise as keras
        >>> folder = os.path.join(tempfile.mkdtemp(), "backup")
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> model.compile("sgd", "mse")
        >>> backup = BackupAndRestore(folder, delete_checkpoint=False)
        >>> history = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=2, callbacks=[backup], verbose=0)
        >>> os.listdir(folder)
        ['latest.backup.safetensors']
        >>> history = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=3, callbacks=[backup], verbose=0)
        >>> history.epoch  # epochs 0 and 1 were done: only epoch 2 runs
        [2]
    """

    def __init__(self, backup_dir: Any, save_freq: Any = "epoch", double_checkpoint: bool = False,
                 delete_checkpoint: bool = True):
        if not backup_dir:
            raise ValueError(f"`BackupAndRestore` argument `backup_dir` must be a folder path; received "
                             f"backup_dir={backup_dir!r}.")
        try:
            backup_dir = os.fspath(backup_dir)
        except TypeError:
            raise ValueError(f"`BackupAndRestore` argument `backup_dir` must be a folder path (a string or "
                             f"os.PathLike); received backup_dir={backup_dir!r}.") from None
        save_freq = check_save_freq("BackupAndRestore", save_freq)
        super().__init__()
        self.backup_dir = backup_dir
        self.save_freq = save_freq
        self.double_checkpoint = bool(double_checkpoint)
        self.delete_checkpoint = bool(delete_checkpoint)
        self._backup_path = os.path.join(backup_dir, "latest.backup.safetensors")
        self._previous_path = self._backup_path + ".bkp"
        self._batches_since_save = 0
        self._current_epoch = 0
        self._epoch_start_rng: tuple | None = None
        self._pending_rng: tuple | None = None
        self._pending_metrics: list[torch.Tensor] | None = None
        if save_freq == "epoch":
            self._idle_batch_hooks = {"on_train_batch_begin": BackupAndRestore.on_train_batch_begin,
                                      "on_train_batch_end": BackupAndRestore.on_train_batch_end}

    # ---- restoring ---------------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._batches_since_save = 0
        self._pending_rng = self._pending_metrics = None
        if not self.model.built:
            raise ValueError(f"BackupAndRestore needs a built model; model '{self.model.name}' is not built. Call it "
                             "on a batch of data (or `build(input_shape)`) before `fit`.")
        for path in (self._backup_path, self._previous_path):
            if not os.path.exists(path):
                continue
            try:
                backup = self._read(path)
            except ValueError:
                if path == self._previous_path or not os.path.exists(self._previous_path):
                    raise
                continue  # the latest backup is unreadable: fall back on the previous one
            self._restore(*backup)
            return

    def _read(self, path: str) -> tuple[dict, dict]:
        from safetensors import safe_open

        from layerwise.saving import saving_lib

        with open(path, "rb") as handle:
            tensors = saving_lib.bytes_to_tensors(handle.read(), path)
        try:
            with safe_open(path, framework="pt") as handle:
                metadata = handle.metadata() or {}
            if metadata.get("format") != _FORMAT:
                raise ValueError(f"format {metadata.get('format')!r}")
            state = json.loads(metadata["state"])
            int(state["epoch"]), int(state["step"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise saving_lib.FileFormatError(f"{path}: not a readable layerwise backup ({error}).") from None
        return tensors, state

    def _restore(self, tensors: dict, state: dict) -> None:
        from layerwise.saving import saving_lib

        def group(prefix: str) -> dict:
            return {k[len(prefix):]: v for k, v in tensors.items() if k.startswith(prefix)}

        model = self.model
        saving_lib.load_state_dict(model, group("model/"), self._backup_path, order=state.get("model_order"))
        optimizer_state = group("optimizer/")
        optimizer = getattr(model, "optimizer", None)
        if optimizer is not None and optimizer_state:
            if not optimizer.built:
                optimizer.build(model.trainable_weights)
            optimizer.load_state(optimizer_state)
        step = int(state["step"])
        if step:
            _set_rng_state(group("epoch_rng/"), state["epoch_rng"])
            self._pending_rng = (group("rng/"), state["rng"])
            metrics = group("metrics/")
            self._pending_metrics = [metrics[str(i)] for i in range(len(metrics))]
        else:
            _set_rng_state(group("rng/"), state["rng"])
        model._initial_epoch = int(state["epoch"])
        model._initial_step = step

    def _apply_pending(self) -> None:
        if self._pending_rng is not None:
            _set_rng_state(*self._pending_rng)
            self._pending_rng = None

    # ---- backing up --------------------------------------------------------------------------------
    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch
        if self._pending_metrics is not None:  # resuming mid-epoch: the metrics carry on from the backup
            variables = _metric_variables(self.model)
            if len(variables) == len(self._pending_metrics):
                with torch.no_grad():
                    for variable, value in zip(variables, self._pending_metrics):
                        if tuple(variable.shape) == tuple(value.shape):
                            variable.copy_(value.to(variable.device, variable.dtype))
            self._pending_metrics = None
        if self.save_freq != "epoch":
            self._epoch_start_rng = _rng_state()

    def on_train_batch_begin(self, batch, logs=None):
        self._apply_pending()

    def on_train_batch_end(self, batch, logs=None):
        self._batches_since_save += 1
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._save(self._current_epoch, batch + 1)

    def on_epoch_end(self, epoch, logs=None):
        self._apply_pending()
        if self.save_freq == "epoch":
            self._save(epoch + 1, 0)

    def _save(self, epoch: int, step: int) -> None:
        from layerwise.saving import saving_lib

        model = self.model
        tensors = {f"model/{k}": v for k, v in model.state_dict().items()}
        state_tensors = saving_lib.optimizer_tensors(model) or {}
        tensors.update({f"optimizer/{k}": v for k, v in state_tensors.items()})
        rng_tensors, rng_host = _rng_state()
        tensors.update({f"rng/{k}": v for k, v in rng_tensors.items()})
        state = {"epoch": epoch, "step": step, "rng": rng_host, "model_order": list(model.state_dict())}
        if step:
            epoch_tensors, epoch_host = self._epoch_start_rng
            tensors.update({f"epoch_rng/{k}": v for k, v in epoch_tensors.items()})
            state["epoch_rng"] = epoch_host
            tensors.update({f"metrics/{i}": v for i, v in enumerate(_metric_variables(model))})
        data = saving_lib.tensors_to_bytes(tensors, {"format": _FORMAT, "state": json.dumps(state)})
        if self.double_checkpoint and os.path.exists(self._backup_path):
            os.replace(self._backup_path, self._previous_path)
        atomic_save(self._backup_path, lambda temporary: _write_bytes(temporary, data))

    def on_train_end(self, logs=None):
        if not self.delete_checkpoint:
            return
        for path in (self._backup_path, self._previous_path):
            if os.path.exists(path):
                os.remove(path)
        if os.path.isdir(self.backup_dir) and not os.listdir(self.backup_dir):
            os.rmdir(self.backup_dir)


def _write_bytes(path: str, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
