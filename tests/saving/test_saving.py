import json
import os
import pickle
import subprocess
import sys
import zipfile

import numpy as np
import pytest
import torch

import layerwise as keras

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _data(n=200):
    rng = np.random.RandomState(0)
    x = rng.randn(n, 6).astype("float32")
    return x, (x[:, :3].sum(1) > x[:, 3:].sum(1)).astype("int64")


def _model():
    inputs = keras.Input((6,), name="features")
    hidden = keras.layers.Dense(12, activation="relu", kernel_regularizer="l2")(inputs)
    hidden = keras.layers.Dropout(0.2)(hidden)
    outputs = keras.layers.Dense(2, activation="softmax", name="probs")(hidden)
    model = keras.Model(inputs, outputs)
    model.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def test_save_then_load_in_a_new_process_predicts_identically(tmp_path):
    x, y = _data()
    model = _model()
    model.fit(x, y, epochs=2, verbose=0)
    path = str(tmp_path / "model.keras")
    model.save(path)
    np.save(tmp_path / "x.npy", x)
    script = (
        "import sys, numpy as np, layerwise as keras\n"
        f"model = keras.models.load_model({path!r})\n"
        f"np.save({str(tmp_path / 'p.npy')!r}, model.predict(np.load({str(tmp_path / 'x.npy')!r}), verbose=0))\n"
    )
    env = {**os.environ, "PYTHONPATH": REPO}
    subprocess.run([sys.executable, "-c", script], check=True, env=env, cwd=str(tmp_path))
    np.testing.assert_array_equal(np.load(tmp_path / "p.npy"), model.predict(x, verbose=0))


def test_file_layout_and_contents(tmp_path):
    x, y = _data()
    model = _model()
    model.fit(x, y, epochs=1, verbose=0)
    path = str(tmp_path / "model.keras")
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["config.json", "metadata.json", "model.weights.safetensors",
                                              "optimizer.safetensors"]
        config = json.loads(archive.read("config.json"))
    assert config["class_name"] == "Functional"
    assert config["compile_config"]["loss"] == "sparse_categorical_crossentropy"
    assert config["compile_config"]["optimizer"]["class_name"] == "Adam"


def test_resume_after_load_equals_uninterrupted_training(tmp_path):
    x, y = _data()
    keras.utils.set_random_seed(3)
    uninterrupted = _model()
    uninterrupted.fit(x, y, epochs=2, verbose=0)
    path = str(tmp_path / "half.keras")
    uninterrupted.save(path)
    keras.utils.set_random_seed(4)
    uninterrupted.fit(x, y, epochs=2, verbose=0)

    resumed = keras.models.load_model(path)
    assert int(resumed.optimizer.iterations) == 2 * 7
    keras.utils.set_random_seed(4)
    resumed.fit(x, y, epochs=2, verbose=0)
    for a, b in zip(resumed.get_weights(), uninterrupted.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_sequential_and_subclassed_models_round_trip(tmp_path):
    x, _ = _data(10)
    seq = keras.Sequential([keras.layers.Dense(4, input_shape=(6,), activation="tanh"), keras.layers.Dense(1)])
    seq.save(tmp_path / "seq.keras")
    np.testing.assert_array_equal(keras.models.load_model(tmp_path / "seq.keras").predict(x, verbose=0),
                                  seq.predict(x, verbose=0))

    @keras.saving.register_keras_serializable(package="Tests")
    class Residual(keras.Model):
        def __init__(self, units=6, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.inner = keras.layers.Dense(units)

        def call(self, inputs):
            return inputs + self.inner(inputs)

    model = Residual()
    model(x)
    model.save(tmp_path / "sub.keras")
    loaded = keras.models.load_model(tmp_path / "sub.keras")
    assert type(loaded) is Residual
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_unregistered_custom_layer_needs_custom_objects(tmp_path):
    class Twice(keras.layers.Layer):
        def call(self, x):
            return 2 * x

    inputs = keras.Input((3,))
    keras.Model(inputs, Twice()(inputs)).save(tmp_path / "twice.keras")
    with pytest.raises(ValueError, match=r"Could not locate class 'Twice'.*register_keras_serializable"):
        keras.models.load_model(tmp_path / "twice.keras")
    loaded = keras.models.load_model(tmp_path / "twice.keras", custom_objects={"Twice": Twice})
    np.testing.assert_array_equal(loaded.predict(np.ones((1, 3)), verbose=0), [[2, 2, 2]])


def _saved(tmp_path):
    model = _model()
    model.fit(*_data(), epochs=1, verbose=0)
    path = str(tmp_path / "m.keras")
    model.save(path)
    return path


def test_tampered_member_is_refused_before_anything_runs(tmp_path, monkeypatch):
    path = _saved(tmp_path)
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    weights = bytearray(members["model.weights.safetensors"])
    weights[-5] ^= 0xFF  # flip bits inside a tensor
    members["model.weights.safetensors"] = bytes(weights)
    tampered = str(tmp_path / "tampered.keras")
    with zipfile.ZipFile(tampered, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    built = []
    monkeypatch.setattr(keras.layers.Dense, "build", lambda self, shape: built.append(shape))
    with pytest.raises(ValueError, match=r"tampered.keras: the member 'model.weights.safetensors' does not match its "
                                         r"recorded SHA-256"):
        keras.models.load_model(tampered)
    assert built == []  # nothing was constructed


def test_truncated_and_missing_files(tmp_path):
    path = _saved(tmp_path)
    data = open(path, "rb").read()
    truncated = tmp_path / "truncated.keras"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"truncated.keras: not a valid model file"):
        keras.models.load_model(str(truncated))
    with pytest.raises(FileNotFoundError, match=r"No model file at '.*nothing.keras'"):
        keras.models.load_model(str(tmp_path / "nothing.keras"))
    extra = tmp_path / "extra.keras"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(extra, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name))
        dst.writestr("payload.pkl", pickle.dumps({"a": 1}))
    with pytest.raises(ValueError, match=r"extra.keras: unexpected members \['payload.pkl'\]"):
        keras.models.load_model(str(extra))


def test_no_pickle_in_any_load_path(tmp_path, monkeypatch):
    path = _saved(tmp_path)
    model = keras.models.load_model(path)
    model.save_weights(str(tmp_path / "w.weights.h5"))

    def forbidden(*args, **kwargs):
        raise AssertionError("pickle was used while loading")

    monkeypatch.setattr(pickle, "loads", forbidden)
    monkeypatch.setattr(pickle, "load", forbidden)
    monkeypatch.setattr(pickle, "Unpickler", forbidden)
    monkeypatch.setattr(torch, "load", forbidden)
    keras.models.load_model(path)
    model.load_weights(str(tmp_path / "w.weights.h5"))
    model.load_weights(path)


def test_save_and_load_weights(tmp_path):
    x, _ = _data(5)
    model = _model()
    model.save_weights(tmp_path / "model.weights.h5")
    other = _model()  # same architecture, new layer names and values
    assert [w.shape for w in other.weights] == [w.shape for w in model.weights]
    other.load_weights(tmp_path / "model.weights.h5")
    np.testing.assert_array_equal(other.predict(x, verbose=0), model.predict(x, verbose=0))
    with pytest.raises(ValueError, match=r"must end in `.weights.h5`"):
        model.save_weights(tmp_path / "model.bin")
    small = keras.Sequential([keras.Input((6,)), keras.layers.Dense(3)])
    with pytest.raises(ValueError, match=r"do not fit model"):
        small.load_weights(tmp_path / "model.weights.h5")


def test_keras_hdf5_weights_file_gives_a_helpful_error(tmp_path):
    path = tmp_path / "keras.weights.h5"
    path.write_bytes(b"\x89HDF\r\n\x1a\n" + b"\0" * 64)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match=r"HDF5 file written by Keras.*set_weights\(keras_model.get_weights\(\)\)"):
        model.load_weights(path)


def test_overwrite_false_and_bad_extension(tmp_path):
    model = _model()
    path = tmp_path / "m.keras"
    model.save(path)
    with pytest.raises(FileExistsError, match="already exists"):
        model.save(path, overwrite=False)
    with pytest.raises(ValueError, match="Invalid filepath extension"):
        model.save(tmp_path / "m.pt")


def test_atomic_write_leaves_no_partial_file(tmp_path, monkeypatch):
    from layerwise.saving import saving_lib

    model = _model()
    target = tmp_path / "m.keras"

    def failing_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="disk full"):
        saving_lib.save_model(model, str(target))
    assert list(tmp_path.iterdir()) == []
