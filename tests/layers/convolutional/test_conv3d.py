"""Conv3D: shapes, hand-computed values, the float64 reference, gradients, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test
from tests.layers.convolutional.conftest import case_id, keras_parity, reference_conv, with_bias

CASES = [
    ({"filters": 3, "kernel_size": 2}, (2, 4, 5, 3, 2), (2, 3, 4, 2, 3)),
    ({"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, (1, 5, 6, 4, 2), (1, 3, 3, 2, 2)),
    ({"filters": 2, "kernel_size": (1, 2, 3), "dilation_rate": (1, 2, 1)}, (1, 4, 5, 6, 2), (1, 4, 3, 4, 2)),
    ({"filters": 4, "kernel_size": 1, "groups": 2}, (1, 2, 2, 2, 4), (1, 2, 2, 2, 4)),
    ({"filters": 2, "kernel_size": 2, "strides": (2, 1, 2), "data_format": "channels_first"},
     (1, 3, 4, 5, 6), (1, 2, 2, 4, 3)),
]


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_common_checks(kwargs, shape, out_shape):
    run_layer_test(keras.layers.Conv3D, kwargs, input_shape=shape, expected_output_shape=out_shape,
                   expected_num_trainable_weights=2)


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_matches_float64_reference(kwargs, shape, out_shape):
    layer = keras.layers.Conv3D(**kwargs, bias_initializer="random_normal", dtype="float64")
    x = torch.randn(shape, dtype=torch.float64)
    out = layer(x)
    expected = reference_conv(x, layer.kernel.detach(), layer.strides, layer.padding, layer.data_format,
                              layer.dilation_rate)
    np.testing.assert_allclose(out.detach().numpy(), with_bias(expected, layer), rtol=1e-10, atol=1e-10)
    assert layer.compute_output_shape((None,) + shape[1:]) == (None,) + out_shape[1:]


def test_hand_computed_box_filter():
    layer = keras.layers.Conv3D(1, 2, kernel_initializer="ones", use_bias=False)
    x = torch.arange(27.0).reshape(1, 3, 3, 3, 1)
    out = layer(x)[0, :, :, :, 0]
    # the 2x2x2 cube at (0, 0, 0) holds 0, 1, 3, 4, 9, 10, 12, 13; each step adds 1, 3 or 9 to all eight
    np.testing.assert_allclose(out.detach().numpy(), 52 + 8 * np.add.outer(np.add.outer([0, 9], [0, 3]), [0, 1]))


def test_gradients():
    check_layer_gradients(keras.layers.Conv3D(2, 2, strides=2, padding="same", bias_initializer="random_normal"),
                          torch.randn(1, 3, 4, 3, 2))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [
    {"filters": 3, "kernel_size": 2},
    {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"},
    {"filters": 2, "kernel_size": (1, 2, 3), "dilation_rate": (2, 1, 1), "padding": "same"},
    {"filters": 4, "kernel_size": 2, "groups": 2, "activation": "sigmoid"},
    {"filters": 2, "kernel_size": 2, "strides": (1, 2, 2), "padding": "same", "data_format": "channels_first"},
], ids=case_id)
def test_parity_with_keras(keras_oracle, kwargs):
    x = np.random.RandomState(0).randn(2, 5, 6, 7, 4).astype("float32")
    if kwargs.get("data_format") == "channels_first":
        x = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    keras_parity(keras_oracle, "Conv3D", kwargs, x)
