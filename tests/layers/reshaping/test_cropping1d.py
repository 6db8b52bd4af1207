"""Cropping1D: hand-computed values, views, shapes, errors, gradients, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


@pytest.mark.parametrize("kwargs,expected", [
    ({}, [1, 2, 3]),
    ({"cropping": 2}, [2]),
    ({"cropping": (0, 2)}, [0, 1, 2]),
    ({"cropping": (3, 0)}, [3, 4]),
])
def test_common_checks_and_values(kwargs, expected):
    x = torch.arange(5.0).reshape(1, 5, 1)
    expected = np.asarray(expected, np.float32).reshape(1, -1, 1)
    run_layer_test(keras.layers.Cropping1D, kwargs, input_data=x, expected_output_shape=expected.shape,
                   expected_output=expected, expected_num_trainable_weights=0)


def test_output_is_a_view_and_shapes():
    x = torch.randn(2, 6, 3)
    out = keras.layers.Cropping1D((1, 2))(x)
    assert out.data_ptr() == x[:, 1:].data_ptr()
    layer = keras.layers.Cropping1D((1, 2))
    assert layer.compute_output_shape((None, 6, 3)) == (None, 3, 3)
    assert layer.compute_output_shape((None, None, 3)) == (None, None, 3)
    assert layer.get_config()["cropping"] == [1, 2] and "data_format" not in layer.get_config()


def test_cropping_everything_is_refused():
    layer = keras.layers.Cropping1D((2, 2))
    with pytest.raises(ValueError, match=r"Layer 'cropping1d' \(Cropping1D\): cropping \(2, 2\) removes all of axis 1 "
                                         r"\(size 4\)"):
        layer(torch.zeros(1, 4, 2))
    with pytest.raises(ValueError, match="removes all of axis 1"):
        layer(keras.Input((3, 2)))


def test_gradients():
    check_layer_gradients(keras.layers.Cropping1D((1, 2)), torch.randn(2, 5, 2))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("cropping", [(1, 1), 2, (0, 3), (2, 0)])
def test_parity_with_keras(keras_oracle, cropping):
    x = np.random.RandomState(0).randn(2, 6, 3).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(keras_oracle.layers.Cropping1D(cropping)(x))
    np.testing.assert_array_equal(keras.layers.Cropping1D(cropping)(torch.from_numpy(x)).numpy(), expected)
