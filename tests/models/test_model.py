import numpy as np
import pytest
import torch

import layerwise as keras


class MLP(keras.Model):
    def __init__(self, hidden=8, **kwargs):
        super().__init__(**kwargs)
        self.hidden = hidden
        self.dense1 = keras.layers.Dense(hidden, activation="relu")
        self.dropout = keras.layers.Dropout(0.5)
        self.dense2 = keras.layers.Dense(1)

    def call(self, inputs, training=None):
        return self.dense2(self.dropout(self.dense1(inputs), training=training))


def test_subclassed_model_builds_lazily_and_trains():
    model = MLP()
    x = np.random.RandomState(0).rand(64, 3).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    history = model.fit(x, y, epochs=30, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] / 3
    assert [layer.name for layer in model.layers] == ["dense", "dropout", "dense_1"]
    assert model.get_config()["hidden"] == 8


def test_build_with_input_shape():
    model = MLP(hidden=4)
    model.build((None, 5))
    assert model.built and model.count_params() == 5 * 4 + 4 + 4 + 1


def test_functional_subclass():
    class Wrapped(keras.Model):
        def __init__(self, **kwargs):
            inputs = keras.Input((2,))
            super().__init__(inputs, keras.layers.Dense(3)(inputs), **kwargs)

    model = Wrapped()
    assert model.output_shape == (None, 3) and model(torch.zeros(1, 2)).shape == (1, 3)


def test_model_without_call():
    with pytest.raises(NotImplementedError, match="has no `call\\(\\)` method"):
        keras.Model()(torch.zeros(1, 2))


def test_get_layer_errors():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="exactly one of `name` or `index`"):
        model.get_layer()
    with pytest.raises(ValueError, match="out of range"):
        model.get_layer(index=5)


def test_move_to_device_and_dtype():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.to("cpu").double()
    assert model(torch.zeros(1, 2, dtype=torch.float64)).dtype == torch.float64
