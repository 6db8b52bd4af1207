"""TensorBoard: the scalars written (read back from the event files), batch-level frequency,
histograms, and the error when the optional tensorboard package is missing."""

import os
import sys

import numpy as np
import pytest
import torch

import layerwise as keras
from tests.callbacks.conftest import linear_model, regression_data

f32 = lambda value: float(np.float32(value))  # noqa: E731  (event files store float32)


def _read(folder):
    """Every scalar as ``{tag: [(step, value)...]}``, and the accumulator (everything kept)."""
    event_accumulator = pytest.importorskip("tensorboard.backend.event_processing.event_accumulator")
    accumulator = event_accumulator.EventAccumulator(str(folder), size_guidance={"scalars": 0, "histograms": 0,
                                                                                 "images": 0})
    accumulator.Reload()
    scalars = {tag: [(e.step, e.value) for e in accumulator.Scalars(tag)] for tag in accumulator.Tags()["scalars"]}
    return scalars, accumulator


def _fit(tmp_path, epochs=3, **kwargs):
    pytest.importorskip("tensorboard")
    x, y = regression_data(12)
    model = linear_model(0.05, metrics=["mae"])
    board = keras.callbacks.TensorBoard(log_dir=tmp_path / "logs", **kwargs)
    history = model.fit(x, y, batch_size=4, epochs=epochs, validation_data=(x[:8], y[:8]), callbacks=[board],
                        verbose=0)
    return model, history


def test_epoch_scalars_read_back(tmp_path):
    _, history = _fit(tmp_path)
    train, _ = _read(tmp_path / "logs" / "train")
    validation, _ = _read(tmp_path / "logs" / "validation")
    assert set(train) == {"epoch_loss", "epoch_mae", "epoch_learning_rate"}
    for name in ("loss", "mae"):
        assert train[f"epoch_{name}"] == [(e, f32(v)) for e, v in enumerate(history.history[name])]
        assert validation[f"epoch_{name}"] == [(e, f32(v)) for e, v in enumerate(history.history[f"val_{name}"])]
    assert train["epoch_learning_rate"] == [(0, f32(0.05)), (1, f32(0.05)), (2, f32(0.05))]
    # after each validation, against the optimizer's iterations (3 batches an epoch)
    assert [step for step, _ in validation["evaluation_loss_vs_iterations"]] == [3, 6, 9]
    assert validation["evaluation_loss_vs_iterations"][-1][1] == f32(history.history["val_loss"][-1])


def test_batch_scalars_every_update_freq_batches(tmp_path):
    model = linear_model(0.05, metrics=["mae"])
    batch_logs = []
    recorder = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: batch_logs.append(dict(logs)))
    pytest.importorskip("tensorboard")
    x, y = regression_data(12)
    board = keras.callbacks.TensorBoard(log_dir=tmp_path / "logs", update_freq=2, write_steps_per_second=True)
    model.fit(x, y, batch_size=4, epochs=3, callbacks=[recorder, board], verbose=0)
    train, _ = _read(tmp_path / "logs" / "train")
    # 9 batches in all; the batch count starts at 1 and runs across epochs
    assert train["batch_loss"] == [(s, f32(batch_logs[s - 1]["loss"])) for s in (2, 4, 6, 8)]
    assert [s for s, _ in train["batch_mae"]] == [2, 4, 6, 8]
    assert [s for s, _ in train["batch_steps_per_second"]] == [2, 4, 6, 8]
    assert [s for s, _ in train["epoch_steps_per_second"]] == [0, 1, 2]


def test_histograms_every_histogram_freq_epochs(tmp_path):
    _fit(tmp_path, epochs=3, histogram_freq=2, write_images=True)
    _, accumulator = _read(tmp_path / "logs" / "train")
    assert set(accumulator.Tags()["histograms"]) == {"dense/kernel/histogram", "dense/bias/histogram"}
    kernel = accumulator.Histograms("dense/kernel/histogram")
    assert [e.step for e in kernel] == [0, 2] and kernel[0].histogram_value.num == 3  # 3 x 1 kernel
    # as in Keras, a weight with a single value (this bias) has no picture
    assert accumulator.Tags()["images"] == ["dense/kernel/image"]
    image = accumulator.Images("dense/kernel/image")[0]
    assert (image.step, image.width, image.height) == (0, 1, 3)


def test_epoch_update_freq_costs_no_batch_hook(tmp_path):
    callbacks = keras.callbacks.CallbackList([keras.callbacks.TensorBoard(tmp_path)])
    assert all(hooks == [] for hooks in callbacks._batch.values())


def test_missing_tensorboard_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch.utils.tensorboard", None)  # makes the import fail
    board = keras.callbacks.TensorBoard(log_dir=tmp_path / "logs")  # constructing needs nothing
    model = linear_model()
    x, y = regression_data(8)
    model.fit(x, y, epochs=1, verbose=0)  # build
    before = [w.detach().clone() for w in model.weights]
    with pytest.raises(ImportError, match=r"pip install tensorboard` \(or `pip install layerwise\[tensorboard\]`\)"):
        model.fit(x, y, epochs=1, callbacks=[board], verbose=0)
    assert all(torch.equal(a, b) for a, b in zip(model.weights, before)) and not os.path.exists(tmp_path / "logs")


@pytest.mark.parametrize("kwargs,message", [
    ({"update_freq": "step"}, "`update_freq` must be 'epoch', 'batch' or a positive integer"),
    ({"update_freq": 0}, "`update_freq` must be 'epoch', 'batch' or a positive integer"),
    ({"histogram_freq": -1}, "`histogram_freq` must be a non-negative integer"),
    ({"profile_batch": 2}, "`profile_batch` must be 0"),
    ({"embeddings_freq": 1}, "`embeddings_freq` must be 0"),
])
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        keras.callbacks.TensorBoard(**kwargs)
