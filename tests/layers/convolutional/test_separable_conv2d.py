"""SeparableConv2D: shapes, Keras weight order, the float64 reference, gradients, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test
from tests.layers.convolutional.conftest import (case_id, keras_parity, reference_conv, reference_depthwise,
                                                 with_bias)

CASES = [
    ({"filters": 4, "kernel_size": 3}, (2, 6, 7, 3), (2, 4, 5, 4)),
    ({"filters": 4, "kernel_size": 3, "depth_multiplier": 2, "strides": 2, "padding": "same"}, (2, 6, 7, 3),
     (2, 3, 4, 4)),
    ({"filters": 2, "kernel_size": (2, 3), "dilation_rate": 2}, (1, 6, 7, 2), (1, 4, 3, 2)),
    ({"filters": 5, "kernel_size": 2, "data_format": "channels_first"}, (2, 3, 4, 5), (2, 5, 3, 4)),
]


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_common_checks(kwargs, shape, out_shape):
    run_layer_test(keras.layers.SeparableConv2D, kwargs, input_shape=shape, expected_output_shape=out_shape,
                   expected_num_trainable_weights=3)


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_matches_float64_reference(kwargs, shape, out_shape):
    layer = keras.layers.SeparableConv2D(**kwargs, bias_initializer="random_normal", dtype="float64")
    x = torch.randn(shape, dtype=torch.float64)
    out = layer(x)
    middle = reference_depthwise(x, layer.depthwise_kernel.detach().numpy(), layer.strides, layer.padding,
                                 layer.data_format, layer.dilation_rate)
    expected = reference_conv(middle, layer.pointwise_kernel.detach(), 1, "valid", layer.data_format)
    np.testing.assert_allclose(out.detach().numpy(), with_bias(expected, layer), rtol=1e-10, atol=1e-10)
    assert layer.compute_output_shape((None,) + shape[1:]) == (None,) + out_shape[1:]


def test_weights_in_keras_order_and_layout():
    layer = keras.layers.SeparableConv2D(5, (2, 3), depth_multiplier=2)
    layer(torch.zeros(1, 5, 5, 3))
    assert [(w.name, tuple(w.shape)) for w in layer.weights] == [
        ("depthwise_kernel", (2, 3, 3, 2)), ("pointwise_kernel", (1, 1, 6, 5)), ("bias", (5,))]


def test_hand_computed():
    # 2x2 depthwise kernels of ones per channel, then a pointwise sum of both channels plus 1
    layer = keras.layers.SeparableConv2D(1, 2, depthwise_initializer="ones", pointwise_initializer="ones",
                                         bias_initializer="ones")
    x = torch.stack([torch.arange(9.0).reshape(3, 3), torch.ones(3, 3)], -1)[None]
    np.testing.assert_allclose(layer(x)[0, :, :, 0].detach().numpy(), [[8 + 4 + 1, 12 + 4 + 1],
                                                                       [20 + 4 + 1, 24 + 4 + 1]])


def test_gradients():
    check_layer_gradients(keras.layers.SeparableConv2D(3, 3, strides=2, padding="same", depth_multiplier=2,
                                                       bias_initializer="random_normal"), torch.randn(1, 5, 5, 2))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [
    {"filters": 4, "kernel_size": 3},
    {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same", "depth_multiplier": 2},
    {"filters": 2, "kernel_size": (2, 4), "strides": (1, 3), "padding": "same", "activation": "relu"},
    {"filters": 3, "kernel_size": 3, "dilation_rate": 2, "padding": "same"},
    {"filters": 3, "kernel_size": 2, "strides": 2, "data_format": "channels_first"},
], ids=case_id)
def test_parity_with_keras(keras_oracle, kwargs):
    x = np.random.RandomState(0).randn(2, 7, 8, 3).astype("float32")
    if kwargs.get("data_format") == "channels_first":
        x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    keras_parity(keras_oracle, "SeparableConv2D", kwargs, x)
