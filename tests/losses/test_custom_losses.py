"""Plain functions and ``Loss`` subclasses as the ``compile`` loss: they train, and an asymmetric
loss written with ``ops.where`` moves the fit the way its asymmetry says.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise import ops


def asymmetric_squared_error(y_true, y_pred):
    """Under-predictions cost 4 times as much as over-predictions."""
    error = y_true - y_pred
    return ops.mean(ops.where(error > 0, 4.0 * ops.square(error), ops.square(error)), axis=-1)


def torch_huber(y_true, y_pred):
    return torch.nn.functional.huber_loss(y_pred, y_true, reduction="none").mean(dim=-1)


class WeightedL1(keras.losses.Loss):
    def __init__(self, scale=2.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, y_true, y_pred):
        return self.scale * ops.mean(ops.abs(y_true - y_pred), axis=-1)


def _data(n=256):
    rng = np.random.RandomState(0)
    x = rng.randn(n, 3).astype("float32")
    noise = rng.randn(n).astype("float32")
    y = (x @ np.array([1.5, -2.0, 0.5], dtype="float32") + 0.3 + noise).astype("float32")
    return x, y


def _fit(loss, epochs=150):
    x, y = _data()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss=loss)
    history = model.fit(x, y[:, None], batch_size=len(x), epochs=epochs, verbose=0)
    residual = y - model.predict(x, verbose=0)[:, 0]
    return history.history["loss"], residual


def test_asymmetric_where_loss_shifts_the_fit_upwards():
    losses, residual = _fit(asymmetric_squared_error)
    assert np.isfinite(losses).all() and losses[-1] < 0.5 * losses[0]
    # at the optimum the bias gradient vanishes: 4 * sum(positive residuals) = sum(negative residuals),
    # so the predictions sit above the data (an expectile above the mean), unlike the symmetric fit
    balance = 4 * residual[residual > 0].sum() + residual[residual < 0].sum()
    assert abs(balance) < 0.02 * np.abs(residual).sum()
    assert residual.mean() < -0.3
    _, symmetric = _fit("mse")
    assert abs(symmetric.mean()) < 0.05


@pytest.mark.parametrize("loss", [torch_huber, WeightedL1(scale=3.0), keras.losses.Huber(delta=0.5),
                                  keras.losses.LogCosh(), "huber", "log_cosh", "logcosh"])
def test_other_losses_train_a_regression(loss):
    losses, _ = _fit(loss, epochs=60)
    assert np.isfinite(losses).all() and losses[-1] < 0.7 * losses[0]


def test_a_custom_loss_reports_its_own_value():
    x, y = _data(64)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss=asymmetric_squared_error)
    pred = torch.as_tensor(model.predict(x, verbose=0))
    expected = float(ops.mean(asymmetric_squared_error(torch.as_tensor(y[:, None]), pred)))
    assert model.evaluate(x, y, batch_size=64, verbose=0) == pytest.approx(expected, rel=1e-5)
