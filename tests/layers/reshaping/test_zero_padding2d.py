"""ZeroPadding2D: hand-computed values, the three argument forms, data formats, gradients, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test

CASES = [
    ({}, (2, 3, 4, 2), (2, 5, 6, 2)),
    ({"padding": 2}, (2, 3, 4, 2), (2, 7, 8, 2)),
    ({"padding": (1, 0)}, (2, 3, 4, 2), (2, 5, 4, 2)),
    ({"padding": ((0, 2), (3, 1))}, (2, 3, 4, 2), (2, 5, 8, 2)),
    ({"padding": ((1, 0), 2), "data_format": "channels_first"}, (2, 2, 3, 4), (2, 2, 4, 8)),
]


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES)
def test_common_checks(kwargs, shape, out_shape):
    x = torch.randn(shape)
    out = run_layer_test(keras.layers.ZeroPadding2D, kwargs, input_data=x, expected_output_shape=out_shape,
                         expected_num_trainable_weights=0)
    assert float(out.sum()) == pytest.approx(float(x.sum()), abs=1e-4)  # only zeros were added
    assert keras.layers.ZeroPadding2D(**kwargs).compute_output_shape((None,) + shape[1:]) == (None,) + out_shape[1:]


def test_hand_computed():
    out = keras.layers.ZeroPadding2D(((1, 0), (0, 2)))(torch.tensor([[1.0, 2.0]]).reshape(1, 1, 2, 1))
    np.testing.assert_array_equal(out[0, :, :, 0].numpy(), [[0, 0, 0, 0], [1, 2, 0, 0]])
    assert out.is_contiguous()  # padded where it lies: channels-last in, channels-last out, one copy


def test_config_round_trip():
    layer = keras.layers.ZeroPadding2D(((1, 2), (3, 4)), data_format="channels_first")
    config = layer.get_config()
    assert config["padding"] == [[1, 2], [3, 4]] and config["data_format"] == "channels_first"
    assert keras.layers.ZeroPadding2D.from_config(config).padding == ((1, 2), (3, 4))


def test_gradients():
    check_layer_gradients(keras.layers.ZeroPadding2D(((1, 0), (2, 1))), torch.randn(1, 2, 3, 2))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [
    {}, {"padding": 2}, {"padding": (1, 3)}, {"padding": ((0, 2), (3, 1))},
    {"padding": ((2, 0), (1, 1)), "data_format": "channels_first"},
])
def test_parity_with_keras(keras_oracle, kwargs):
    x = np.random.RandomState(0).randn(2, 3, 4, 5).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(keras_oracle.layers.ZeroPadding2D(**kwargs)(x))
    np.testing.assert_array_equal(keras.layers.ZeroPadding2D(**kwargs)(torch.from_numpy(x)).numpy(), expected)


def test_invalid_arguments():
    with pytest.raises(ValueError, match=r"`ZeroPadding2D` argument `padding` must be a non-negative integer, a tuple "
                                         r"of 2 non-negative integers, or a tuple of 2 \(before, after\) pairs"):
        keras.layers.ZeroPadding2D((1, 2, 3))
    with pytest.raises(ValueError, match=r"received padding=\(\(1, -1\), 0\)"):
        keras.layers.ZeroPadding2D(((1, -1), 0))
