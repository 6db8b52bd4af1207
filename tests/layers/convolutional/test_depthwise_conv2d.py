"""DepthwiseConv2D: shapes, hand-computed per-channel values, the float64 reference, gradients, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test
from tests.layers.convolutional.conftest import case_id, keras_parity, reference_depthwise, with_bias

CASES = [
    ({"kernel_size": 3}, (2, 6, 7, 3), (2, 4, 5, 3)),
    ({"kernel_size": 3, "depth_multiplier": 2}, (2, 6, 7, 3), (2, 4, 5, 6)),
    ({"kernel_size": 3, "strides": 2, "padding": "same", "depth_multiplier": 3}, (2, 6, 7, 2), (2, 3, 4, 6)),
    ({"kernel_size": (2, 3), "dilation_rate": 2, "padding": "same"}, (1, 6, 7, 2), (1, 6, 7, 2)),
    ({"kernel_size": 2, "depth_multiplier": 2, "data_format": "channels_first"}, (2, 3, 4, 5), (2, 6, 3, 4)),
]


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_common_checks(kwargs, shape, out_shape):
    run_layer_test(keras.layers.DepthwiseConv2D, kwargs, input_shape=shape, expected_output_shape=out_shape,
                   expected_num_trainable_weights=2)


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_matches_float64_reference(kwargs, shape, out_shape):
    layer = keras.layers.DepthwiseConv2D(**kwargs, bias_initializer="random_normal", dtype="float64")
    x = torch.randn(shape, dtype=torch.float64)
    out = layer(x)
    expected = reference_depthwise(x, layer.kernel.detach().numpy(), layer.strides, layer.padding,
                                   layer.data_format, layer.dilation_rate)
    np.testing.assert_allclose(out.detach().numpy(), with_bias(expected, layer), rtol=1e-10, atol=1e-10)
    assert layer.compute_output_shape((None,) + shape[1:]) == (None,) + out_shape[1:]


def test_weights_in_keras_layout():
    layer = keras.layers.DepthwiseConv2D((2, 3), depth_multiplier=4)
    layer(torch.zeros(1, 5, 5, 3))
    assert [(w.name, tuple(w.shape)) for w in layer.weights] == [("kernel", (2, 3, 3, 4)), ("bias", (12,))]


def test_hand_computed_channel_order():
    # channel c, multiplier m: a 1x1 kernel of value 10 * c + m + 1; output channel c * 2 + m
    layer = keras.layers.DepthwiseConv2D(1, depth_multiplier=2, use_bias=False)
    layer(torch.zeros(1, 1, 1, 2))
    layer.set_weights([np.array([[1.0, 2.0], [11.0, 12.0]]).reshape(1, 1, 2, 2)])
    out = layer(torch.tensor([1.0, 100.0]).reshape(1, 1, 1, 2))
    np.testing.assert_allclose(out.reshape(-1).detach().numpy(), [1, 2, 1100, 1200])


@pytest.mark.parametrize("kwargs", [
    {"kernel_size": 3, "strides": 2, "padding": "same", "depth_multiplier": 2},
    {"kernel_size": 2, "dilation_rate": 2, "data_format": "channels_first"},
], ids=case_id)
def test_gradients(kwargs):
    shape = (1, 2, 5, 5) if kwargs.get("data_format") == "channels_first" else (1, 5, 5, 2)
    check_layer_gradients(keras.layers.DepthwiseConv2D(**kwargs, bias_initializer="random_normal"),
                          torch.randn(shape))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [
    {"kernel_size": 3},
    {"kernel_size": 3, "depth_multiplier": 2, "activation": "relu"},
    {"kernel_size": 3, "strides": 2, "padding": "same", "depth_multiplier": 3},
    {"kernel_size": (2, 4), "strides": (1, 3), "padding": "same"},
    {"kernel_size": 3, "dilation_rate": (2, 1), "padding": "same"},
    {"kernel_size": 2, "strides": 2, "depth_multiplier": 2, "data_format": "channels_first"},
], ids=case_id)
def test_parity_with_keras(keras_oracle, kwargs):
    x = np.random.RandomState(0).randn(2, 7, 8, 3).astype("float32")
    if kwargs.get("data_format") == "channels_first":
        x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    keras_parity(keras_oracle, "DepthwiseConv2D", kwargs, x)


def test_invalid_arguments():
    with pytest.raises(ValueError, match="`DepthwiseConv2D` argument `depth_multiplier` must be a positive integer"):
        keras.layers.DepthwiseConv2D(3, depth_multiplier=0)
    with pytest.raises(ValueError, match="`DepthwiseConv2D` argument `padding` must be one of 'valid', 'same'"):
        keras.layers.DepthwiseConv2D(3, padding="causal")
