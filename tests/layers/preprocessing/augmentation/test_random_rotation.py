"""RandomRotation: identity at inference, quarter and half turns equal torch.rot90 in Keras's direction,
angles drawn per image within the factor, seeds, channels_first, unbatched, gradients, fit, config,
errors, Keras parity with a fixed angle in every fill mode and interpolation."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test

FILL_MODES = ("reflect", "wrap", "constant", "nearest")


def test_common_checks_and_inference_identity():
    x = torch.randn(2, 5, 5, 3)
    out = run_layer_test(keras.layers.RandomRotation, {"factor": 0.2, "seed": 1}, input_data=x,
                         expected_output_shape=(2, 5, 5, 3), expected_num_trainable_weights=0)
    assert torch.equal(out, x)


@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("factor,turns", [((0.25, 0.25), 1), ((-0.25, -0.25), -1), ((0.5, 0.5), 2)])
def test_quarter_and_half_turns_are_rot90(factor, turns, interpolation):
    x = torch.randn(3, 6, 6, 2)
    y = keras.layers.RandomRotation(factor, interpolation=interpolation)(x, training=True)
    # Positive factors turn counter-clockwise, as torch.rot90 with k > 0 over (height, width).
    torch.testing.assert_close(y, torch.rot90(x, k=turns, dims=(1, 2)), atol=2e-5, rtol=0)


def test_channels_first_and_unbatched():
    x = torch.randn(2, 5, 5)  # (channels, height, width)
    y = keras.layers.RandomRotation((0.25, 0.25), data_format="channels_first")(x, training=True)
    torch.testing.assert_close(y, torch.rot90(x, k=1, dims=(1, 2)), atol=2e-5, rtol=0)


def test_quarter_turn_of_a_non_square_image_fills_the_corners():
    x = torch.arange(1.0, 16.0).reshape(1, 3, 5, 1)  # x[r, c] = 5 r + c + 1, centre (x, y) = (2, 1)
    y = keras.layers.RandomRotation((0.25, 0.25), fill_mode="constant", interpolation="nearest")(x, training=True)
    # output (x, y) reads input column 3 - y, row x - 1
    assert y[0, :, :, 0].tolist() == [[0.0, 4.0, 9.0, 14.0, 0.0], [0.0, 3.0, 8.0, 13.0, 0.0],
                                      [0.0, 2.0, 7.0, 12.0, 0.0]]


def test_angles_are_drawn_per_image_within_the_factor():
    # Channels hold each pixel's offset from the centre; bilinear sampling of these ramps is exact, so the
    # pixel one step right of the centre reads (cos a, sin a) of the image's angle a (y axis pointing down).
    offsets = torch.stack(torch.meshgrid(torch.arange(9.0) - 4, torch.arange(9.0) - 4, indexing="xy"), dim=-1)
    x = offsets.expand(500, 9, 9, 2)
    y = keras.layers.RandomRotation((0.05, 0.1), seed=0)(x, training=True)
    read = y[:, 4, 5]  # (batch, 2): the source offset of output pixel (x, y) = (5, 4)
    degrees = torch.rad2deg(torch.atan2(read[:, 1], read[:, 0]))
    torch.testing.assert_close(read.norm(dim=1), torch.ones(500))
    assert 18 <= float(degrees.min()) < 19 and 35 < float(degrees.max()) <= 36  # [0.05, 0.1] turns
    assert abs(float(degrees.mean()) - 27) < 1  # uniform in [18, 36]


def test_seeds_and_successive_calls():
    x = torch.randn(4, 6, 6, 1)
    a, b = keras.layers.RandomRotation(0.3, seed=7), keras.layers.RandomRotation(0.3, seed=7)
    first = a(x, training=True)
    torch.testing.assert_close(first, b(x, training=True), rtol=0, atol=0)
    assert not torch.equal(a(x, training=True), first)


def test_gradients_and_integer_inputs():
    layer = keras.layers.RandomRotation((0.1, 0.1), fill_mode="constant", fill_value=0.5)
    check_layer_gradients(layer, torch.randn(2, 4, 5, 2), training=True)
    y = keras.layers.RandomRotation(0.1)(torch.ones(1, 3, 3, 1, dtype=torch.uint8), training=True)
    assert y.dtype == torch.float32


def test_inside_fit():
    model = keras.Sequential([keras.Input((6, 6, 1)), keras.layers.RandomRotation(0.1, seed=0),
                              keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    x = np.random.default_rng(0).normal(size=(32, 6, 6, 1)).astype("float32")
    history = model.fit(x, x.mean(axis=(1, 2, 3)), epochs=2, batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    np.testing.assert_allclose(model.predict(x, verbose=0), model(torch.from_numpy(x)).detach().numpy(), atol=1e-6)


def test_config_and_invalid_arguments():
    layer = keras.layers.RandomRotation(0.2, fill_mode="CONSTANT", fill_value=1, seed=3)
    config = layer.get_config()
    assert config["factor"] == [-0.2, 0.2] and config["fill_mode"] == "constant" and config["fill_value"] == 1.0
    assert keras.layers.RandomRotation.from_config(config).get_config() == config
    with pytest.raises(ValueError, match=r"`RandomRotation` argument `factor` must be a number in \[-1, 1\] or a pair "
                                         r"of numbers in \[-1, 1\]; received factor=1.5."):
        keras.layers.RandomRotation(1.5)
    with pytest.raises(ValueError, match="`RandomRotation` argument `fill_mode` must be one of 'reflect', 'wrap', "
                                         "'constant', 'nearest'"):
        keras.layers.RandomRotation(0.1, fill_mode="mirror")
    with pytest.raises(ValueError, match="`RandomRotation` argument `interpolation` must be one of 'bilinear', "
                                         "'nearest'"):
        keras.layers.RandomRotation(0.1, interpolation="bicubic")
    with pytest.raises(ValueError, match="`RandomRotation` argument `fill_value` must be a number"):
        keras.layers.RandomRotation(0.1, fill_value="0")
    with pytest.raises(ValueError, match="`RandomRotation` argument `seed` must be None or a non-negative integer"):
        keras.layers.RandomRotation(0.1, seed=1.5)
    with pytest.raises(ValueError, match="expects images of rank 3"):
        keras.layers.RandomRotation(0.1)(torch.ones(1, 2, 2, 2, 1), training=True)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("fill_mode", FILL_MODES)
def test_parity_with_keras(keras_oracle, fill_mode, interpolation):
    kwargs = {"factor": (0.1, 0.1), "fill_mode": fill_mode, "interpolation": interpolation, "fill_value": 0.5}
    theirs = keras_oracle.layers.RandomRotation(**kwargs)
    ours = keras.layers.RandomRotation.from_config(theirs.get_config())
    x = np.random.default_rng(0).normal(size=(2, 7, 9, 3)).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(theirs(x, training=True))
    np.testing.assert_allclose(ours(torch.from_numpy(x), training=True).numpy(), expected, rtol=1e-5, atol=1e-5)
    first = keras.layers.RandomRotation(**kwargs, data_format="channels_first")(
        torch.from_numpy(x).permute(0, 3, 1, 2), training=True)
    np.testing.assert_allclose(first.permute(0, 2, 3, 1).numpy(), expected, rtol=1e-5, atol=1e-5)
