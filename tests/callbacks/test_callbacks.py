import numpy as np
import pytest

import layerwise as keras


class Script(keras.callbacks.Callback):
    """Replaces the monitored value with a scripted sequence and records the weights of each epoch."""

    def __init__(self, values, key="val_loss"):
        super().__init__()
        self.values = values
        self.key = key
        self.weights = []

    def on_epoch_end(self, epoch, logs=None):
        logs[self.key] = self.values[epoch]
        self.weights.append(self.model.get_weights())


def _fit(callbacks, epochs):
    rng = np.random.RandomState(0)
    x, y = rng.randn(32, 3).astype("float32"), rng.randn(32, 1).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.05), "mse", metrics=["accuracy"])
    history = model.fit(x, y, epochs=epochs, validation_data=(x, y), callbacks=callbacks, verbose=0)
    return model, history


def test_early_stopping_stops_at_the_right_epoch_and_restores_best_weights():
    script = Script([1.0, 0.8, 0.9, 0.85, 0.95, 0.5, 0.4])
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    model, history = _fit([script, stop], epochs=7)
    # best at epoch 1 (0.8); epochs 2, 3, 4 do not improve -> stop after epoch 4
    assert history.epoch == [0, 1, 2, 3, 4] and stop.stopped_epoch == 4 and stop.best_epoch == 1
    for restored, best in zip(model.get_weights(), script.weights[1]):
        np.testing.assert_array_equal(restored, best)


def test_min_delta_mode_max_and_baseline():
    script = Script([0.50, 0.505, 0.51, 0.6, 0.6], key="val_accuracy")
    stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", min_delta=0.02, patience=2)
    _, history = _fit([script, stop], epochs=5)
    assert history.epoch == [0, 1, 2]  # +0.005 and +0.01 are below min_delta
    script = Script([0.9, 0.95, 0.97, 0.99, 1.0])
    stop = keras.callbacks.EarlyStopping(patience=2, baseline=0.55)
    _, history = _fit([script, stop], epochs=5)
    assert history.epoch == [0, 1]  # the first epoch does not beat the baseline, so it does not reset the wait


class _FakeModel:
    def __init__(self):
        self.stop_training = False
        self.metrics = []

    def get_weights(self):
        return []

    def set_weights(self, weights):
        pass


@pytest.mark.parametrize("kwargs,values", [
    ({"patience": 2}, [1.0, 0.9, 0.95, 0.93, 0.8]),
    ({"patience": 1, "min_delta": 0.05}, [1.0, 0.97, 0.9, 0.89, 0.5]),
    ({"patience": 2, "baseline": 0.5}, [0.9, 0.8, 0.7, 0.6, 0.4, 0.45, 0.44, 0.43]),
    ({"patience": 0, "start_from_epoch": 2}, [3.0, 2.0, 1.0, 1.5, 0.5]),
    ({"patience": 3, "mode": "max"}, [0.1, 0.2, 0.15, 0.18, 0.19, 0.3]),
])
def test_stop_epoch_matches_keras(keras_oracle, kwargs, values):
    def run(module):
        stop = module.callbacks.EarlyStopping(monitor="val_loss", **kwargs)
        model = _FakeModel()
        stop.set_model(model)
        stop.on_train_begin()
        for epoch, value in enumerate(values):
            stop.on_epoch_end(epoch, {"val_loss": value})
            if model.stop_training:
                return epoch
        return None

    assert run(keras) == run(keras_oracle)


def test_start_from_epoch_and_patience_zero():
    script = Script([1.0, 2.0, 3.0, 0.5, 0.6])
    stop = keras.callbacks.EarlyStopping(patience=0, start_from_epoch=3)
    _, history = _fit([script, stop], epochs=5)
    assert history.epoch == [0, 1, 2, 3, 4]  # only epochs 3 and 4 are monitored; 4 does not improve
    assert stop.stopped_epoch == 4


def test_auto_mode_needs_a_known_direction():
    stop = keras.callbacks.EarlyStopping(monitor="val_custom")
    with pytest.raises(ValueError, match="cannot tell whether monitor='val_custom' should go up or down"):
        _fit([Script([1.0, 1.0], key="val_custom"), stop], epochs=2)
    with pytest.raises(ValueError, match="`EarlyStopping` argument `mode` must be one of"):
        keras.callbacks.EarlyStopping(mode="maximum")


def test_missing_monitor_warns():
    stop = keras.callbacks.EarlyStopping(monitor="val_nothing", mode="min")
    with pytest.warns(UserWarning, match="monitoring `val_nothing`, which is not in the logs"):
        _fit([stop], epochs=1)


def test_history_records_every_key():
    model, history = _fit([], epochs=3)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 3 for v in history.history.values())
    assert model.history is history


def test_verbose_2_prints_one_line_per_epoch(capsys):
    _fit_verbose(2, epochs=2)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out
    lines = [line for line in out.splitlines() if line.startswith("1/1")]
    assert len(lines) == 2 and " - loss: " in lines[0] and " - val_loss: " in lines[0] and "/step" in lines[0]


def test_verbose_1_draws_a_bar(capsys):
    _fit_verbose(1, epochs=1)
    out = capsys.readouterr().out
    assert "━" in out and "1/1" in out and "loss:" in out


def test_verbose_0_is_silent(capsys):
    _fit_verbose(0, epochs=2)
    assert capsys.readouterr().out == ""


def _fit_verbose(verbose, epochs):
    x = np.zeros((8, 3), "float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(x, np.zeros((8, 1)), epochs=epochs, batch_size=8, validation_data=(x, np.zeros((8, 1))),
              verbose=verbose)


def test_keras1_batch_hook_names_are_called():
    seen = []

    class Old(keras.callbacks.Callback):
        def on_batch_end(self, batch, logs=None):
            seen.append(batch)

    _fit([Old()], epochs=1)
    assert seen == [0]


def test_callback_list_validates_members():
    with pytest.raises(TypeError, match="Callbacks must be"):
        keras.callbacks.CallbackList([object()])


def test_progress_bar_reads_metrics_a_few_times_a_second(capsys):
    import time

    x = np.zeros((4000, 3), "float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=["mae"])
    reads = []
    original = model.get_metrics_result
    model.get_metrics_result = lambda: (reads.append(1), original())[1]
    start = time.perf_counter()
    model.fit(x, np.zeros((4000, 1)), batch_size=2, epochs=1, verbose=1)  # 2000 steps
    elapsed = time.perf_counter() - start
    assert len(reads) <= elapsed / 0.25 + 3  # redraws at 4 Hz, plus the end of the epoch
    assert "2000/2000" in capsys.readouterr().out


def test_mixed_precision_module():
    keras.mixed_precision.set_global_policy("mixed_bfloat16")
    try:
        layer = keras.layers.Dense(2)
        import torch

        out = layer(torch.ones(1, 3))
        assert layer.kernel.dtype == torch.float32 and out.dtype == torch.bfloat16
    finally:
        keras.mixed_precision.set_global_policy(None)
