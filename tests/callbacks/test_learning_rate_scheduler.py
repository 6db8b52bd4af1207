"""LearningRateScheduler: the exact rate of each epoch, both schedule signatures, and bad schedules."""

import numpy as np
import pytest

import layerwise as keras

f32 = lambda value: float(np.float32(value))  # noqa: E731


class RateSeen(keras.callbacks.Callback):
    """Records the optimizer's rate at the first batch of each epoch."""

    def __init__(self):
        super().__init__()
        self.rates = []

    def on_train_batch_begin(self, batch, logs=None):
        if batch == 0:
            self.rates.append(float(self.model.optimizer.learning_rate))


def _one_weight_model(learning_rate=0.5):
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, use_bias=False, kernel_initializer="zeros")])
    model.compile(keras.optimizers.SGD(learning_rate), "mse")
    return model


def test_schedule_of_the_epoch_sets_each_epoch_rate():
    rates = [0.25, 0.125, 0.0625]
    model = _one_weight_model(learning_rate=0.9)
    seen = RateSeen()
    scheduler = keras.callbacks.LearningRateScheduler(lambda epoch: rates[epoch])
    history = model.fit(np.ones((1, 1)), np.ones((1, 1)), epochs=3, callbacks=[scheduler, seen], verbose=0)
    assert seen.rates == rates and history.history["learning_rate"] == rates
    # one weight, x = y = 1, mse: w <- w - lr * 2 (w - 1), with the scheduled rates
    w = 0.0
    for rate in rates:
        w = w - rate * 2 * (w - 1.0)
    assert float(model.get_weights()[0][0, 0]) == w == 0.671875


def test_schedule_of_epoch_and_rate_sees_the_current_rate():
    calls = []

    def decay(epoch, lr):
        calls.append((epoch, lr))
        return lr if epoch < 2 else lr * 0.1

    model = _one_weight_model(learning_rate=0.5)
    history = model.fit(np.ones((1, 1)), np.ones((1, 1)), epochs=4,
                        callbacks=[keras.callbacks.LearningRateScheduler(decay)], verbose=0)
    assert calls == [(0, 0.5), (1, 0.5), (2, 0.5), (3, f32(0.05))]
    assert history.history["learning_rate"] == [0.5, 0.5, f32(0.05), f32(f32(0.05) * 0.1)]


def test_other_callables_and_numpy_results():
    class Halving:
        def __call__(self, epoch, lr, *rest):
            return np.float64(lr / 2)

    model = _one_weight_model(learning_rate=0.5)
    history = model.fit(np.ones((1, 1)), np.ones((1, 1)), epochs=2,
                        callbacks=[keras.callbacks.LearningRateScheduler(Halving())], verbose=0)
    assert history.history["learning_rate"] == [0.25, 0.125]


def test_verbose_prints_the_rate(capsys):
    model = _one_weight_model()
    model.fit(np.ones((1, 1)), np.ones((1, 1)), epochs=1, verbose=0,
              callbacks=[keras.callbacks.LearningRateScheduler(lambda epoch: 0.125, verbose=1)])
    assert "Epoch 1: LearningRateScheduler setting learning rate to 0.125." in capsys.readouterr().out


@pytest.mark.parametrize("result", ["0.1", None, float("nan"), -1.0, np.ones(2)])
def test_a_bad_rate_is_refused_before_it_is_set(result):
    model = _one_weight_model(learning_rate=0.5)
    scheduler = keras.callbacks.LearningRateScheduler(lambda epoch: result)
    with pytest.raises(ValueError, match="the schedule must return a finite, non-negative number; at epoch 0"):
        model.fit(np.ones((1, 1)), np.ones((1, 1)), epochs=1, callbacks=[scheduler], verbose=0)
    assert float(model.optimizer.learning_rate) == 0.5


def test_schedule_must_be_callable():
    with pytest.raises(ValueError, match="`LearningRateScheduler` argument `schedule` must be a function"):
        keras.callbacks.LearningRateScheduler(0.1)
