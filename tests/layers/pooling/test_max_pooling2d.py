import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import run_layer_test


def test_common_checks_and_values():
    x = torch.arange(16.0).reshape(1, 4, 4, 1)
    out = run_layer_test(keras.layers.MaxPooling2D, {}, input_data=x, expected_output_shape=(1, 2, 2, 1),
                         expected_num_trainable_weights=0)
    np.testing.assert_array_equal(out[0, :, :, 0].numpy(), [[5, 7], [13, 15]])


@pytest.mark.parametrize("kwargs", [
    {"pool_size": 2}, {"pool_size": 3, "strides": 2, "padding": "same"}, {"pool_size": (2, 3), "padding": "same"},
    {"pool_size": 3, "strides": 1, "padding": "valid"},
])
def test_parity_with_keras(keras_oracle, kwargs):
    x = np.random.RandomState(0).randn(2, 7, 8, 3).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(keras_oracle.layers.MaxPooling2D(**kwargs)(x))
    ours = keras.layers.MaxPooling2D(**kwargs)(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(ours, expected)
    assert keras.layers.MaxPooling2D(**kwargs).compute_output_shape((None, 7, 8, 3)) == (None,) + expected.shape[1:]


def test_same_padding_never_picks_padding_over_negative_values():
    x = -torch.ones(1, 3, 3, 1)
    assert float(keras.layers.MaxPooling2D(2, padding="same")(x).max()) == -1.0
