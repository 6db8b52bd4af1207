"""RandomContrast: identity at inference, (x - mean) * c + mean per channel per image with one c per
image in Keras 3's interval, clipping to value_range, seeds, channels_first, unbatched, gradients,
fit, config, errors, Keras parity with a fixed factor."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


def _factors(x, y, data_format="channels_last"):
    """The per-(image, channel) factor c with y = (x - mean) * c + mean (asserting that form holds)."""
    spatial = (1, 2) if data_format == "channels_last" else (2, 3)
    x, y = x.double(), y.double()
    centred = x - x.mean(dim=spatial, keepdim=True)
    c = (centred * (y - x.mean(dim=spatial, keepdim=True))).sum(spatial, keepdim=True) / \
        centred.square().sum(spatial, keepdim=True)  # least squares
    torch.testing.assert_close(y, centred * c + x.mean(dim=spatial, keepdim=True), atol=1e-4, rtol=1e-5)
    return c.flatten(1).float()  # (batch, channels)


def test_common_checks_and_inference_identity():
    x = torch.rand(2, 4, 5, 3) * 255
    out = run_layer_test(keras.layers.RandomContrast, {"factor": 0.5, "seed": 1}, input_data=x,
                         expected_output_shape=(2, 4, 5, 3), expected_num_trainable_weights=0)
    assert torch.equal(out, x)


def test_fixed_factor_formula_and_clipping():
    x = torch.tensor([[10.0, 100.0], [20.0, 250.0]]).reshape(1, 2, 2, 1)  # mean 95
    y = keras.layers.RandomContrast((-0.5, 0.5))(x, training=True)  # c = 1.5 exactly
    expected = ((x - 95.0) * 1.5 + 95.0).clamp(0, 255)  # 250 -> 327.5 is clipped to 255
    torch.testing.assert_close(y, expected)
    assert float(y.max()) == 255.0 and float(y.min()) == 0.0  # 10 -> -17.5 is clipped to 0


def test_one_factor_per_image_shared_by_its_channels_and_keras_interval():
    x = torch.rand(300, 6, 6, 3) * 100 + 50
    y = keras.layers.RandomContrast((0.2, 0.4), value_range=(-1e6, 1e6), seed=0)(x, training=True)
    c = _factors(x, y)
    torch.testing.assert_close(c, c[:, :1].expand_as(c), atol=1e-4, rtol=1e-4)  # same for every channel
    assert 0.8 <= float(c.min()) < 0.82 and 1.38 < float(c.max()) <= 1.4  # [1 - 0.2, 1 + 0.4]
    # A single number f reads as Keras 3 does: (0, f), so factors in [1, 1 + f].
    c = _factors(x, keras.layers.RandomContrast(0.3, value_range=(-1e6, 1e6), seed=0)(x, training=True))
    assert 1.0 <= float(c.min()) < 1.02 and 1.28 < float(c.max()) <= 1.3


def test_channels_first_unbatched_and_seeds():
    x = torch.rand(3, 5, 4) * 100 + 50  # (channels, height, width)
    a = keras.layers.RandomContrast(0.5, seed=3, data_format="channels_first")
    b = keras.layers.RandomContrast(0.5, seed=3, data_format="channels_first")
    first = a(x, training=True)
    assert torch.equal(first, b(x, training=True)) and not torch.equal(a(x, training=True), first)
    _factors(x.unsqueeze(0), first.unsqueeze(0), "channels_first")


def test_gradient_and_integer_inputs():
    check_layer_gradients(keras.layers.RandomContrast((-0.3, 0.3), value_range=(-100, 100)), torch.randn(2, 3, 4, 2),
                          training=True)
    y = keras.layers.RandomContrast(0.5)(torch.full((1, 2, 2, 1), 7, dtype=torch.uint8), training=True)
    assert y.dtype == torch.float32 and y.flatten().tolist() == [7.0] * 4


def test_inside_fit():
    model = keras.Sequential([keras.Input((4, 4, 2)), keras.layers.RandomContrast(0.5, value_range=(0, 1)),
                              keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(0).random((32, 4, 4, 2)).astype("float32")
    history = model.fit(x, x.mean(axis=(1, 2, 3)), epochs=2, batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"]).all()


def test_config_and_invalid_arguments():
    layer = keras.layers.RandomContrast(0.4, value_range=[1, 0], seed=2)
    config = layer.get_config()
    assert config["factor"] == [0.0, 0.4] and config["value_range"] == [0.0, 1.0] and config["seed"] == 2
    assert keras.layers.RandomContrast.from_config(config).get_config() == config
    with pytest.raises(ValueError, match=r"`RandomContrast` argument `factor` must be a number in \[0, 1\] or a pair "
                                         r"of numbers in \[-1, 1\]; received factor=-0.2."):
        keras.layers.RandomContrast(-0.2)
    with pytest.raises(ValueError, match=r"`RandomContrast` argument `factor` must be .* received factor=\(0.5, 2\)"):
        keras.layers.RandomContrast((0.5, 2))
    with pytest.raises(ValueError, match="`RandomContrast` argument `value_range` must be a pair of two different "
                                         "numbers such as \\(0, 255\\); received value_range=255."):
        keras.layers.RandomContrast(0.1, value_range=255)
    with pytest.raises(ValueError, match="expects images of rank 3"):
        keras.layers.RandomContrast(0.1)(torch.ones(4, 4), training=True)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("factor", [(-0.5, 0.5), (0.0, 0.0), 0.0])
def test_parity_with_keras(keras_oracle, factor):
    theirs = keras_oracle.layers.RandomContrast(factor, value_range=(0, 255))
    ours = keras.layers.RandomContrast.from_config(theirs.get_config())
    x = np.random.default_rng(0).uniform(0, 255, size=(3, 5, 6, 3)).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(theirs(x, training=True))
    np.testing.assert_allclose(ours(torch.from_numpy(x), training=True).numpy(), expected, rtol=1e-5, atol=1e-4)
    assert ours.get_config()["factor"] == list(theirs.get_config()["factor"])
    ours_scalar = keras.layers.RandomContrast(0.7).get_config()["factor"]
    assert ours_scalar == list(keras_oracle.layers.RandomContrast(0.7).get_config()["factor"])
