"""ZeroPadding1D: hand-computed values, argument forms, shapes, gradients, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.layers.reshaping.zero_padding import standardize_pairs
from layerwise.testing import check_layer_gradients, run_layer_test


@pytest.mark.parametrize("kwargs,expected", [
    ({}, [0, 1, 2, 0]),
    ({"padding": 2}, [0, 0, 1, 2, 0, 0]),
    ({"padding": (0, 3)}, [1, 2, 0, 0, 0]),
    ({"padding": (1, 0)}, [0, 1, 2]),
])
def test_common_checks_and_values(kwargs, expected):
    x = torch.tensor([1.0, 2.0]).reshape(1, 2, 1)
    expected = np.asarray(expected, np.float32).reshape(1, -1, 1)
    run_layer_test(keras.layers.ZeroPadding1D, kwargs, input_data=x, expected_output_shape=expected.shape,
                   expected_output=expected, expected_num_trainable_weights=0)


def test_channels_first_and_shapes():
    layer = keras.layers.ZeroPadding1D((1, 2), data_format="channels_first")
    out = layer(torch.ones(2, 3, 4))
    assert out.shape == (2, 3, 7) and float(out[:, :, 1:5].sum()) == 24 and float(out.sum()) == 24
    assert layer.compute_output_shape((None, 3, 4)) == (None, 3, 7)
    assert layer.compute_output_shape((None, 3, None)) == (None, 3, None)
    assert keras.layers.ZeroPadding1D().get_config()["padding"] == [1, 1]


def test_gradients():
    check_layer_gradients(keras.layers.ZeroPadding1D((2, 1)), torch.randn(2, 3, 2))


def test_standardize_pairs():
    assert standardize_pairs("ZeroPadding1D", "padding", 2, 1) == ((2, 2),)
    assert standardize_pairs("ZeroPadding3D", "padding", (1, 2, (3, 4)), 3) == ((1, 1), (2, 2), (3, 4))
    assert standardize_pairs("ZeroPadding2D", "padding", 0, 2) == ((0, 0), (0, 0))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [{}, {"padding": 3}, {"padding": (0, 2)},
                                    {"padding": (2, 1), "data_format": "channels_first"}])
def test_parity_with_keras(keras_oracle, kwargs):
    x = np.random.RandomState(0).randn(2, 5, 3).astype("float32")
    theirs = keras_oracle.layers.ZeroPadding1D(**kwargs)
    expected = keras_oracle.ops.convert_to_numpy(theirs(x))
    ours = keras.layers.ZeroPadding1D(**kwargs)
    np.testing.assert_array_equal(ours(torch.from_numpy(x)).numpy(), expected)
    assert list(ours.get_config()["padding"]) == list(theirs.get_config()["padding"])


def test_invalid_arguments():
    with pytest.raises(ValueError, match=r"`ZeroPadding1D` argument `padding` must be a non-negative integer or a "
                                         r"pair of them; received padding=-1"):
        keras.layers.ZeroPadding1D(-1)
    with pytest.raises(ValueError, match=r"received padding=\(1, 2, 3\)"):
        keras.layers.ZeroPadding1D((1, 2, 3))
