"""ModelCheckpoint: file names from templates, save_best_only, save_freq in batches, weights-only
files, and atomic saves (a crash during a save leaves the previous file intact)."""

import os

import numpy as np
import pytest

import layerwise as keras
from layerwise.saving import saving_lib
from tests.callbacks.conftest import Script, fit, linear_model, regression_data


def _assert_same_weights(model, weights):
    for got, want in zip(model.get_weights(), weights):
        np.testing.assert_array_equal(got, want)


def test_filepath_template_uses_the_1_based_epoch_and_the_logs(tmp_path):
    script = Script([0.5, 0.25, 0.125])
    pattern = str(tmp_path / "weights.{epoch:02d}-{val_loss:.2f}.keras")
    fit([script, keras.callbacks.ModelCheckpoint(pattern)], epochs=3)
    assert sorted(os.listdir(tmp_path)) == ["weights.01-0.50.keras", "weights.02-0.25.keras", "weights.03-0.12.keras"]
    reloaded = keras.models.load_model(tmp_path / "weights.02-0.25.keras")
    _assert_same_weights(reloaded, script.weights[1])


def test_save_best_only_keeps_the_best_epoch(tmp_path, capsys):
    script = Script([1.0, 0.5, 0.7, 0.4, 0.9])
    path = tmp_path / "best.weights.h5"
    checkpoint = keras.callbacks.ModelCheckpoint(path, save_best_only=True, save_weights_only=True, verbose=1)
    model, _ = fit([script, checkpoint], epochs=5)
    fresh = linear_model()
    fresh.load_weights(path)
    _assert_same_weights(fresh, script.weights[3])  # 0.4 at epoch 3 is the lowest
    assert checkpoint.best == 0.4
    out = capsys.readouterr().out
    assert "Epoch 4: val_loss improved from 0.50000 to 0.40000, saving model to" in out
    assert "Epoch 5: val_loss did not improve from 0.40000" in out


def test_mode_max_and_initial_value_threshold(tmp_path):
    script = Script([0.3, 0.6, 0.5, 0.7], key="val_score")
    path = tmp_path / "best.keras"
    checkpoint = keras.callbacks.ModelCheckpoint(path, monitor="val_score", mode="max", save_best_only=True,
                                                 initial_value_threshold=0.65)
    fit([script, checkpoint], epochs=4)
    _assert_same_weights(keras.models.load_model(path), script.weights[3])  # only 0.7 beats 0.65
    never = keras.callbacks.ModelCheckpoint(tmp_path / "never.keras", monitor="val_score", mode="max",
                                            save_best_only=True, initial_value_threshold=0.8)
    fit([Script([0.3, 0.6, 0.5, 0.7], key="val_score"), never], epochs=4)
    assert not os.path.exists(tmp_path / "never.keras")


@pytest.mark.parametrize("name", ["model.weights.h5", "model.weights.safetensors"])
def test_save_weights_only_names(tmp_path, name):
    model, _ = fit([keras.callbacks.ModelCheckpoint(tmp_path / name, save_weights_only=True)], epochs=2)
    fresh = linear_model()
    fresh.load_weights(tmp_path / name)
    _assert_same_weights(fresh, model.get_weights())


def test_save_freq_in_batches_names_epoch_and_batch(tmp_path):
    x, y = regression_data(10)
    model = linear_model()
    reads = []
    original = model.get_metrics_result
    model.get_metrics_result = lambda: (reads.append(1), original())[1]
    checkpoint = keras.callbacks.ModelCheckpoint(str(tmp_path / "m.{epoch}-{batch}.keras"), save_freq=3)
    model.fit(x, y, batch_size=2, epochs=2, callbacks=[checkpoint], verbose=0)  # 5 batches per epoch
    # every 3 batches, counted across epochs: batch 3 of epoch 1, batches 1 and 4 of epoch 2
    assert sorted(os.listdir(tmp_path)) == ["m.1-3.keras", "m.2-1.keras", "m.2-4.keras"]
    assert len(reads) == 3 + 2  # the logs are read at the 3 saves, plus once per epoch by fit


@pytest.mark.keras_oracle
def test_save_freq_file_names_match_keras(tmp_path, keras_oracle):
    x, y = regression_data(14)

    def run(module, folder):
        model = module.Sequential([module.Input((3,)), module.layers.Dense(1)])
        model.compile("sgd", "mse")
        checkpoint = module.callbacks.ModelCheckpoint(str(folder / "m.{epoch}-{batch}.weights.h5"),
                                                      save_weights_only=True, save_freq=4)
        model.fit(x, y, batch_size=3, epochs=3, callbacks=[checkpoint], verbose=0)
        return sorted(os.listdir(folder))

    (tmp_path / "ours").mkdir()
    (tmp_path / "keras").mkdir()
    ours = run(keras, tmp_path / "ours")
    assert ours == ["m.1-4.weights.h5", "m.2-3.weights.h5", "m.3-2.weights.h5"]  # 5 batches an epoch
    assert ours == run(keras_oracle, tmp_path / "keras")


def test_a_crash_during_a_save_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "model.keras"
    checkpoint = keras.callbacks.ModelCheckpoint(path)
    model, _ = fit([checkpoint], epochs=1)
    saved_weights = model.get_weights()
    before = path.read_bytes()

    def crashing_write(filepath, data):  # writes half of the file in place, then dies
        with open(filepath, "wb") as handle:
            handle.write(data[: len(data) // 2])
        raise OSError("disk full")

    monkeypatch.setattr(saving_lib, "atomic_write", crashing_write)
    with pytest.raises(OSError, match="disk full"):
        fit([checkpoint], epochs=1, model=model)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["model.keras"]  # no temporary file left behind
    assert path.read_bytes() == before
    _assert_same_weights(keras.models.load_model(path), saved_weights)


def test_missing_monitor_warns_and_saves(tmp_path):
    checkpoint = keras.callbacks.ModelCheckpoint(tmp_path / "m.keras", monitor="val_nothing", save_best_only=True)
    with pytest.warns(UserWarning, match="only when `val_nothing` is in the logs; saving anyway"):
        fit([checkpoint], epochs=1)
    assert os.path.exists(tmp_path / "m.keras")


def test_unknown_template_field_names_the_available_ones(tmp_path):
    checkpoint = keras.callbacks.ModelCheckpoint(str(tmp_path / "m.{val_acc:.2f}.keras"))
    with pytest.raises(KeyError, match="cannot format its filepath.*val_accuracy"):
        fit([checkpoint], epochs=1)


def test_a_directory_path_is_refused(tmp_path):
    (tmp_path / "dir.keras").mkdir()
    with pytest.raises(IsADirectoryError, match="it is an existing directory"):
        fit([keras.callbacks.ModelCheckpoint(tmp_path / "dir.keras")], epochs=1)


@pytest.mark.parametrize("kwargs,message", [
    ({"filepath": "m.h5", "save_weights_only": True}, "must end in `.weights.h5`"),
    ({"filepath": "m.weights.h5"}, "must end in `.keras`"),
    ({"filepath": "m.txt"}, "must end in `.keras`"),
    ({"filepath": "m.keras", "save_freq": "batch"}, "`save_freq` must be 'epoch' or a positive integer"),
    ({"filepath": "m.keras", "save_freq": 0}, "`save_freq` must be 'epoch' or a positive integer"),
    ({"filepath": "m.keras", "mode": "maximum"}, "`ModelCheckpoint` argument `mode` must be one of"),
    ({"filepath": 3}, "`filepath` must be a path"),
])
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        keras.callbacks.ModelCheckpoint(**kwargs)
