"""EarlyStopping: the stopping epoch (against Keras 3), min_delta, baseline, start_from_epoch, modes,
and restoring the best weights."""

import numpy as np
import pytest

import layerwise as keras
from tests.callbacks.conftest import FakeModel, Script, fit


def test_early_stopping_stops_at_the_right_epoch_and_restores_best_weights():
    script = Script([1.0, 0.8, 0.9, 0.85, 0.95, 0.5, 0.4])
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    model, history = fit([script, stop], epochs=7)
    # best at epoch 1 (0.8); epochs 2, 3, 4 do not improve -> stop after epoch 4
    assert history.epoch == [0, 1, 2, 3, 4] and stop.stopped_epoch == 4 and stop.best_epoch == 1
    for restored, best in zip(model.get_weights(), script.weights[1]):
        np.testing.assert_array_equal(restored, best)


def test_min_delta_mode_max_and_baseline():
    script = Script([0.50, 0.505, 0.51, 0.6, 0.6], key="val_accuracy")
    stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", min_delta=0.02, patience=2)
    _, history = fit([script, stop], epochs=5)
    assert history.epoch == [0, 1, 2]  # +0.005 and +0.01 are below min_delta
    script = Script([0.9, 0.95, 0.97, 0.99, 1.0])
    stop = keras.callbacks.EarlyStopping(patience=2, baseline=0.55)
    _, history = fit([script, stop], epochs=5)
    assert history.epoch == [0, 1]  # the first epoch does not beat the baseline, so it does not reset the wait


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
        model = FakeModel()
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
    _, history = fit([script, stop], epochs=5)
    assert history.epoch == [0, 1, 2, 3, 4]  # only epochs 3 and 4 are monitored; 4 does not improve
    assert stop.stopped_epoch == 4


def test_auto_mode_needs_a_known_direction():
    stop = keras.callbacks.EarlyStopping(monitor="val_custom")
    with pytest.raises(ValueError, match="cannot tell whether monitor='val_custom' should go up or down"):
        fit([Script([1.0, 1.0], key="val_custom"), stop], epochs=2)
    with pytest.raises(ValueError, match="`EarlyStopping` argument `mode` must be one of"):
        keras.callbacks.EarlyStopping(mode="maximum")


def test_missing_monitor_warns():
    stop = keras.callbacks.EarlyStopping(monitor="val_nothing", mode="min")
    with pytest.warns(UserWarning, match="monitoring `val_nothing`, which is not in the logs"):
        fit([stop], epochs=1)


def test_auto_mode_reads_the_direction_from_the_metric_or_the_name():
    # val_accuracy goes up (the compiled metric says so): 0.6 at epoch 1 is the best, then no improvement
    script = Script([0.5, 0.6, 0.55, 0.58], key="val_accuracy")
    stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=2)
    _, history = fit([script, stop], epochs=4)
    assert history.epoch == [0, 1, 2, 3] and stop.best == 0.6 and stop.stopped_epoch == 3
    # no AUC metric is compiled: the name decides (AUC goes up)
    script = Script([0.5, 0.6, 0.7, 0.8], key="val_auc")
    stop = keras.callbacks.EarlyStopping(monitor="val_auc", patience=0)
    _, history = fit([script, stop], epochs=4)
    assert history.epoch == [0, 1, 2, 3] and stop.best == 0.8 and stop._direction == "max"


def test_verbose_messages(capsys):
    script = Script([1.0, 0.5, 0.9, 0.9])
    stop = keras.callbacks.EarlyStopping(patience=1, verbose=1, restore_best_weights=True)
    fit([script, stop], epochs=4)
    out = capsys.readouterr().out
    assert "Epoch 3: early stopping" in out and "Restoring model weights from the end of the best epoch: 2." in out


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="`EarlyStopping` argument `patience` must be a non-negative integer"):
        keras.callbacks.EarlyStopping(patience=-1)
    with pytest.raises(ValueError, match="`EarlyStopping` argument `monitor` must be the name"):
        keras.callbacks.EarlyStopping(monitor=None)
