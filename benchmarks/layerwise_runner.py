"""layerwise ``fit()``, ``evaluate()``/``predict()`` and time-to-accuracy, timed the same way as the loops."""

from __future__ import annotations

import time

import torch
from common import (
    BATCH_SIZE,
    EVAL_BATCH_SIZE,
    LEARNING_RATE,
    LoopResult,
    Stopwatch,
    begin_memory_window,
    end_memory_window,
    keras_style_model,
)

import layerwise as keras


def compiled_model(kind: str, device: torch.device, learning_rate: float = LEARNING_RATE) -> keras.Model:
    """The benchmark model on ``device``, compiled with default settings: Adam (Keras's epsilon 1e-7),
    sparse categorical cross entropy, accuracy."""
    keras.config.set_default_device(device)
    model = keras_style_model(keras, kind)
    optimizer = "adam" if learning_rate == LEARNING_RATE else keras.optimizers.Adam(learning_rate)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


class EpochTimer(keras.callbacks.Callback):
    """Times each epoch from ``on_epoch_begin`` to ``on_epoch_end`` (after fit's own epoch-end sync,
    forced by reading the loss, and a device synchronize)."""

    def __init__(self, device: torch.device) -> None:
        super().__init__()
        self.watch = Stopwatch(device)

    def on_epoch_begin(self, epoch, logs=None):
        """Start the clock."""
        self.watch.start()

    def on_epoch_end(self, epoch, logs=None):
        """Read the epoch's loss (the one host sync fit does anyway) and stop the clock."""
        float((logs or {}).get("loss", 0.0))
        self.watch.stop()


def layerwise_fit(kind: str, data: tuple, epochs: int, device: torch.device) -> LoopResult:
    """layerwise ``fit()`` with default settings (``verbose=0``, batch 128, shuffling on), epochs timed
    by a callback; test accuracy from ``evaluate(batch_size=1024)``."""
    x_train, y_train, x_test, y_test = data
    baseline = begin_memory_window(device)
    model = compiled_model(kind, device)
    timer = EpochTimer(device)
    try:
        model.fit(x_train, y_train, batch_size=BATCH_SIZE, epochs=epochs, verbose=0, callbacks=[timer])
        peak = end_memory_window(device, baseline)
        _, accuracy = model.evaluate(x_test, y_test, batch_size=EVAL_BATCH_SIZE, verbose=0)
    finally:
        keras.config.set_default_device(None)
    return LoopResult(kind, "layerwise fit()", epoch_times=timer.watch.times, samples_per_epoch=len(x_train),
                      test_accuracy=float(accuracy), peak_mib=peak, trained=model)


def layerwise_evaluate(model: keras.Model, x_test, y_test) -> tuple:
    """``model.evaluate(x_test, y_test, batch_size=1024, verbose=0)``: (loss, accuracy)."""
    loss, accuracy = model.evaluate(x_test, y_test, batch_size=EVAL_BATCH_SIZE, verbose=0)
    return loss, accuracy


def layerwise_predict(model: keras.Model, x_test):
    """``model.predict(x_test, batch_size=1024, verbose=0)``: the softmax outputs as one NumPy array."""
    return model.predict(x_test, batch_size=EVAL_BATCH_SIZE, verbose=0)


def time_to_accuracy(data: tuple, device: torch.device, target: float, max_epochs: int, kind: str = "cnn",
                     batch_size: int = BATCH_SIZE, learning_rate: float = LEARNING_RATE) -> dict:
    """Seconds from calling ``fit()`` until the test accuracy first reaches ``target``.

    The model is built and compiled before the clock starts; the clock starts right before ``fit()`` and
    stops in the ``on_epoch_end`` callback of the first epoch whose test accuracy (fit's validation on the
    test set, batch 1024, run at every epoch end) reaches the target. Nothing is excluded: the first-step
    checks, CUDA-graph capture, warm-up steps and the per-epoch validation all count. Training stops there,
    or after ``max_epochs`` epochs without reaching the target.
    """
    x_train, y_train, x_test, y_test = data
    model = compiled_model(kind, device, learning_rate)
    history: list[dict] = []
    outcome: dict = {"reached": False}
    start = 0.0

    class StopAtTarget(keras.callbacks.Callback):
        """Record (epoch, elapsed, test accuracy) at each epoch end; stop once the target is reached."""

        def on_epoch_end(self, epoch, logs=None):
            """Check the validation (test-set) accuracy of this epoch."""
            accuracy = float(logs["val_accuracy"])
            elapsed = time.perf_counter() - start
            history.append({"epoch": epoch + 1, "seconds": elapsed, "test_accuracy": accuracy})
            if accuracy >= target and not outcome["reached"]:
                outcome.update(reached=True, seconds=elapsed, epochs=epoch + 1, test_accuracy=accuracy)
                self.model.stop_training = True

    try:
        start = time.perf_counter()
        model.fit(x_train, y_train, batch_size=batch_size, epochs=max_epochs, verbose=0,
                  validation_data=(x_test, y_test), validation_batch_size=EVAL_BATCH_SIZE,
                  callbacks=[StopAtTarget()])
    finally:
        keras.config.set_default_device(None)
    return {"model": kind, "target": target, "max_epochs": max_epochs, "batch_size": batch_size,
            "learning_rate": learning_rate, **outcome, "history": history}
