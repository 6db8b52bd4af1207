"""RandomCrop: in training a window of the input at a random position shared by the batch (content,
shape, positions cover the range), the centred aspect crop and resize at inference and for small
images, seeds, channels_first, unbatched, gradients, fit, config, errors, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import run_layer_test


def _window_position(x, y):
    """(top, left) of ``y`` as a window of ``x`` (channels last, batched), asserting it is one."""
    height, width = y.shape[1:3]
    for top in range(x.shape[1] - height + 1):
        for left in range(x.shape[2] - width + 1):
            if torch.equal(x[:, top:top + height, left:left + width], y):
                return top, left
    raise AssertionError("the output is not a window of the input")


def test_common_checks_and_inference_resize():
    x = torch.randn(2, 6, 8, 3)
    out = run_layer_test(keras.layers.RandomCrop, {"height": 3, "width": 4, "seed": 1}, input_data=x,
                         expected_output_shape=(2, 3, 4, 3), expected_num_trainable_weights=0)
    # Inference: the whole image already has the 3:4 aspect ratio, so it is resized to 3x4.
    expected = keras.layers.Resizing(3, 4, crop_to_aspect_ratio=True)(x)
    torch.testing.assert_close(out, expected)


def test_training_crops_a_window_shared_by_the_batch():
    x = torch.randn(4, 7, 9, 2)
    layer = keras.layers.RandomCrop(3, 5, seed=0)
    positions = set()
    for _ in range(300):
        y = layer(x, training=True)
        assert y.shape == (4, 3, 5, 2)
        positions.add(_window_position(x, y))  # one window for the whole batch, as in Keras
    assert positions == {(top, left) for top in range(5) for left in range(5)}  # every position is reachable


def test_small_or_equal_images_are_cropped_to_the_aspect_ratio_and_resized():
    x = torch.arange(6 * 5, dtype=torch.float32).reshape(1, 6, 5, 1)
    y = keras.layers.RandomCrop(6, 3, seed=0)(x, training=True)  # height equal: centred crop, columns 1..3
    torch.testing.assert_close(y, x[:, :, 1:4])
    y = keras.layers.RandomCrop(8, 8, seed=0)(x, training=True)  # smaller: centred 5x5 square resized to 8x8
    torch.testing.assert_close(y, keras.layers.Resizing(8, 8)(x[:, :5]))


def test_channels_first_unbatched_seeds_and_integers():
    x = torch.arange(2 * 6 * 6, dtype=torch.float32).reshape(2, 6, 6)  # (channels, height, width)
    a = keras.layers.RandomCrop(2, 3, seed=4, data_format="channels_first")
    b = keras.layers.RandomCrop(2, 3, seed=4, data_format="channels_first")
    outs_a = [a(x, training=True) for _ in range(5)]
    outs_b = [b(x, training=True) for _ in range(5)]
    assert all(torch.equal(p, q) for p, q in zip(outs_a, outs_b))
    assert len({tuple(o.flatten().tolist()) for o in outs_a}) > 1
    for out in outs_a:
        assert out.shape == (2, 2, 3)
        _window_position(x.permute(1, 2, 0).unsqueeze(0), out.permute(1, 2, 0).unsqueeze(0))
    y = keras.layers.RandomCrop(2, 2)(torch.ones(1, 4, 4, 1, dtype=torch.uint8), training=True)
    assert y.dtype == torch.float32
    assert keras.layers.RandomCrop(2, 3).compute_output_shape((None, 8, 8, 3)) == (None, 2, 3, 3)


def test_gradient_reaches_the_window_only():
    x = torch.randn(2, 5, 5, 1, requires_grad=True)
    y = keras.layers.RandomCrop(2, 3, seed=1)(x, training=True)
    y.sum().backward()
    top, left = _window_position(x.detach(), y.detach())
    expected = torch.zeros_like(x)
    expected[:, top:top + 2, left:left + 3] = 1
    assert torch.equal(x.grad, expected)


def test_inside_fit_and_predict():
    model = keras.Sequential([keras.Input((6, 6, 1)), keras.layers.RandomCrop(4, 4, seed=0), keras.layers.Flatten(),
                              keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.default_rng(0).normal(size=(32, 6, 6, 1)).astype("float32")
    history = model.fit(x, x.mean(axis=(1, 2, 3)), epochs=2, batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    assert model.predict(x, verbose=0).shape == (32, 1)


def test_config_and_invalid_arguments():
    layer = keras.layers.RandomCrop(3, 4, seed=8, data_format="channels_first")
    config = layer.get_config()
    assert (config["height"], config["width"], config["seed"], config["data_format"]) == (3, 4, 8, "channels_first")
    assert keras.layers.RandomCrop.from_config(config).get_config() == config
    with pytest.raises(ValueError, match="`RandomCrop` argument `height` must be a positive integer; "
                                         "received height=0"):
        keras.layers.RandomCrop(0, 2)
    with pytest.raises(ValueError, match="`RandomCrop` argument `width` must be a positive integer"):
        keras.layers.RandomCrop(2, "2")
    with pytest.raises(ValueError, match="`RandomCrop` argument `seed` must be None or a non-negative integer"):
        keras.layers.RandomCrop(2, 2, seed="1")
    with pytest.raises(ValueError, match="expects images of rank 3"):
        keras.layers.RandomCrop(2, 2)(torch.ones(5, 5), training=True)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("shape,size", [((2, 6, 5, 3), (6, 3)), ((1, 7, 4, 2), (3, 4)), ((2, 4, 4, 1), (8, 8)),
                                        ((1, 3, 6, 2), (6, 12))])
def test_parity_with_keras_where_keras_is_deterministic(keras_oracle, shape, size):
    # Keras crops at a random position only when the image is larger than the target along both sides;
    # otherwise it crops a centred window and resizes. (Where the image's aspect ratio differs from the
    # target's and a side is smaller, Keras 3.15 slices a target-sized window instead of the aspect
    # window and stretches it; we keep the aspect ratio as its documentation says, so those shapes
    # are left out here.)
    theirs = keras_oracle.layers.RandomCrop(*size, seed=3)
    ours = keras.layers.RandomCrop.from_config(theirs.get_config())
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(theirs(x, training=True))
    np.testing.assert_allclose(ours(torch.from_numpy(x), training=True).numpy(), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.keras_oracle
def test_random_windows_like_keras(keras_oracle):
    x = np.random.default_rng(0).normal(size=(3, 6, 7, 2)).astype("float32")
    theirs = keras_oracle.layers.RandomCrop(3, 3, seed=1)
    for _ in range(5):
        _window_position(torch.from_numpy(x), torch.from_numpy(keras_oracle.ops.convert_to_numpy(
            theirs(x, training=True))))  # Keras also crops one window for the whole batch
