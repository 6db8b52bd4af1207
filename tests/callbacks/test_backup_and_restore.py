"""BackupAndRestore: a fit interrupted anywhere and started again ends with exactly the weights (and
the logs) of an uninterrupted fit; backups are atomic; the previous backup is a fallback."""

import os

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.callbacks import backup_and_restore
from layerwise.saving.saving_lib import FileFormatError

EPOCHS = 4  # 20 samples in batches of 4: 5 batches an epoch


def _data():
    rng = np.random.RandomState(0)
    return rng.randn(20, 4).astype("float32"), rng.randn(20, 1).astype("float32")


def _model(seed):
    """Dropout and shuffling draw random numbers, Adam has slots: all must be restored to match."""
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dropout(0.3), keras.layers.Dense(1)])
    model.compile(keras.optimizers.Adam(0.01), "mse", metrics=["mae"])
    return model


def _fit(model, callbacks, epochs=EPOCHS):
    x, y = _data()
    return model.fit(x, y, batch_size=4, epochs=epochs, shuffle=True, validation_data=(x[:8], y[:8]),
                     callbacks=callbacks, verbose=0)


class Crash(keras.callbacks.Callback):
    """Raises after the n-th training batch of the run (counted from 1), or at the end of an epoch."""

    def __init__(self, batch=None, epoch=None):
        super().__init__()
        self.batch, self.epoch, self.count = batch, epoch, 0

    def on_train_batch_end(self, batch, logs=None):
        self.count += 1
        if self.count == self.batch:
            raise KeyboardInterrupt("killed")

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.epoch:
            raise KeyboardInterrupt("killed")


@pytest.fixture(scope="module")
def uninterrupted():
    model = _model(seed=7)
    history = _fit(model, [])
    return model, history


def _assert_same_state(model, reference):
    assert all(torch.equal(a, b) for a, b in zip(model.weights, reference.weights))
    assert all(torch.equal(a, b) for a, b in zip(model.optimizer.variables, reference.optimizer.variables))


@pytest.mark.parametrize("save_freq,crash,resumed_epochs", [
    ("epoch", Crash(batch=12), [2, 3]),  # killed in epoch 2: epochs 0 and 1 were backed up
    ("epoch", Crash(epoch=1), [2, 3]),  # killed at the end of epoch 1, after its backup
    (3, Crash(batch=12), [2, 3]),  # backed up after batch 12 (epoch 2, 2 batches done)
    (3, Crash(batch=11), [1, 2, 3]),  # last backup after batch 9: the end of epoch 1's batches
    (4, Crash(batch=7), [0, 1, 2, 3]),  # last backup after batch 4, inside epoch 0
])
def test_an_interrupted_fit_resumes_to_the_same_weights(tmp_path, uninterrupted, save_freq, crash, resumed_epochs):
    reference, reference_history = uninterrupted
    folder = tmp_path / "backup"
    with pytest.raises(KeyboardInterrupt):
        _fit(_model(seed=7), [keras.callbacks.BackupAndRestore(folder, save_freq=save_freq), crash])
    assert os.listdir(folder) == ["latest.backup.safetensors"]
    # a new process: another seed, new weights; the backup brings back everything
    model = _model(seed=123)
    history = _fit(model, [keras.callbacks.BackupAndRestore(folder, save_freq=save_freq)])
    _assert_same_state(model, reference)
    assert history.epoch == resumed_epochs
    for key, values in history.history.items():  # the resumed epochs log the same values, mid-epoch too
        assert values == reference_history.history[key][resumed_epochs[0]:], key
    assert not os.path.exists(folder)  # delete_checkpoint=True: removed once fit finished


def test_a_completed_backup_runs_no_more_epochs_and_delete_checkpoint_false_keeps_it(tmp_path, uninterrupted):
    folder = tmp_path / "backup"
    model = _model(seed=7)
    _fit(model, [keras.callbacks.BackupAndRestore(folder, delete_checkpoint=False)])
    assert os.listdir(folder) == ["latest.backup.safetensors"]
    again = _model(seed=5)
    history = _fit(again, [keras.callbacks.BackupAndRestore(folder, delete_checkpoint=False)])
    assert history.epoch == [] and os.path.exists(folder)
    _assert_same_state(again, uninterrupted[0])


def test_a_crash_while_writing_a_backup_keeps_the_previous_one(tmp_path, uninterrupted, monkeypatch):
    folder = tmp_path / "backup"
    real_write = backup_and_restore._write_bytes
    writes = []

    def dying_write(path, data):  # the third backup dies half-way through its file
        writes.append(path)
        if len(writes) == 3:
            with open(path, "wb") as handle:
                handle.write(data[: len(data) // 2])
            raise KeyboardInterrupt("killed while writing")
        real_write(path, data)

    monkeypatch.setattr(backup_and_restore, "_write_bytes", dying_write)
    with pytest.raises(KeyboardInterrupt, match="killed while writing"):
        _fit(_model(seed=7), [keras.callbacks.BackupAndRestore(folder)])
    monkeypatch.undo()
    assert os.listdir(folder) == ["latest.backup.safetensors"]  # no temporary file left
    model = _model(seed=1)
    history = _fit(model, [keras.callbacks.BackupAndRestore(folder)])
    assert history.epoch == [2, 3]  # the backup of epoch 1 was intact
    _assert_same_state(model, uninterrupted[0])


def test_double_checkpoint_falls_back_on_the_previous_backup(tmp_path, uninterrupted):
    folder = tmp_path / "backup"
    with pytest.raises(KeyboardInterrupt):
        _fit(_model(seed=7), [keras.callbacks.BackupAndRestore(folder, double_checkpoint=True), Crash(epoch=2)])
    assert sorted(os.listdir(folder)) == ["latest.backup.safetensors", "latest.backup.safetensors.bkp"]
    latest = folder / "latest.backup.safetensors"
    latest.write_bytes(latest.read_bytes()[:1000])  # damaged on disk
    model = _model(seed=1)
    history = _fit(model, [keras.callbacks.BackupAndRestore(folder, double_checkpoint=True)])
    assert history.epoch == [2, 3]  # the previous backup (end of epoch 1) was used
    _assert_same_state(model, uninterrupted[0])


def test_a_damaged_backup_without_a_previous_one_is_an_error(tmp_path):
    folder = tmp_path / "backup"
    with pytest.raises(KeyboardInterrupt):
        _fit(_model(seed=7), [keras.callbacks.BackupAndRestore(folder), Crash(epoch=0)])
    latest = folder / "latest.backup.safetensors"
    latest.write_bytes(latest.read_bytes()[:1000])
    model = _model(seed=1)
    before = [w.detach().clone() for w in model.weights]
    with pytest.raises(FileFormatError, match="latest.backup.safetensors"):
        _fit(model, [keras.callbacks.BackupAndRestore(folder)])
    assert all(torch.equal(a, b) for a, b in zip(model.weights, before))  # refused before training


def test_epoch_backups_cost_no_batch_hook(tmp_path):
    callbacks = keras.callbacks.CallbackList([keras.callbacks.BackupAndRestore(tmp_path)])
    assert all(hooks == [] for hooks in callbacks._batch.values())


@pytest.mark.parametrize("kwargs,message", [
    ({"backup_dir": ""}, "`BackupAndRestore` argument `backup_dir` must be a folder path"),
    ({"backup_dir": 3}, "`BackupAndRestore` argument `backup_dir` must be a folder path"),
    ({"backup_dir": "b", "save_freq": "batch"}, "`BackupAndRestore` argument `save_freq` must be 'epoch' or a"),
    ({"backup_dir": "b", "save_freq": -2}, "`BackupAndRestore` argument `save_freq` must be 'epoch' or a"),
])
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        keras.callbacks.BackupAndRestore(**kwargs)
