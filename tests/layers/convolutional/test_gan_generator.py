"""A DCGAN-style generator: Dense -> Reshape -> Conv2DTranspose(strides=2, "same") x 2 maps (None, 100)
noise to (None, 28, 28, 1) images, with the same outputs as Keras given the same weights."""

import numpy as np
import pytest
import torch

import layerwise as keras


def _generator(layers):
    return [
        layers.Dense(7 * 7 * 16, activation="relu"),
        layers.Reshape((7, 7, 16)),
        layers.Conv2DTranspose(8, 5, strides=2, padding="same", activation="relu"),
        layers.Conv2DTranspose(1, 5, strides=2, padding="same", activation="tanh"),
    ]


def test_generator_shapes():
    model = keras.Sequential([keras.Input((100,))] + _generator(keras.layers))
    assert model.output_shape == (None, 28, 28, 1)
    assert [layer.output_shape for layer in model.layers] == [
        (None, 784), (None, 7, 7, 16), (None, 14, 14, 8), (None, 28, 28, 1)]
    images = model(torch.randn(3, 100))
    assert images.shape == (3, 28, 28, 1) and float(images.detach().abs().max()) <= 1.0
    assert [tuple(w.shape) for w in model.layers[2].weights] == [(5, 5, 8, 16), (8,)]


def test_generator_trains():
    model = keras.Sequential([keras.Input((100,))] + _generator(keras.layers))
    model.compile(optimizer="adam", loss="mse")
    rs = np.random.RandomState(0)
    noise = rs.randn(32, 100).astype("float32")
    targets = np.tanh(rs.randn(32, 28, 28, 1)).astype("float32")
    history = model.fit(noise, targets, epochs=5, batch_size=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


@pytest.mark.keras_oracle
def test_generator_parity_with_keras(keras_oracle):
    theirs = keras_oracle.Sequential([keras_oracle.Input((100,))] + _generator(keras_oracle.layers))
    rs = np.random.RandomState(0)
    theirs.set_weights([rs.uniform(-0.3, 0.3, w.shape).astype("float32") for w in theirs.get_weights()])
    ours = keras.Sequential([keras.Input((100,))] + _generator(keras.layers))
    ours.set_weights(theirs.get_weights())
    noise = rs.randn(4, 100).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(theirs(noise))
    got = ours(torch.from_numpy(noise)).detach().numpy()
    assert got.shape == expected.shape == (4, 28, 28, 1)
    np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)
