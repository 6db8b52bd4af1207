"""SeparableConv1D: shapes, hand-computed values, the float64 reference, gradients, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test
from tests.layers.convolutional.conftest import (case_id, keras_parity, reference_conv, reference_depthwise,
                                                 with_bias)

CASES = [
    ({"filters": 4, "kernel_size": 3}, (2, 8, 3), (2, 6, 4)),
    ({"filters": 4, "kernel_size": 3, "depth_multiplier": 2, "strides": 2, "padding": "same"}, (2, 8, 3),
     (2, 4, 4)),
    ({"filters": 2, "kernel_size": 2, "data_format": "channels_first"}, (2, 3, 5), (2, 2, 4)),
]


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_common_checks(kwargs, shape, out_shape):
    run_layer_test(keras.layers.SeparableConv1D, kwargs, input_shape=shape, expected_output_shape=out_shape,
                   expected_num_trainable_weights=3)


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_matches_float64_reference(kwargs, shape, out_shape):
    layer = keras.layers.SeparableConv1D(**kwargs, bias_initializer="random_normal", dtype="float64")
    x = torch.randn(shape, dtype=torch.float64)
    out = layer(x)
    middle = reference_depthwise(x, layer.depthwise_kernel.detach().numpy(), layer.strides, layer.padding,
                                 layer.data_format, layer.dilation_rate)
    expected = reference_conv(middle, layer.pointwise_kernel.detach(), 1, "valid", layer.data_format)
    np.testing.assert_allclose(out.detach().numpy(), with_bias(expected, layer), rtol=1e-10, atol=1e-10)


def test_weights_in_keras_order():
    layer = keras.layers.SeparableConv1D(5, 3, depth_multiplier=2, use_bias=False)
    layer(torch.zeros(1, 6, 4))
    assert [(w.name, tuple(w.shape)) for w in layer.weights] == [
        ("depthwise_kernel", (3, 4, 2)), ("pointwise_kernel", (1, 8, 5))]


def test_hand_computed():
    layer = keras.layers.SeparableConv1D(1, 2)
    x = torch.tensor([[[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]]])  # (1, 3 steps, 2 channels)
    layer(x)
    # depthwise taps (1, 2) on channel 0 and (1, -1) on channel 1; pointwise weights (1, 0.5); bias 1
    layer.set_weights([np.array([[[1.0], [1.0]], [[2.0], [-1.0]]]), np.array([[[1.0], [0.5]]]), np.array([1.0])])
    # channel 0: 1 + 2 * 2 = 5, 2 + 2 * 3 = 8; channel 1: 10 - 20 = -10, 20 - 30 = -10
    np.testing.assert_allclose(layer(x)[0, :, 0].detach().numpy(), [5 - 5 + 1, 8 - 5 + 1])


def test_gradients():
    check_layer_gradients(keras.layers.SeparableConv1D(3, 2, padding="same", depth_multiplier=2,
                                                       bias_initializer="random_normal"), torch.randn(1, 5, 2))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [
    {"filters": 4, "kernel_size": 3},
    {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same", "depth_multiplier": 2},
    {"filters": 2, "kernel_size": 2, "dilation_rate": 2, "padding": "same"},
    {"filters": 3, "kernel_size": 3, "data_format": "channels_first"},
], ids=case_id)
def test_parity_with_keras(keras_oracle, kwargs):
    x = np.random.RandomState(0).randn(2, 9, 3).astype("float32")
    if kwargs.get("data_format") == "channels_first":
        x = np.ascontiguousarray(x.transpose(0, 2, 1))
    keras_parity(keras_oracle, "SeparableConv1D", kwargs, x)
