"""UpSampling3D: repeats along three axes, both data formats, gradients, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


@pytest.mark.parametrize("kwargs,shape,out_shape", [
    ({}, (2, 2, 3, 4, 2), (2, 4, 6, 8, 2)),
    ({"size": (1, 2, 3)}, (2, 2, 3, 4, 2), (2, 2, 6, 12, 2)),
    ({"size": (3, 1, 2), "data_format": "channels_first"}, (2, 2, 3, 4, 5), (2, 2, 9, 4, 10)),
])
def test_common_checks(kwargs, shape, out_shape):
    x = torch.randn(shape)
    size = kwargs.get("size", (2, 2, 2))
    first = 2 if kwargs.get("data_format") == "channels_first" else 1
    expected = x.numpy()
    for axis, s in enumerate(size, start=first):
        expected = np.repeat(expected, s, axis=axis)
    run_layer_test(keras.layers.UpSampling3D, kwargs, input_data=x, expected_output_shape=out_shape,
                   expected_output=expected, expected_num_trainable_weights=0)
    assert keras.layers.UpSampling3D(**kwargs).compute_output_shape((None,) + shape[1:]) == (None,) + out_shape[1:]


def test_gradients():
    check_layer_gradients(keras.layers.UpSampling3D((1, 2, 2)), torch.randn(1, 2, 2, 2, 2))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [{}, {"size": (1, 2, 3)}, {"size": (2, 1, 3), "data_format": "channels_first"}])
def test_parity_with_keras(keras_oracle, kwargs):
    x = np.random.RandomState(0).randn(2, 3, 2, 4, 3).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(keras_oracle.layers.UpSampling3D(**kwargs)(x))
    np.testing.assert_array_equal(keras.layers.UpSampling3D(**kwargs)(torch.from_numpy(x)).numpy(), expected)


def test_no_interpolation_argument():
    with pytest.raises(ValueError, match="Unrecognized keyword arguments passed to UpSampling3D"):
        keras.layers.UpSampling3D(interpolation="bilinear")
