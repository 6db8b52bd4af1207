"""CallbackList: which callbacks get batch hooks, and the order of every hook in a fit (against Keras 3)."""

import os

import numpy as np
import pytest

import layerwise as keras


def _dispatched(callback, hook="on_train_batch_end"):
    return len(keras.callbacks.CallbackList([callback])._batch[hook]) == 1


def test_epoch_level_callbacks_get_no_batch_hooks(tmp_path):
    epoch_only = [
        keras.callbacks.History(), keras.callbacks.EarlyStopping(), keras.callbacks.ReduceLROnPlateau(),
        keras.callbacks.LearningRateScheduler(lambda epoch: 0.1), keras.callbacks.CSVLogger(tmp_path / "a.csv"),
        keras.callbacks.ModelCheckpoint(tmp_path / "m.keras"), keras.callbacks.BackupAndRestore(tmp_path / "b"),
        keras.callbacks.TensorBoard(tmp_path / "logs"), keras.callbacks.LambdaCallback(on_epoch_end=print),
    ]
    callbacks = keras.callbacks.CallbackList(epoch_only)
    assert all(hooks == [] for hooks in callbacks._batch.values())


def test_batch_level_settings_get_batch_hooks(tmp_path):
    assert _dispatched(keras.callbacks.ModelCheckpoint(tmp_path / "m.keras", save_freq=2))
    assert _dispatched(keras.callbacks.BackupAndRestore(tmp_path / "b", save_freq=2))
    assert _dispatched(keras.callbacks.BackupAndRestore(tmp_path / "b", save_freq=2), "on_train_batch_begin")
    assert _dispatched(keras.callbacks.TensorBoard(tmp_path / "logs", update_freq="batch"))
    assert not _dispatched(keras.callbacks.TensorBoard(tmp_path / "logs", update_freq=5), "on_train_batch_begin")
    assert _dispatched(keras.callbacks.TerminateOnNaN())  # through the Keras 1 name on_batch_end
    assert _dispatched(keras.callbacks.LambdaCallback(on_train_batch_end=print))
    assert _dispatched(keras.callbacks.LambdaCallback(on_batch_end=print))
    assert _dispatched(keras.callbacks.LambdaCallback(on_test_batch_end=print), "on_test_batch_end")


def test_a_subclass_that_overrides_an_idle_hook_still_gets_it(tmp_path):
    seen = []

    class Counting(keras.callbacks.ModelCheckpoint):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(batch)
            super().on_train_batch_end(batch, logs)

    counting = Counting(tmp_path / "m.keras")  # save_freq="epoch": ModelCheckpoint's own hook is idle
    assert _dispatched(counting)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(np.zeros((6, 2)), np.zeros((6, 1)), batch_size=2, callbacks=[counting], verbose=0)
    assert seen == [0, 1, 2] and os.path.exists(tmp_path / "m.keras")


def _recorder_class(module):
    hooks = [name for name in dir(module.callbacks.Callback) if name.startswith("on_")]

    class Recorder(module.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.calls = []

    def make(name):
        base = getattr(module.callbacks.Callback, name)

        def hook(self, *args, **kwargs):
            self.calls.append((name,) + tuple(a for a in args if isinstance(a, int)))
            return base(self, *args, **kwargs)

        return hook

    for name in hooks:
        setattr(Recorder, name, make(name))
    return Recorder


@pytest.mark.keras_oracle
def test_hook_order_of_a_fit_matches_keras(keras_oracle):
    rng = np.random.RandomState(0)
    x, y = rng.randn(10, 4).astype("float32"), rng.randint(0, 3, 10)

    def run(module):
        model = module.Sequential([module.Input((4,)), module.layers.Dense(3, activation="softmax")])
        model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
        recorder = _recorder_class(module)()
        model.fit(x, y, batch_size=4, epochs=2, validation_data=(x[:6], y[:6]), callbacks=[recorder], verbose=0)
        model.evaluate(x, y, batch_size=5, callbacks=[recorder], verbose=0)
        model.predict(x, batch_size=10, callbacks=[recorder], verbose=0)
        return recorder.calls

    ours, theirs = run(keras), run(keras_oracle)
    assert len(ours) == 52 and ours == theirs
