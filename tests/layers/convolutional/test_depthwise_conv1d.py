"""DepthwiseConv1D: shapes, the float64 reference, gradients, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test
from tests.layers.convolutional.conftest import case_id, keras_parity, reference_depthwise, with_bias

CASES = [
    ({"kernel_size": 3}, (2, 8, 3), (2, 6, 3)),
    ({"kernel_size": 3, "depth_multiplier": 2, "strides": 2, "padding": "same"}, (2, 8, 3), (2, 4, 6)),
    ({"kernel_size": 2, "dilation_rate": 3}, (2, 8, 3), (2, 5, 3)),
    ({"kernel_size": 2, "depth_multiplier": 2, "data_format": "channels_first"}, (2, 3, 5), (2, 6, 4)),
]


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_common_checks(kwargs, shape, out_shape):
    run_layer_test(keras.layers.DepthwiseConv1D, kwargs, input_shape=shape, expected_output_shape=out_shape,
                   expected_num_trainable_weights=2)


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_matches_float64_reference(kwargs, shape, out_shape):
    layer = keras.layers.DepthwiseConv1D(**kwargs, bias_initializer="random_normal", dtype="float64")
    x = torch.randn(shape, dtype=torch.float64)
    out = layer(x)
    expected = reference_depthwise(x, layer.kernel.detach().numpy(), layer.strides, layer.padding,
                                   layer.data_format, layer.dilation_rate)
    np.testing.assert_allclose(out.detach().numpy(), with_bias(expected, layer), rtol=1e-10, atol=1e-10)


def test_hand_computed():
    layer = keras.layers.DepthwiseConv1D(2, use_bias=False)
    layer(torch.zeros(1, 3, 2))
    layer.set_weights([np.array([[1.0, 10.0], [2.0, 20.0]]).reshape(2, 2, 1)])
    x = torch.tensor([[1.0, 1.0], [2.0, 3.0], [4.0, 5.0]]).reshape(1, 3, 2)
    # channel 0: 1*x[t] + 2*x[t+1]; channel 1: 10*x[t] + 20*x[t+1]
    np.testing.assert_allclose(layer(x)[0].detach().numpy(), [[5, 70], [10, 130]])


def test_gradients():
    check_layer_gradients(keras.layers.DepthwiseConv1D(3, padding="same", depth_multiplier=2,
                                                       bias_initializer="random_normal"), torch.randn(1, 5, 2))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [
    {"kernel_size": 3},
    {"kernel_size": 3, "strides": 2, "padding": "same", "depth_multiplier": 2},
    {"kernel_size": 2, "dilation_rate": 2, "padding": "same"},
    {"kernel_size": 3, "depth_multiplier": 2, "data_format": "channels_first"},
], ids=case_id)
def test_parity_with_keras(keras_oracle, kwargs):
    x = np.random.RandomState(0).randn(2, 9, 3).astype("float32")
    if kwargs.get("data_format") == "channels_first":
        x = np.ascontiguousarray(x.transpose(0, 2, 1))
    keras_parity(keras_oracle, "DepthwiseConv1D", kwargs, x)
