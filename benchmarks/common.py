"""Shared pieces of the benchmarks: data, model definitions, device helpers and the result record.

Nothing here imports layerwise or Keras: :func:`keras_style_model` takes the API module (``layerwise``
or ``keras``) as an argument, so the Keras subprocesses can use it without importing layerwise.
"""

from __future__ import annotations

import dataclasses
import gc
import statistics
import time
from typing import Any

import numpy as np

BATCH_SIZE = 128
EVAL_BATCH_SIZE = 1024
LEARNING_RATE = 1e-3
ADAM_EPSILON = 1e-7  # Keras's default, used by every loop


def load_mnist(path: str) -> tuple:
    """Read a Keras-layout MNIST ``.npz``: float32 images in [0, 1] (N, 28, 28, 1), int64 labels."""
    with np.load(path, allow_pickle=False) as data:
        x_train, y_train, x_test, y_test = (data[k] for k in ("x_train", "y_train", "x_test", "y_test"))
    return ((x_train.astype("float32") / 255.0)[..., None], y_train.astype("int64"),
            (x_test.astype("float32") / 255.0)[..., None], y_test.astype("int64"))


def torch_model(kind: str):
    """The benchmark model in plain PyTorch (NCHW), returning logits.

    ``mlp``: Flatten-Dense256-ReLU-Dense256-ReLU-Dense10. ``cnn``: Conv32(3x3)-ReLU-MaxPool-Conv64(3x3)-ReLU-
    MaxPool-Flatten-Dropout(0.5)-Dense10, the same layers as :func:`keras_style_model`.
    """
    import torch

    nn = torch.nn
    if kind == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                             nn.Linear(256, 10))
    if kind == "cnn":
        return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                             nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.5), nn.Linear(1600, 10))
    raise ValueError(f"unknown model {kind!r} (expected 'mlp' or 'cnn')")


def keras_style_model(api: Any, kind: str):
    """The benchmark model built with a Keras-style API module (``layerwise`` or ``keras``), softmax output."""
    layers = api.layers
    if kind == "mlp":
        body = [layers.Flatten(), layers.Dense(256, activation="relu"), layers.Dense(256, activation="relu")]
    elif kind == "cnn":
        body = [layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(), layers.Conv2D(64, 3, activation="relu"),
                layers.MaxPooling2D(), layers.Flatten(), layers.Dropout(0.5)]
    else:
        raise ValueError(f"unknown model {kind!r} (expected 'mlp' or 'cnn')")
    return api.Sequential([api.Input((28, 28, 1))] + body + [layers.Dense(10, activation="softmax")])


def synchronize(device) -> None:
    """Wait for all queued work on ``device`` (a no-op on the CPU)."""
    import torch

    if device.type == "cuda":
        torch.cuda.synchronize(device)


def begin_memory_window(device) -> int:
    """Free what can be freed and reset the CUDA peak counter; return the bytes still allocated (CPU: 0)."""
    import torch

    gc.collect()
    if device.type != "cuda":
        return 0
    torch.cuda.synchronize(device)
    torch.cuda.empty_cache()
    torch.cuda.reset_peak_memory_stats(device)
    return torch.cuda.memory_allocated(device)


def end_memory_window(device, baseline: int) -> float | None:
    """Peak MiB allocated since :func:`begin_memory_window`, less what was allocated before it (CPU: None)."""
    import torch

    if device.type != "cuda":
        return None
    torch.cuda.synchronize(device)
    return (torch.cuda.max_memory_allocated(device) - baseline) / 2**20


@dataclasses.dataclass
class LoopResult:
    """One row of the training table. ``status`` is ``"ok"``, ``"failed"``, ``"skipped"`` or ``"not installed"``."""

    model: str
    loop: str
    status: str = "ok"
    epoch_times: list = dataclasses.field(default_factory=list)
    samples_per_epoch: int = 0
    test_accuracy: float | None = None
    peak_mib: float | None = None
    note: str = ""
    trained: Any = dataclasses.field(default=None, repr=False)  # the trained model, for evaluate/predict

    @property
    def epoch_seconds(self) -> float | None:
        """Median of the timed epochs (the first epoch is warm-up and is left out)."""
        timed = self.epoch_times[1:] or self.epoch_times
        return statistics.median(timed) if self.status == "ok" and timed else None

    @property
    def best_epoch_seconds(self) -> float | None:
        """The fastest timed epoch: on a shared machine, the one least slowed by other processes."""
        timed = self.epoch_times[1:] or self.epoch_times
        return min(timed) if self.status == "ok" and timed else None

    def to_json(self) -> dict:
        """The row as plain JSON data (without the trained model)."""
        data = dataclasses.asdict(dataclasses.replace(self, trained=None))
        data.pop("trained")
        data["epoch_seconds"] = self.epoch_seconds
        data["best_epoch_seconds"] = self.best_epoch_seconds
        seconds = self.epoch_seconds
        data["samples_per_second"] = self.samples_per_epoch / seconds if seconds else None
        return data


def failure_reason(error: BaseException) -> str:
    """A one-line reason for a failed row: the exception type and the first line of its message."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0][:160] if lines else ''}".rstrip(": ")


class Stopwatch:
    """Per-epoch wall-clock timer: ``start()`` then ``stop()`` (which synchronizes the device first)."""

    def __init__(self, device) -> None:
        self.device = device
        self.times: list[float] = []
        self._start = 0.0

    def start(self) -> None:
        """Mark the beginning of an epoch."""
        self._start = time.perf_counter()

    def stop(self) -> None:
        """Wait for the device and record the epoch's duration."""
        synchronize(self.device)
        self.times.append(time.perf_counter() - self._start)
