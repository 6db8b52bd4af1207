"""Shared pieces of the callback tests: a tiny regression problem and a callback that scripts logs."""

import numpy as np

import layerwise as keras


class Script(keras.callbacks.Callback):
    """Replaces a logged value with a scripted sequence and records the weights of each epoch.

    Put it first in the callbacks list: the callbacks after it see the scripted value.
    """

    def __init__(self, values, key="val_loss"):
        super().__init__()
        self.values = values
        self.key = key
        self.weights = []

    def on_epoch_end(self, epoch, logs=None):
        logs[self.key] = self.values[epoch]
        self.weights.append(self.model.get_weights())


def regression_data(n=32, seed=0):
    rng = np.random.RandomState(seed)
    return rng.randn(n, 3).astype("float32"), rng.randn(n, 1).astype("float32")


def linear_model(learning_rate=0.05, metrics=("accuracy",)):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(learning_rate), "mse", metrics=list(metrics))
    return model


def fit(callbacks, epochs, model=None, **kwargs):
    """Fit the linear model on the regression data, with itself as validation data."""
    x, y = regression_data()
    model = model or linear_model()
    kwargs.setdefault("validation_data", (x, y))
    history = model.fit(x, y, epochs=epochs, callbacks=callbacks, verbose=0, **kwargs)
    return model, history


class FakeOptimizer:
    def __init__(self, learning_rate):
        self.learning_rate = learning_rate


class FakeModel:
    """Enough of a model for monitor callbacks driven by hand (and by Keras's, for parity tests)."""

    def __init__(self, learning_rate=1.0):
        self.stop_training = False
        self.metrics = []
        self.optimizer = FakeOptimizer(learning_rate)

    def get_weights(self):
        return []

    def set_weights(self, weights):
        pass
