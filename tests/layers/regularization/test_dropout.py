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


def test_noise_shape_broadcasts_the_mask():
    layer = keras.layers.Dropout(0.5, noise_shape=(None, 1, 6), seed=3)
    y = layer(torch.ones(4, 5, 6), training=True)
    assert torch.equal(y, y[:, :1, :].expand_as(y))  # same mask for every time step


def test_seeded_layer_is_reproducible():
    a = keras.layers.Dropout(0.5, seed=7)(torch.ones(3, 10), training=True)
    b = keras.layers.Dropout(0.5, seed=7)(torch.ones(3, 10), training=True)
    assert torch.equal(a, b)


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


def test_rate_one_drops_everything():
    assert float(keras.layers.Dropout(1.0, seed=1)(torch.ones(2, 2), training=True).abs().sum()) == 0.0
    np.testing.assert_equal(keras.layers.Dropout(1.0)(torch.ones(2, 2), training=True).numpy(), np.zeros((2, 2)))
