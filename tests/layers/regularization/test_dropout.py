import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import run_layer_test


def test_inference_is_identity_and_common_checks():
    x = torch.randn(4, 8)
    out = run_layer_test(keras.layers.Dropout, {"rate": 0.5}, input_data=x, expected_output_shape=(4, 8),
                         expected_num_trainable_weights=0)
    assert torch.equal(out, x)


def test_training_drops_and_rescales():
    layer = keras.layers.Dropout(0.25)
    x = torch.ones(200, 500)
    y = layer(x, training=True)
    kept = y != 0
    assert torch.allclose(y[kept], torch.full_like(y[kept], 1 / 0.75))
    assert abs(float(kept.float().mean()) - 0.75) < 0.01  # 100,000 draws
    assert abs(float(y.mean()) - 1.0) < 0.02  # inverted dropout keeps the expectation


@pytest.mark.parametrize("seed", [None, 5])
def test_seeded_and_noise_shape_paths_drop_at_the_rate(seed):
    layer = keras.layers.Dropout(0.3, noise_shape=(None, 1000), seed=seed)
    y = layer(torch.ones(100, 1000), training=True)
    assert abs(float((y == 0).float().mean()) - 0.3) < 0.01
    np.testing.assert_allclose(np.unique(y.numpy()), [0.0, 1 / 0.7], rtol=1e-6)


def test_noise_shape_broadcasts_the_mask():
    layer = keras.layers.Dropout(0.5, noise_shape=(None, 1, 6), seed=3)
    y = layer(torch.ones(4, 5, 6), training=True)
    assert torch.equal(y, y[:, :1, :].expand_as(y))  # same mask for every time step
    assert not torch.equal(y[0], y[1])  # but not for every sample


def test_gradient_is_the_mask():
    layer = keras.layers.Dropout(0.5, seed=1)
    x = torch.randn(4, 50, requires_grad=True)
    y = layer(x, training=True)
    y.sum().backward()
    torch.testing.assert_close(x.grad, (y.detach() != 0).float() * 2.0)


def test_seeded_layer_is_reproducible():
    a = keras.layers.Dropout(0.5, seed=7)
    b = keras.layers.Dropout(0.5, seed=7)
    x = torch.ones(3, 10)
    first = a(x, training=True)
    assert torch.equal(first, b(x, training=True))
    assert torch.equal(a(x, training=True), b(x, training=True))  # the same sequence...
    assert not torch.equal(a(x, training=True), first)  # ...of different masks


def test_unseeded_layer_follows_the_global_seed():
    keras.utils.set_random_seed(3)
    a = keras.layers.Dropout(0.5)(torch.ones(3, 10), training=True)
    keras.utils.set_random_seed(3)
    assert torch.equal(keras.layers.Dropout(0.5)(torch.ones(3, 10), training=True), a)


def test_training_flag_inherited_from_model_call():
    model = keras.Sequential([keras.Input((100,)), keras.layers.Dropout(0.5)])
    x = torch.ones(2, 100)
    assert torch.equal(model(x), x)
    assert not torch.equal(model(x, training=True), x)
    model.train()  # PyTorch mode also turns dropout on
    assert not torch.equal(model(x), x)


@pytest.mark.parametrize("rate", [1.5, -0.1, "a"])
def test_invalid_rate(rate):
    with pytest.raises(ValueError, match=r"`Dropout` argument `rate` must be a number in \[0, 1\]"):
        keras.layers.Dropout(rate)


@pytest.mark.parametrize("noise_shape", ["abc", (None, 0), (2, 1.5), 3])
def test_invalid_noise_shape(noise_shape):
    with pytest.raises(ValueError, match="`Dropout` argument `noise_shape` must be None or a tuple of positive"):
        keras.layers.Dropout(0.5, noise_shape=noise_shape)


def test_invalid_seed():
    with pytest.raises(ValueError, match="`Dropout` argument `seed` must be None or a non-negative integer"):
        keras.layers.Dropout(0.5, seed="x")


def test_noise_shape_must_fit_the_input():
    with pytest.raises(ValueError, match=r"'dropout'.*noise_shape=\(None, 1\) of rank 2.*rank 3"):
        keras.layers.Dropout(0.5, noise_shape=(None, 1))(torch.ones(2, 3, 4), training=True)
    with pytest.raises(ValueError, match="does not broadcast"):
        keras.layers.Dropout(0.5, noise_shape=(None, 2))(torch.ones(2, 3), training=True)


def test_rate_one_drops_everything():
    assert float(keras.layers.Dropout(1.0, seed=1)(torch.ones(2, 2), training=True).abs().sum()) == 0.0
    np.testing.assert_equal(keras.layers.Dropout(1.0)(torch.ones(2, 2), training=True).numpy(), np.zeros((2, 2)))


def test_config_round_trip():
    layer = keras.layers.Dropout(0.2, noise_shape=(None, 1, 3), seed=4)
    config = layer.get_config()
    assert config["noise_shape"] == [None, 1, 3] and config["seed"] == 4 and config["rate"] == 0.2
    assert keras.layers.Dropout.from_config(config).get_config() == config


@pytest.mark.keras_oracle
def test_parity_with_keras(keras_oracle):
    """Masks come from different generators; the layers agree on the config, identity at
    inference, the values kept (x / (1 - rate)), and the masks' structure."""
    theirs = keras_oracle.layers.Dropout(0.4, noise_shape=(None, 1, 5), seed=2)
    ours = keras.layers.Dropout.from_config(theirs.get_config())
    assert ours.get_config()["noise_shape"] == list(theirs.get_config()["noise_shape"])
    x = np.random.RandomState(0).randn(64, 3, 5).astype("float32")
    np.testing.assert_array_equal(ours(torch.from_numpy(x)).numpy(), keras_oracle.ops.convert_to_numpy(theirs(x)))
    for y in (ours(torch.from_numpy(x), training=True).numpy(),
              keras_oracle.ops.convert_to_numpy(theirs(x, training=True))):
        kept = y != 0
        np.testing.assert_allclose(y[kept], x[kept] / 0.6, rtol=1e-6)
        assert (kept == kept[:, :1, :]).all()
        assert 0.45 < kept.mean() < 0.75
