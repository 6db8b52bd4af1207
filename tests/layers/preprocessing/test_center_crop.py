"""CenterCrop: exact windows, the resize fallback for small images, channels_first, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import run_layer_test


def test_common_checks_and_exact_window():
    x = torch.arange(2 * 5 * 6 * 1, dtype=torch.float32).reshape(2, 5, 6, 1)
    out = run_layer_test(keras.layers.CenterCrop, {"height": 3, "width": 2}, input_data=x,
                         expected_output_shape=(2, 3, 2, 1), expected_num_trainable_weights=0)
    torch.testing.assert_close(out, x[:, 1:4, 2:4, :])  # starts at (5-3)//2=1, (6-2)//2=2


def test_unbatched_and_channels_first():
    x = torch.arange(3 * 4 * 4, dtype=torch.float32).reshape(3, 4, 4)
    out = keras.layers.CenterCrop(2, 2, data_format="channels_first")(x)
    torch.testing.assert_close(out, x[:, 1:3, 1:3])
    assert keras.layers.CenterCrop(2, 3).compute_output_shape((None, 8, 8, 3)) == (None, 2, 3, 3)


def test_smaller_image_is_resized():
    x = torch.ones(1, 2, 2, 1)
    out = keras.layers.CenterCrop(4, 4)(x)
    assert out.shape == (1, 4, 4, 1)
    torch.testing.assert_close(out, torch.ones(1, 4, 4, 1))


def test_invalid_arguments_and_rank():
    with pytest.raises(ValueError, match="`CenterCrop` argument `height` must be a positive integer"):
        keras.layers.CenterCrop(0, 2)
    with pytest.raises(ValueError, match="rank 3"):
        keras.layers.CenterCrop(1, 1)(torch.ones(2, 2))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("shape,size", [((2, 7, 6, 3), (3, 4)), ((1, 3, 5, 2), (6, 4))])
def test_parity_with_keras(keras_oracle, shape, size):
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    ours = keras.layers.CenterCrop(*size)(x).numpy()
    theirs = keras_oracle.ops.convert_to_numpy(keras_oracle.layers.CenterCrop(*size)(x))
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
