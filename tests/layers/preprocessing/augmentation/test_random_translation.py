"""RandomTranslation: identity at inference, exact pixel shifts equal hand-shifted arrays in each fill
mode, shifts drawn per image within the factors, seeds, channels_first, unbatched, gradients, config,
errors, Keras parity with fixed shifts."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


def test_common_checks_and_inference_identity():
    x = torch.randn(2, 4, 6, 3)
    out = run_layer_test(keras.layers.RandomTranslation, {"height_factor": 0.2, "width_factor": (-0.1, 0.3), "seed": 1},
                         input_data=x, expected_output_shape=(2, 4, 6, 3), expected_num_trainable_weights=0)
    assert torch.equal(out, x)


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
def test_exact_shift_with_constant_fill_equals_a_hand_shifted_array(interpolation):
    x = torch.randn(3, 8, 10, 2)
    layer = keras.layers.RandomTranslation((0.25, 0.25), (-0.3, -0.3), fill_mode="constant", fill_value=-7.0,
                                           interpolation=interpolation)
    y = layer(x, training=True)  # 2 rows down, 3 columns left
    expected = torch.full_like(x, -7.0)
    expected[:, 2:, :-3] = x[:, :-2, 3:]
    torch.testing.assert_close(y, expected, rtol=0, atol=0)


@pytest.mark.parametrize("fill_mode,row", [("reflect", [1, 0, 0, 1, 2]), ("wrap", [3, 4, 0, 1, 2]),
                                           ("nearest", [0, 0, 0, 1, 2]), ("constant", [0, 0, 0, 1, 2])])
def test_fill_modes(fill_mode, row):
    x = torch.arange(5.0).reshape(1, 5, 1)  # one row: a b c d e
    y = keras.layers.RandomTranslation(0.0, (0.4, 0.4), fill_mode=fill_mode)(x, training=True)  # 2 pixels right
    assert y.flatten().tolist() == [float(v) for v in row]


def test_channels_first_and_unbatched():
    x = torch.randn(2, 4, 5)  # (channels, height, width)
    y = keras.layers.RandomTranslation((-0.25, -0.25), 0.0, fill_mode="constant",
                                       data_format="channels_first")(x, training=True)  # one row up
    torch.testing.assert_close(y, torch.cat([x[:, 1:], torch.zeros(2, 1, 5)], dim=1), rtol=0, atol=0)


def test_shifts_are_drawn_per_image_within_the_factors():
    cols = torch.arange(20.0).reshape(1, 1, 20, 1).expand(300, 10, 20, 1)
    rows = torch.arange(10.0).reshape(1, 10, 1, 1).expand(300, 10, 20, 1)
    x = torch.cat([rows, cols], dim=-1)
    y = keras.layers.RandomTranslation((0.1, 0.2), (-0.2, 0.1), seed=0)(x, training=True)
    shift_down = x[:, 5, 10, 0] - y[:, 5, 10, 0]  # the centre pixel is always read from inside the image
    shift_right = x[:, 5, 10, 1] - y[:, 5, 10, 1]
    assert 1.0 <= float(shift_down.min()) < 1.1 and 1.9 < float(shift_down.max()) <= 2.0  # [0.1, 0.2] * 10 rows
    assert -4.0 <= float(shift_right.min()) < -3.8 and 1.8 < float(shift_right.max()) <= 2.0  # [-0.2, 0.1] * 20
    assert abs(float(torch.corrcoef(torch.stack([shift_down, shift_right]))[0, 1])) < 0.2  # independent


def test_seeds_and_gradients():
    x = torch.randn(4, 5, 5, 1)
    a, b = keras.layers.RandomTranslation(0.3, 0.3, seed=2), keras.layers.RandomTranslation(0.3, 0.3, seed=2)
    first = a(x, training=True)
    assert torch.equal(first, b(x, training=True)) and not torch.equal(a(x, training=True), first)
    check_layer_gradients(keras.layers.RandomTranslation((0.13, 0.13), (-0.21, -0.21), fill_mode="wrap"),
                          torch.randn(2, 5, 6, 2), training=True)


def test_config_and_invalid_arguments():
    layer = keras.layers.RandomTranslation(0.2, (0.1, -0.3), fill_mode="constant", seed=3)
    config = layer.get_config()
    assert config["height_factor"] == 0.2 and config["width_factor"] == [0.1, -0.3]
    assert config["fill_mode"] == "constant" and config["interpolation"] == "bilinear" and config["seed"] == 3
    assert keras.layers.RandomTranslation.from_config(config).get_config() == config
    with pytest.raises(ValueError, match=r"`RandomTranslation` argument `height_factor` must be a number in \[-1, 1\]"):
        keras.layers.RandomTranslation(1.2, 0.1)
    with pytest.raises(ValueError, match=r"`RandomTranslation` argument `width_factor` must be .* received "
                                         r"width_factor=\(0.1, 0.2, 0.3\)"):
        keras.layers.RandomTranslation(0.1, (0.1, 0.2, 0.3))
    with pytest.raises(ValueError, match="`RandomTranslation` argument `fill_mode` must be one of"):
        keras.layers.RandomTranslation(0.1, 0.1, fill_mode="zeros")


@pytest.mark.keras_oracle
@pytest.mark.parametrize("fill_mode", ["reflect", "wrap", "constant", "nearest"])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
def test_parity_with_keras(keras_oracle, fill_mode, interpolation):
    kwargs = {"height_factor": (0.15, 0.15), "width_factor": (-0.35, -0.35), "fill_mode": fill_mode,
              "interpolation": interpolation, "fill_value": 2.0}
    theirs = keras_oracle.layers.RandomTranslation(**kwargs)
    ours = keras.layers.RandomTranslation.from_config(theirs.get_config())
    x = np.random.default_rng(1).normal(size=(2, 7, 9, 3)).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(theirs(x, training=True))
    np.testing.assert_allclose(ours(torch.from_numpy(x), training=True).numpy(), expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(ours(torch.from_numpy(x), training=False).numpy(), keras_oracle.ops.convert_to_numpy(
        theirs(x, training=False)))
