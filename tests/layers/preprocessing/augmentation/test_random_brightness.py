"""RandomBrightness: identity at inference, adds f * (high - low) with one f per image, clips to
value_range, seeds, channels_first, unbatched, gradients, fit, config, errors, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


def test_common_checks_and_inference_identity():
    x = torch.rand(2, 4, 5, 3) * 255
    out = run_layer_test(keras.layers.RandomBrightness, {"factor": 0.3, "seed": 1}, input_data=x,
                         expected_output_shape=(2, 4, 5, 3), expected_num_trainable_weights=0)
    assert torch.equal(out, x)


def test_fixed_factor_adds_a_fraction_of_the_range_and_clips():
    x = torch.tensor([0.0, 100.0, 240.0]).reshape(1, 3, 1)
    y = keras.layers.RandomBrightness((0.1, 0.1))(x, training=True)
    assert y.flatten().tolist() == pytest.approx([25.5, 125.5, 255.0])  # + 0.1 * 255, then clipped
    y = keras.layers.RandomBrightness((-1.0, -1.0), value_range=(-1, 1))(torch.rand(2, 3, 3, 1), training=True)
    assert torch.equal(y, torch.full_like(y, -1.0))  # -1: black


def test_one_offset_per_image_within_the_factor():
    x = torch.rand(300, 4, 4, 3) * 0.1 + 0.45
    y = keras.layers.RandomBrightness((-0.2, 0.3), value_range=(0, 1), seed=0)(x, training=True)
    offsets = y - x
    per_image = offsets[:, :1, :1, :1]
    torch.testing.assert_close(offsets, per_image.expand_as(offsets))
    assert -0.2 <= float(per_image.min()) < -0.18 and 0.28 < float(per_image.max()) <= 0.3
    y = keras.layers.RandomBrightness(0.2, value_range=(0, 1), seed=0)(x, training=True)  # f -> [-f, f]
    assert -0.2 <= float((y - x).min()) < -0.18 and 0.18 < float((y - x).max()) <= 0.2


def test_seeds_channels_first_unbatched_and_integers():
    x = torch.rand(3, 4, 4) * 200
    a, b = keras.layers.RandomBrightness(0.5, seed=9), keras.layers.RandomBrightness(0.5, seed=9)
    first = a(x, training=True)
    assert torch.equal(first, b(x, training=True)) and not torch.equal(a(x, training=True), first)
    layer = keras.layers.RandomBrightness((0.2, 0.2), data_format="channels_first")
    torch.testing.assert_close(layer(x, training=True), (x + 51.0).clamp(0, 255))
    y = keras.layers.RandomBrightness((0.2, 0.2))(torch.full((2, 2, 1), 10, dtype=torch.uint8), training=True)
    assert y.dtype == torch.float32 and y.flatten().tolist() == [61.0] * 4
    assert keras.layers.RandomBrightness(0.2)(torch.full((2, 2, 1), 10, dtype=torch.uint8), training=False).dtype == torch.uint8


def test_gradient_and_fit():
    check_layer_gradients(keras.layers.RandomBrightness((0.1, 0.1), value_range=(-100, 100)), torch.randn(2, 3, 3, 2),
                          training=True)
    model = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.RandomBrightness(0.1, value_range=(0, 1)),
                              keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(0).random((32, 4, 4, 1)).astype("float32")
    assert np.isfinite(model.fit(x, x.mean(axis=(1, 2, 3)), epochs=2, batch_size=8, verbose=0).history["loss"]).all()


def test_config_and_invalid_arguments():
    layer = keras.layers.RandomBrightness(-0.3, value_range=(1, 0), seed=5)
    config = layer.get_config()
    assert config["factor"] == [-0.3, 0.3] and config["value_range"] == [0.0, 1.0] and config["seed"] == 5
    assert keras.layers.RandomBrightness.from_config(config).get_config() == config
    with pytest.raises(ValueError, match=r"`RandomBrightness` argument `factor` must be a number in \[-1, 1\] or a "
                                         r"pair of numbers in \[-1, 1\]; received factor=\[0.1, 1.5\]."):
        keras.layers.RandomBrightness([0.1, 1.5])
    with pytest.raises(ValueError, match="`RandomBrightness` argument `value_range` must be a pair"):
        keras.layers.RandomBrightness(0.1, value_range=(0, 0))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("factor,value_range", [((0.2, 0.2), (0, 255)), ((-0.35, -0.35), (0, 1)), (0.0, (-1, 1))])
def test_parity_with_keras(keras_oracle, factor, value_range):
    theirs = keras_oracle.layers.RandomBrightness(factor, value_range=value_range)
    ours = keras.layers.RandomBrightness.from_config(theirs.get_config())
    low, high = value_range
    x = np.random.default_rng(0).uniform(low, high, size=(3, 4, 5, 3)).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(theirs(x.copy(), training=True))
    np.testing.assert_allclose(ours(torch.from_numpy(x), training=True).numpy(), expected, rtol=1e-6, atol=1e-5)
    np.testing.assert_array_equal(ours(torch.from_numpy(x), training=False).numpy(), x)
