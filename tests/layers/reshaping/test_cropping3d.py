"""Cropping3D: shapes, values, data formats, gradients, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


@pytest.mark.parametrize("kwargs,shape,out_shape", [
    ({}, (1, 4, 5, 6, 2), (1, 2, 3, 4, 2)),
    ({"cropping": (0, 1, 2)}, (1, 4, 5, 6, 2), (1, 4, 3, 2, 2)),
    ({"cropping": ((1, 0), (0, 2), 1), "data_format": "channels_first"}, (1, 2, 4, 5, 6), (1, 2, 3, 3, 4)),
])
def test_common_checks(kwargs, shape, out_shape):
    x = torch.randn(shape)
    layer = keras.layers.Cropping3D(**kwargs)
    first = 2 if kwargs.get("data_format") == "channels_first" else 1
    index = [slice(None)] * 5
    for axis, (before, after) in enumerate(layer.cropping, start=first):
        index[axis] = slice(before, x.shape[axis] - after)
    run_layer_test(keras.layers.Cropping3D, kwargs, input_data=x, expected_output_shape=out_shape,
                   expected_output=x.numpy()[tuple(index)], expected_num_trainable_weights=0)
    assert layer.compute_output_shape((None,) + shape[1:]) == (None,) + out_shape[1:]


def test_gradients():
    check_layer_gradients(keras.layers.Cropping3D((1, 0, (0, 1))), torch.randn(1, 3, 2, 3, 2))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [{}, {"cropping": (0, 1, 2)}, {"cropping": ((1, 0), (0, 2), 1),
                                                                  "data_format": "channels_first"}])
def test_parity_with_keras(keras_oracle, kwargs):
    x = np.random.RandomState(0).randn(2, 4, 5, 6, 7).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(keras_oracle.layers.Cropping3D(**kwargs)(x))
    np.testing.assert_array_equal(keras.layers.Cropping3D(**kwargs)(torch.from_numpy(x)).numpy(), expected)
