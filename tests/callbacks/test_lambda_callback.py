"""LambdaCallback: each function is called by its hook, with the hook's arguments."""

import numpy as np
import pytest

import layerwise as keras


def test_every_hook_is_called_with_its_arguments():
    calls = []

    def record(name):
        return lambda *args: calls.append((name,) + tuple(a if isinstance(a, int) else sorted(a or {}) for a in args))

    callback = keras.callbacks.LambdaCallback(
        on_epoch_begin=record("epoch_begin"), on_epoch_end=record("epoch_end"),
        on_train_begin=record("train_begin"), on_train_end=record("train_end"),
        on_train_batch_begin=record("batch_begin"), on_train_batch_end=record("batch_end"),
        on_test_end=record("test_end"), on_predict_batch_end=lambda batch, logs: calls.append(
            ("predict_batch_end", batch, logs["outputs"].shape[0])))
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    x, y = np.zeros((4, 2)), np.zeros((4, 1))
    model.fit(x, y, batch_size=2, epochs=1, validation_data=(x, y), callbacks=[callback], verbose=0)
    assert calls == [("train_begin", []), ("epoch_begin", 0, []), ("batch_begin", 0, []),
                     ("batch_end", 0, ["loss"]), ("batch_begin", 1, []), ("batch_end", 1, ["loss"]),
                     ("test_end", ["loss"]), ("epoch_end", 0, ["loss", "val_loss"]), ("train_end", ["loss", "val_loss"])]
    calls.clear()
    model.predict(x, batch_size=3, callbacks=[callback], verbose=0)
    assert calls == [("predict_batch_end", 0, 3), ("predict_batch_end", 1, 1)]


def test_keras1_batch_names_and_unset_hooks():
    seen = []
    callback = keras.callbacks.LambdaCallback(on_batch_end=lambda batch, logs: seen.append(batch))
    assert callback.on_epoch_end(0, {}) is None  # hooks not given do nothing
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(np.zeros((6, 2)), np.zeros((6, 1)), batch_size=2, callbacks=[callback], verbose=0)
    assert seen == [0, 1, 2]


def test_bad_arguments_are_refused():
    with pytest.raises(TypeError, match="unexpected keyword argument 'on_epoch_ends'"):
        keras.callbacks.LambdaCallback(on_epoch_ends=print)
    with pytest.raises(ValueError, match="`LambdaCallback` argument `on_train_end` must be a function"):
        keras.callbacks.LambdaCallback(on_train_end="print")
