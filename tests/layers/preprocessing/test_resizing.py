"""Resizing: hand-computed bilinear values, aspect-ratio crop/pad, interpolations, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import run_layer_test


def test_common_checks():
    run_layer_test(keras.layers.Resizing, {"height": 4, "width": 6}, input_shape=(2, 8, 3, 2),
                   expected_output_shape=(2, 4, 6, 2), expected_num_trainable_weights=0)


def test_half_pixel_bilinear_by_hand():
    x = torch.tensor([[0.0, 4.0]]).reshape(1, 1, 2, 1)
    # output pixel j samples at (j + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 (clamped to [0, 1])
    out = keras.layers.Resizing(1, 4)(x).flatten()
    np.testing.assert_allclose(out.numpy(), [0.0, 1.0, 3.0, 4.0])
    nearest = keras.layers.Resizing(1, 4, interpolation="nearest")(x).flatten()
    np.testing.assert_allclose(nearest.numpy(), [0.0, 0.0, 4.0, 4.0])


def test_crop_and_pad_to_aspect_ratio():
    x = torch.arange(8.0).reshape(1, 2, 4, 1)  # 2 x 4 image, target 2 x 2
    cropped = keras.layers.Resizing(2, 2, crop_to_aspect_ratio=True)(x)
    torch.testing.assert_close(cropped, x[:, :, 1:3, :])  # centred 2 x 2 window, no resampling needed
    padded = keras.layers.Resizing(4, 4, pad_to_aspect_ratio=True, fill_value=-1.0)(x)
    np.testing.assert_allclose(padded[0, :, :, 0].numpy(),
                               [[-1] * 4, [0, 1, 2, 3], [4, 5, 6, 7], [-1] * 4])


def test_invalid_arguments():
    with pytest.raises(ValueError, match="`Resizing` argument `interpolation` must be one of"):
        keras.layers.Resizing(2, 2, interpolation="lanczos9")
    with pytest.raises(ValueError, match="cannot both be True"):
        keras.layers.Resizing(2, 2, crop_to_aspect_ratio=True, pad_to_aspect_ratio=True)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [
    {"height": 5, "width": 3}, {"height": 9, "width": 11, "interpolation": "nearest"},
    {"height": 9, "width": 4, "interpolation": "bicubic"}, {"height": 4, "width": 4, "crop_to_aspect_ratio": True},
    {"height": 4, "width": 4, "pad_to_aspect_ratio": True, "fill_value": 2.0},
    {"height": 3, "width": 5, "data_format": "channels_first"},
])
def test_parity_with_keras(keras_oracle, kwargs):
    x = np.random.default_rng(0).normal(size=(2, 6, 8, 3)).astype("float32")
    ours = keras.layers.Resizing(**kwargs)(x).numpy()
    theirs = keras_oracle.ops.convert_to_numpy(keras_oracle.layers.Resizing(**kwargs)(x))
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-5)
