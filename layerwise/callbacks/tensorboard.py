"""``TensorBoard``: write the logged metrics (and optionally weight histograms) for TensorBoard.

Uses ``torch.utils.tensorboard.SummaryWriter``, which needs the optional ``tensorboard`` package
(``pip install tensorboard``, or ``pip install layerwise[tensorboard]``).
"""

from __future__ import annotations

import numbers
import os
import time
from typing import Any

from layerwise import config
from layerwise.api_export import export
from layerwise.callbacks.callback import Callback
from layerwise.utils.argument_validation import non_negative_int

_MISSING = ("The `TensorBoard` callback writes its files with `torch.utils.tensorboard`, which needs the "
            "`tensorboard` package: `pip install tensorboard` (or `pip install layerwise[tensorboard]`).")


def summary_writer_class() -> type:
    """``torch.utils.tensorboard.SummaryWriter``, or an ``ImportError`` that says what to install."""
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError as error:
        raise ImportError(f"{_MISSING} ({error})") from None
    return SummaryWriter


def _scalar(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, numbers.Real):
        return float(value)
    if getattr(value, "ndim", None) == 0 and hasattr(value, "item"):
        return float(value.item())
    return None


def _weight_image(weight: Any) -> Any:
    """Keras's picture of a weight: NHWC with one channel, or ``None`` when it has no such picture."""
    image = weight.detach().float().cpu().squeeze()
    if image.ndim == 1:
        image = image.reshape(1, image.shape[0], 1, 1)
    elif image.ndim == 2:
        if image.shape[0] > image.shape[1]:
            image = image.T
        image = image.reshape(1, image.shape[0], image.shape[1], 1)
    elif image.ndim == 3:
        if config.image_data_format() == "channels_last":
            image = image.permute(2, 0, 1)
        image = image.reshape(image.shape[0], image.shape[1], image.shape[2], 1)
    if image.ndim == 4 and image.shape[-1] in (1, 3, 4):
        return image.numpy()
    return None


@export("layerwise.callbacks.TensorBoard")
class TensorBoard(Callback):
    """Write TensorBoard event files under ``log_dir/train`` and ``log_dir/validation``.

    Scalars, with Keras's names: ``epoch_<name>`` for every logged value at the end of each epoch
    (step: the epoch, 0-based), the learning rate as ``epoch_learning_rate``, validation values
    under ``validation/`` without their ``val_`` prefix; ``evaluation_<name>_vs_iterations`` after
    each evaluation (step: the optimizer's iteration count); and with ``update_freq`` a number of
    batches, ``batch_<name>`` every that many batches (step: the batch count since ``fit`` began).
    Batch scalars read the logs (one device sync) only at the batches written.

    Args:
        log_dir: the folder for the event files.
        histogram_freq: every that many epochs, write a histogram of every weight (0: never).
        write_graph: accepted for Keras code; no graph is written.
        write_images: with ``histogram_freq``, also write the weights as images.
        write_steps_per_second: also write the training speed.
        update_freq: ``"epoch"``, ``"batch"`` (every batch), or a number of batches.
        profile_batch: only 0: profiling is not available on this backend (as in Keras with torch).
        embeddings_freq: only 0: embedding projections are not written.
        embeddings_metadata: accepted for Keras code; unused.

    Example:
        >>> board = TensorBoard(log_dir="logs", update_freq="batch")
        >>> board.update_freq, board.histogram_freq
        (1, 0)
    """

    def __init__(self, log_dir: Any = "logs", histogram_freq: int = 0, write_graph: bool = True,
                 write_images: bool = False, write_steps_per_second: bool = False, update_freq: Any = "epoch",
                 profile_batch: Any = 0, embeddings_freq: int = 0, embeddings_metadata: Any = None):
        try:
            log_dir = os.fspath(log_dir)
        except TypeError:
            raise ValueError(f"`TensorBoard` argument `log_dir` must be a folder path; received "
                             f"log_dir={log_dir!r}.") from None
        histogram_freq = non_negative_int("TensorBoard", "histogram_freq", histogram_freq)
        if update_freq == "batch":
            update_freq = 1
        if update_freq != "epoch" and (isinstance(update_freq, bool) or not isinstance(update_freq, numbers.Integral)
                                       or update_freq <= 0):
            raise ValueError("`TensorBoard` argument `update_freq` must be 'epoch', 'batch' or a positive integer "
                             f"(a number of batches); received update_freq={update_freq!r}.")
        if profile_batch not in (0, None, (0, 0), "0", "0,0"):
            raise ValueError("`TensorBoard` argument `profile_batch` must be 0: profiling is not available with "
                             f"layerwise (use torch.profiler); received profile_batch={profile_batch!r}.")
        if embeddings_freq:
            raise ValueError("`TensorBoard` argument `embeddings_freq` must be 0: layerwise does not write "
                             f"embedding projections; received embeddings_freq={embeddings_freq!r}.")
        super().__init__()
        self.log_dir = log_dir
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = bool(write_images)
        self.write_steps_per_second = bool(write_steps_per_second)
        self.update_freq = update_freq if update_freq == "epoch" else int(update_freq)
        self.profile_batch = profile_batch
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._writers: dict[str, Any] = {}
        self._global_train_batch = 0
        self._batch_start_time = 0.0
        self._epoch_start = (0.0, 0)
        self._in_fit = False
        idle = {}
        if self.update_freq == "epoch":
            idle["on_train_batch_end"] = TensorBoard.on_train_batch_end
        if self.update_freq == "epoch" or not self.write_steps_per_second:
            idle["on_train_batch_begin"] = TensorBoard.on_train_batch_begin
        self._idle_batch_hooks = idle

    def set_model(self, model: Any) -> None:
        summary_writer_class()  # fail before training starts when tensorboard is missing
        super().set_model(model)
        self._close_writers()

    def _writer(self, name: str) -> Any:
        if name not in self._writers:
            folder = os.path.join(self.log_dir, "train" if name == "train" else "validation")
            self._writers[name] = summary_writer_class()(log_dir=folder)
        return self._writers[name]

    def _close_writers(self) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def _iterations(self) -> int:
        optimizer = getattr(self.model, "optimizer", None)
        return int(optimizer.iterations) if optimizer is not None else 0

    # ---- fit -------------------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self._in_fit = True
        self._global_train_batch = 0

    def on_train_end(self, logs=None):
        self._in_fit = False
        self._close_writers()

    def on_train_batch_begin(self, batch, logs=None):
        self._batch_start_time = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self._global_train_batch += 1
        step = self._global_train_batch
        if step % self.update_freq:
            return
        writer = self._writer("train")
        if self.write_steps_per_second:
            elapsed = time.perf_counter() - self._batch_start_time
            writer.add_scalar("batch_steps_per_second", 1.0 / elapsed if elapsed > 0 else 0.0, step)
        for name, value in (logs or {}).items():
            value = _scalar(value)
            if value is not None:
                writer.add_scalar(f"batch_{name}", value, step)

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._epoch_start = (time.perf_counter(), self._iterations())

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        train = {k: v for k, v in logs.items() if not k.startswith("val_")}
        validation = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None:
            train["learning_rate"] = float(optimizer.learning_rate)
        if self.write_steps_per_second:
            started, iterations = self._epoch_start
            elapsed = time.perf_counter() - started
            train["steps_per_second"] = (self._iterations() - iterations) / elapsed if elapsed > 0 else 0.0
        for folder, values in (("train", train), ("validation", validation)):
            values = {name: _scalar(value) for name, value in values.items()}
            values = {name: value for name, value in values.items() if value is not None}
            if values:
                writer = self._writer(folder)
                for name, value in values.items():
                    writer.add_scalar(f"epoch_{name}", value, epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        for writer in self._writers.values():
            writer.flush()

    def _log_weights(self, epoch: int) -> None:
        writer = self._writer("train")
        for weight in self.model.weights:
            name = weight.path.replace(":", "_")
            writer.add_histogram(f"{name}/histogram", weight.detach().float().cpu().numpy(), epoch)
            if self.write_images:
                image = _weight_image(weight)
                if image is not None:
                    writer.add_images(f"{name}/image", image, epoch, dataformats="NHWC")

    # ---- evaluation ------------------------------------------------------------------------------
    def on_test_end(self, logs=None):
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is None or not logs:
            return
        writer = self._writer("validation")
        step = self._iterations()
        for name, value in logs.items():
            value = _scalar(value)
            if value is not None:
                writer.add_scalar(f"evaluation_{name}_vs_iterations", value, step)
        if not self._in_fit:
            writer.flush()
