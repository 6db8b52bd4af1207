"""Cropping2D: hand-computed values, the argument forms, data formats, errors, gradients, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test

CASES = [
    ({}, (2, 5, 6, 2), (2, 5, 6, 2)),
    ({"cropping": 1}, (2, 5, 6, 2), (2, 3, 4, 2)),
    ({"cropping": (2, 0)}, (2, 5, 6, 2), (2, 1, 6, 2)),
    ({"cropping": ((0, 1), (2, 3))}, (2, 5, 6, 2), (2, 4, 1, 2)),
    ({"cropping": ((1, 0), 1), "data_format": "channels_first"}, (2, 2, 5, 6), (2, 2, 4, 4)),
]


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES)
def test_common_checks(kwargs, shape, out_shape):
    x = torch.randn(shape)
    layer = keras.layers.Cropping2D(**kwargs)
    first = 2 if kwargs.get("data_format") == "channels_first" else 1
    index = [slice(None)] * 4
    for axis, (before, after) in enumerate(layer.cropping, start=first):
        index[axis] = slice(before, x.shape[axis] - after)
    run_layer_test(keras.layers.Cropping2D, kwargs, input_data=x, expected_output_shape=out_shape,
                   expected_output=x.numpy()[tuple(index)], expected_num_trainable_weights=0)
    assert layer.compute_output_shape((None,) + shape[1:]) == (None,) + out_shape[1:]


def test_hand_computed():
    x = torch.arange(12.0).reshape(1, 3, 4, 1)
    out = keras.layers.Cropping2D(((1, 0), (1, 2)))(x)[0, :, :, 0]
    np.testing.assert_array_equal(out.numpy(), [[5], [9]])


def test_cropping_everything_is_refused():
    with pytest.raises(ValueError, match=r"cropping \(2, 3\) removes all of axis 2 \(size 5\)"):
        keras.layers.Cropping2D(((0, 0), (2, 3)))(torch.zeros(1, 4, 5, 1))


def test_gradients():
    check_layer_gradients(keras.layers.Cropping2D(((1, 0), (0, 1))), torch.randn(1, 3, 3, 2))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [
    {}, {"cropping": 1}, {"cropping": (2, 0)}, {"cropping": ((0, 1), (2, 3))},
    {"cropping": ((1, 2), (0, 1)), "data_format": "channels_first"},
])
def test_parity_with_keras(keras_oracle, kwargs):
    x = np.random.RandomState(0).randn(2, 5, 7, 6).astype("float32")
    theirs = keras_oracle.layers.Cropping2D(**kwargs)
    expected = keras_oracle.ops.convert_to_numpy(theirs(x))
    ours = keras.layers.Cropping2D(**kwargs)
    np.testing.assert_array_equal(ours(torch.from_numpy(x)).numpy(), expected)
    assert ours.compute_output_shape((None,) + x.shape[1:]) == tuple(theirs.compute_output_shape((None,) + x.shape[1:]))


def test_invalid_arguments():
    with pytest.raises(ValueError, match=r"`Cropping2D` argument `cropping` must be a non-negative integer"):
        keras.layers.Cropping2D(-1)
