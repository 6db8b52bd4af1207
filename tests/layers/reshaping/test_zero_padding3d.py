"""ZeroPadding3D: shapes, values, data formats, gradients, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


@pytest.mark.parametrize("kwargs,shape,out_shape", [
    ({}, (1, 2, 3, 4, 2), (1, 4, 5, 6, 2)),
    ({"padding": (0, 1, 2)}, (1, 2, 3, 4, 2), (1, 2, 5, 8, 2)),
    ({"padding": ((1, 0), (0, 2), 1), "data_format": "channels_first"}, (1, 2, 3, 4, 5), (1, 2, 4, 6, 7)),
])
def test_common_checks(kwargs, shape, out_shape):
    x = torch.randn(shape)
    layer = keras.layers.ZeroPadding3D(**kwargs)
    first = 2 if kwargs.get("data_format") == "channels_first" else 1
    pads = [(0, 0)] * 5
    for axis, pair in enumerate(layer.padding, start=first):
        pads[axis] = pair
    run_layer_test(keras.layers.ZeroPadding3D, kwargs, input_data=x, expected_output_shape=out_shape,
                   expected_output=np.pad(x.numpy(), pads), expected_num_trainable_weights=0)
    assert layer.compute_output_shape((None,) + shape[1:]) == (None,) + out_shape[1:]


def test_gradients():
    check_layer_gradients(keras.layers.ZeroPadding3D((1, 0, (0, 2))), torch.randn(1, 2, 2, 2, 2))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [{}, {"padding": (0, 1, 2)}, {"padding": ((1, 0), (0, 2), 1),
                                                                 "data_format": "channels_first"}])
def test_parity_with_keras(keras_oracle, kwargs):
    x = np.random.RandomState(0).randn(2, 3, 2, 4, 3).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(keras_oracle.layers.ZeroPadding3D(**kwargs)(x))
    np.testing.assert_array_equal(keras.layers.ZeroPadding3D(**kwargs)(torch.from_numpy(x)).numpy(), expected)
