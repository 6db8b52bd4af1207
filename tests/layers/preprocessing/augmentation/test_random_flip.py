"""RandomFlip: identity at inference, flips equal torch.flip, one coin per image, seeds, channels_first,
unbatched, inside fit, config, errors, Keras parity of the semantics."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import run_layer_test


def _flipped_mask(x, y, axes):
    """Per image: True when flipped along ``axes``, False when unchanged (asserts it is one or the other)."""
    flipped = torch.flip(x, axes)
    same = (y == x).flatten(1).all(1)
    flip = (y == flipped).flatten(1).all(1)
    assert bool((same | flip).all())
    return flip


def test_common_checks_and_inference_identity():
    x = torch.randn(3, 4, 5, 2)
    out = run_layer_test(keras.layers.RandomFlip, {"seed": 1}, input_data=x, expected_output_shape=(3, 4, 5, 2),
                         expected_num_trainable_weights=0)
    assert torch.equal(out, x)


@pytest.mark.parametrize("mode,axes", [("horizontal", (2,)), ("vertical", (1,)), ("horizontal_and_vertical", (1, 2))])
def test_each_image_is_flipped_or_kept(mode, axes):
    x = torch.randn(256, 3, 4, 2)
    y = keras.layers.RandomFlip(mode, seed=3)(x, training=True)
    flip = _flipped_mask(x, y, axes)
    assert 90 < int(flip.sum()) < 166  # Binomial(256, 1/2): mean 128, sd 8
    torch.testing.assert_close(y[flip], torch.flip(x[flip], axes), rtol=0, atol=0)


def test_horizontal_and_vertical_uses_one_coin_per_image():
    x = torch.randn(64, 3, 3, 1)
    y = keras.layers.RandomFlip(seed=0)(x, training=True)
    only_h = (y == torch.flip(x, (2,))).flatten(1).all(1)
    only_v = (y == torch.flip(x, (1,))).flatten(1).all(1)
    assert not bool(only_h.any()) and not bool(only_v.any())
    _flipped_mask(x, y, (1, 2))


def test_seeds_and_successive_calls():
    x = torch.randn(32, 3, 3, 1)
    a, b = keras.layers.RandomFlip(seed=5), keras.layers.RandomFlip(seed=5)
    first = a(x, training=True)
    assert torch.equal(first, b(x, training=True))
    assert not torch.equal(a(x, training=True), first)


def test_unbatched_channels_first_and_integers():
    x = torch.arange(2 * 3 * 4, dtype=torch.float32).reshape(2, 3, 4)  # (channels, height, width)
    layer = keras.layers.RandomFlip("horizontal", data_format="channels_first", seed=0)
    outs = {tuple(layer(x, training=True).flatten().tolist()) for _ in range(20)}
    assert outs == {tuple(x.flatten().tolist()), tuple(torch.flip(x, (2,)).flatten().tolist())}
    y = keras.layers.RandomFlip()(torch.ones(2, 2, 2, 1, dtype=torch.uint8))
    assert y.dtype == torch.float32  # as Keras: integer images become floats


def test_gradient_flows_through_the_flip():
    x = torch.randn(8, 3, 3, 1, requires_grad=True)
    weights = torch.randn(8, 3, 3, 1)
    y = keras.layers.RandomFlip("vertical", seed=2)(x, training=True)
    (y * weights).sum().backward()
    flip = _flipped_mask(x.detach(), y.detach(), (1,))
    expected = torch.where(flip.view(8, 1, 1, 1), torch.flip(weights, (1,)), weights)
    torch.testing.assert_close(x.grad, expected)


def test_active_inside_fit_only():
    seen = []
    flip = keras.layers.RandomFlip("horizontal", seed=0)
    flip.register_forward_hook(lambda module, args, out: seen.append(not torch.equal(args[0], out)))
    model = keras.Sequential([keras.Input((4, 4, 1)), flip, keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(0).normal(size=(64, 4, 4, 1)).astype("float32")
    history = model.fit(x, x.sum(axis=(1, 2, 3)), epochs=2, batch_size=16, verbose=0)
    assert np.isfinite(history.history["loss"]).all() and any(seen)
    seen.clear()
    model.predict(x, verbose=0)
    assert not any(seen)


def test_config_and_invalid_arguments():
    layer = keras.layers.RandomFlip("Vertical", seed=4, data_format="channels_first")
    config = layer.get_config()
    assert config["mode"] == "vertical" and config["seed"] == 4 and config["data_format"] == "channels_first"
    assert keras.layers.RandomFlip.from_config(config).get_config() == config
    with pytest.raises(ValueError, match="`RandomFlip` argument `mode` must be one of 'horizontal', 'vertical', "
                                         "'horizontal_and_vertical' \\(did you mean 'horizontal'\\?\\)"):
        keras.layers.RandomFlip("horizontl")
    with pytest.raises(ValueError, match="`RandomFlip` argument `seed` must be None or a non-negative integer"):
        keras.layers.RandomFlip(seed=-1)
    with pytest.raises(ValueError, match="`RandomFlip` argument `data_format` must be one of"):
        keras.layers.RandomFlip(data_format="nhwc")
    with pytest.raises(ValueError, match=r"\(RandomFlip\) expects images of rank 3 \(one image\) or 4"):
        keras.layers.RandomFlip()(torch.ones(2, 2), training=True)


@pytest.mark.keras_oracle
def test_parity_with_keras(keras_oracle):
    theirs = keras_oracle.layers.RandomFlip(seed=2)
    ours = keras.layers.RandomFlip.from_config(theirs.get_config())
    assert ours.mode == "horizontal_and_vertical" and ours.seed == 2
    x = np.random.default_rng(0).normal(size=(64, 3, 4, 2)).astype("float32")
    np.testing.assert_array_equal(keras_oracle.ops.convert_to_numpy(theirs(x, training=False)), x)
    np.testing.assert_array_equal(ours(torch.from_numpy(x), training=False).numpy(), x)
    for y in (torch.from_numpy(keras_oracle.ops.convert_to_numpy(theirs(x, training=True))),
              ours(torch.from_numpy(x), training=True)):
        flip = _flipped_mask(torch.from_numpy(x), y, (1, 2))  # both: each image is kept or flipped both ways
        assert 12 < int(flip.sum()) < 52


def test_a_direct_call_augments_as_in_keras_but_a_model_follows_its_own_mode():
    x = torch.arange(2 * 3 * 4 * 1, dtype=torch.float32).reshape(2, 3, 4, 1)
    layer = keras.layers.RandomFlip("horizontal", seed=3)
    flipped = [not torch.equal(layer(x), x) for _ in range(8)]
    assert any(flipped)  # Keras's `data_augmentation(images)` shows augmented images
    assert torch.equal(layer(x, training=False), x)
    model = keras.Sequential([keras.Input((3, 4, 1)), keras.layers.RandomFlip("horizontal", seed=3)])
    assert all(torch.equal(model(x), x) for _ in range(8))  # model(x) is inference here
    np.testing.assert_array_equal(model.predict(x, verbose=0), x.numpy())
