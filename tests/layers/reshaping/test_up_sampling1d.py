"""UpSampling1D: hand-computed repeats, shapes, gradients, config, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


@pytest.mark.parametrize("size", [1, 2, 3])
def test_common_checks_and_values(size):
    x = torch.arange(6.0).reshape(1, 3, 2)
    expected = np.repeat(x.numpy(), size, axis=1)
    run_layer_test(keras.layers.UpSampling1D, {"size": size}, input_data=x, expected_output_shape=(1, 3 * size, 2),
                   expected_output=expected, expected_num_trainable_weights=0)


def test_shapes_and_config():
    layer = keras.layers.UpSampling1D(3)
    assert layer.compute_output_shape((None, 4, 5)) == (None, 12, 5)
    assert layer.compute_output_shape((None, None, 5)) == (None, None, 5)
    assert layer.get_config()["size"] == 3 and "data_format" not in layer.get_config()
    assert keras.layers.UpSampling1D(2)(torch.zeros(2, 3, 4, dtype=torch.int64)).dtype == torch.int64


def test_gradients():
    # each input step receives the sum of the gradients of its copies
    check_layer_gradients(keras.layers.UpSampling1D(3), torch.randn(2, 4, 3))
    x = torch.ones(1, 2, 1, requires_grad=True)
    keras.layers.UpSampling1D(3)(x).sum().backward()
    np.testing.assert_allclose(x.grad.reshape(-1).numpy(), [3, 3])


@pytest.mark.keras_oracle
@pytest.mark.parametrize("size", [1, 2, 4])
def test_parity_with_keras(keras_oracle, size):
    x = np.random.RandomState(0).randn(2, 5, 3).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(keras_oracle.layers.UpSampling1D(size)(x))
    np.testing.assert_array_equal(keras.layers.UpSampling1D(size)(torch.from_numpy(x)).numpy(), expected)


def test_invalid_arguments():
    with pytest.raises(ValueError, match="`UpSampling1D` argument `size` must be positive integers; received size=0"):
        keras.layers.UpSampling1D(0)
    with pytest.raises(ValueError, match="`UpSampling1D` argument `size` must be an integer or a tuple of 1"):
        keras.layers.UpSampling1D((2, 2))
