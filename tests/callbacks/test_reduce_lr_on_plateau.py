"""ReduceLROnPlateau: the epochs at which the rate drops, by how much, cooldown, min_lr, and the
``learning_rate`` it logs (against hand-computed runs and Keras 3)."""

import numpy as np
import pytest

import layerwise as keras
from tests.callbacks.conftest import FakeModel, Script, fit, linear_model

f32 = lambda value: float(np.float32(value))  # noqa: E731  (the optimizer keeps its rate in float32)


def test_scripted_run_with_patience_cooldown_and_min_lr():
    values = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6]
    reduce = keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=2, cooldown=2, min_lr=0.1, min_delta=0)
    model, history = fit([Script(values), reduce], epochs=12, model=linear_model(0.5))
    # epoch 2: third epoch without improvement -> 0.25; epoch 3 is cooldown; epochs 4, 5 wait -> 0.125;
    # epoch 6 improves; epochs 7, 8 wait -> max(0.0625, min_lr) = 0.1; after that it is at min_lr
    expected = [0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125, 0.125, 0.125, 0.1, 0.1, 0.1]
    assert history.history["learning_rate"] == [f32(v) for v in expected]
    assert float(model.optimizer.learning_rate) == f32(0.1)


def test_min_delta_and_mode_max(capsys):
    values = [0.5, 0.55, 0.58, 0.7, 0.71]
    reduce = keras.callbacks.ReduceLROnPlateau(monitor="val_acc", mode="max", factor=0.1, patience=1,
                                               min_delta=0.06, verbose=1)
    _, history = fit([Script(values, key="val_acc"), reduce], epochs=5, model=linear_model(1.0))
    # +0.05 at epoch 1 is below min_delta -> 0.1; epoch 2 (+0.08 over 0.5) improves; +0.12 improves; +0.01 -> 0.01
    assert history.history["learning_rate"] == [1.0, 1.0, f32(0.1), f32(0.1), f32(0.1)]
    assert float(history.model.optimizer.learning_rate) == f32(f32(0.1) * 0.1)
    assert "Epoch 2: ReduceLROnPlateau reducing learning rate to 0.1" in capsys.readouterr().out


def test_the_rate_is_what_the_optimizer_uses():
    # one weight, x = 1, y = 1, mse: the gradient is 2 (w - 1); SGD moves w by -lr * gradient
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")])
    model.compile(keras.optimizers.SGD(0.25), "mse")
    reduce = keras.callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=0, min_delta=10.0)
    model.fit(np.ones((1, 1)), np.ones((1, 1)), epochs=3, callbacks=[reduce], verbose=0)
    w1 = 0.0 - 0.25 * 2 * (0.0 - 1.0)  # epoch 0 at 0.25 (the first value is always an improvement)
    w2 = w1 - 0.25 * 2 * (w1 - 1.0)  # epoch 1 at 0.25; no improvement, its end halves the rate
    w3 = w2 - 0.125 * 2 * (w2 - 1.0)  # epoch 2 at 0.125
    assert float(model.get_weights()[0][0, 0]) == w3 == 0.8125


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs,values", [
    ({"patience": 2}, [1.0, 0.9, 0.95, 0.93, 0.8, 0.85, 0.85, 0.85]),
    ({"patience": 1, "cooldown": 2, "factor": 0.5}, [1.0] * 10),
    ({"patience": 0, "cooldown": 1, "min_lr": 0.3, "factor": 0.5}, [1.0, 1.1, 1.2, 1.3, 1.4, 1.5]),
    ({"patience": 1, "min_delta": 0.05, "factor": 0.2}, [1.0, 0.97, 0.9, 0.89, 0.5, 0.49, 0.48]),
    ({"patience": 1, "mode": "max", "factor": 0.5}, [0.1, 0.2, 0.15, 0.18, 0.3, 0.29, 0.28]),
])
def test_rates_match_keras(keras_oracle, kwargs, values):
    def run(module):
        reduce = module.callbacks.ReduceLROnPlateau(monitor="val_loss", **kwargs)
        model = FakeModel(learning_rate=1.0)
        reduce.set_model(model)
        reduce.on_train_begin()
        rates = []
        for epoch, value in enumerate(values):
            logs = {"val_loss": value}
            reduce.on_epoch_end(epoch, logs)
            rates.append((logs["learning_rate"], model.optimizer.learning_rate))
        return rates

    ours = run(keras)
    assert ours == run(keras_oracle) and ours[-1][1] < 1.0


def test_missing_monitor_warns_and_still_logs_the_rate():
    reduce = keras.callbacks.ReduceLROnPlateau(monitor="val_nothing", mode="min")
    with pytest.warns(UserWarning, match="monitoring `val_nothing`, which is not in the logs"):
        _, history = fit([reduce], epochs=1, model=linear_model(0.5))
    assert history.history["learning_rate"] == [0.5]


@pytest.mark.parametrize("kwargs,error,message", [
    ({"factor": 1.0}, ValueError, r"`ReduceLROnPlateau` argument `factor` must be a number in \[0, 1\)"),
    ({"patience": -1}, ValueError, "`ReduceLROnPlateau` argument `patience` must be a non-negative integer"),
    ({"cooldown": 1.5}, ValueError, "`ReduceLROnPlateau` argument `cooldown` must be a non-negative integer"),
    ({"min_lr": -0.1}, ValueError, "`ReduceLROnPlateau` argument `min_lr` must be a number"),
    ({"mode": "up"}, ValueError, "`ReduceLROnPlateau` argument `mode` must be one of"),
    ({"lr_factor": 0.5}, TypeError, r"unexpected keyword arguments: \['lr_factor'\]"),
])
def test_bad_arguments_are_refused(kwargs, error, message):
    with pytest.raises(error, match=message):
        keras.callbacks.ReduceLROnPlateau(**kwargs)


def test_keras2_epsilon_is_min_delta():
    assert keras.callbacks.ReduceLROnPlateau(epsilon=0.5).min_delta == 0.5
