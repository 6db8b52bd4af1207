"""Conv2DTranspose: Keras's output sizes, hand-computed values, the float64 reference, gradients,
Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test
from tests.layers.convolutional.conftest import case_id, keras_parity, reference_conv_transpose, with_bias

CASES = [
    ({"filters": 2, "kernel_size": 3}, (2, 4, 5, 3), (2, 6, 7, 2)),
    ({"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 4, 5, 3), (2, 8, 10, 2)),
    ({"filters": 2, "kernel_size": 4, "strides": 2, "padding": "same"}, (2, 4, 5, 3), (2, 8, 10, 2)),
    ({"filters": 2, "kernel_size": 5, "strides": 2, "padding": "same"}, (2, 4, 5, 3), (2, 8, 10, 2)),
    ({"filters": 2, "kernel_size": (2, 3), "strides": (3, 2)}, (2, 4, 5, 3), (2, 12, 11, 2)),
    ({"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same", "output_padding": (0, 1)},
     (2, 4, 5, 3), (2, 7, 10, 2)),
    ({"filters": 2, "kernel_size": 3, "strides": (2, 3), "output_padding": (1, 2)}, (2, 4, 5, 3), (2, 10, 17, 2)),
    ({"filters": 2, "kernel_size": 3, "dilation_rate": (2, 1), "padding": "same"}, (2, 4, 5, 3), (2, 4, 5, 2)),
    ({"filters": 3, "kernel_size": 2, "strides": 2, "data_format": "channels_first"}, (2, 2, 3, 4), (2, 3, 6, 8)),
]


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_common_checks(kwargs, shape, out_shape):
    run_layer_test(keras.layers.Conv2DTranspose, kwargs, input_shape=shape, expected_output_shape=out_shape,
                   expected_num_trainable_weights=2)


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_matches_float64_reference(kwargs, shape, out_shape):
    layer = keras.layers.Conv2DTranspose(**kwargs, bias_initializer="random_normal", dtype="float64")
    x = torch.randn(shape, dtype=torch.float64)
    out = layer(x)
    expected = reference_conv_transpose(x, layer.kernel.detach(), layer.strides, layer.padding,
                                        layer.output_padding, layer.data_format, layer.dilation_rate)
    np.testing.assert_allclose(out.detach().numpy(), with_bias(expected, layer), rtol=1e-10, atol=1e-10)
    assert layer.compute_output_shape((None,) + shape[1:]) == (None,) + out_shape[1:]
    channels_first = layer.data_format == "channels_first"
    unknown = (None, shape[1], None, None) if channels_first else (None, None, None, shape[-1])
    expected_unknown = (None, out_shape[1], None, None) if channels_first else (None, None, None, out_shape[-1])
    assert layer.compute_output_shape(unknown) == expected_unknown


def test_kernel_layout_is_keras():
    layer = keras.layers.Conv2DTranspose(5, (2, 3))
    layer(torch.zeros(1, 4, 4, 7))
    assert [tuple(w.shape) for w in layer.weights] == [(2, 3, 5, 7), (5,)]


def test_hand_computed_each_pixel_spreads_a_block():
    layer = keras.layers.Conv2DTranspose(1, 2, strides=2, kernel_initializer="ones",
                                         bias_initializer=keras.initializers.Constant(0.5))
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]]).reshape(1, 2, 2, 1)
    expected = np.kron([[1.0, 2.0], [3.0, 4.0]], np.ones((2, 2))) + 0.5
    np.testing.assert_allclose(layer(x)[0, :, :, 0].detach().numpy(), expected)


def test_hand_computed_same_with_odd_kernel():
    # one pixel, 3x3 kernel of 1..9, stride 2, "same": the 2x2 output is the kernel's top-left corner
    layer = keras.layers.Conv2DTranspose(1, 3, strides=2, padding="same", use_bias=False)
    layer(torch.zeros(1, 1, 1, 1))
    layer.set_weights([np.arange(1.0, 10.0).reshape(3, 3, 1, 1)])
    np.testing.assert_allclose(layer(torch.ones(1, 1, 1, 1))[0, :, :, 0].detach().numpy(), [[1, 2], [4, 5]])


@pytest.mark.parametrize("kwargs", [
    {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"},
    {"filters": 2, "kernel_size": (2, 3), "strides": (2, 3), "output_padding": (1, 0)},
    {"filters": 2, "kernel_size": 2, "dilation_rate": 2, "data_format": "channels_first", "activation": "tanh"},
], ids=case_id)
def test_gradients(kwargs):
    shape = (1, 2, 3, 3) if kwargs.get("data_format") == "channels_first" else (1, 3, 3, 2)
    check_layer_gradients(keras.layers.Conv2DTranspose(**kwargs, bias_initializer="random_normal"),
                          torch.randn(shape))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [
    {"filters": 3, "kernel_size": 3},
    {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"},
    {"filters": 3, "kernel_size": 4, "strides": 2, "padding": "same"},
    {"filters": 3, "kernel_size": 5, "strides": 2, "padding": "same"},
    {"filters": 3, "kernel_size": (2, 3), "strides": (3, 2)},
    {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same", "output_padding": 1},
    {"filters": 3, "kernel_size": 4, "strides": (3, 2), "padding": "valid", "output_padding": (2, 1)},
    {"filters": 2, "kernel_size": 3, "dilation_rate": (1, 2), "padding": "same"},
    {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same", "data_format": "channels_first"},
], ids=case_id)
def test_parity_with_keras(keras_oracle, kwargs):
    x = np.random.RandomState(0).randn(2, 5, 6, 4).astype("float32")
    if kwargs.get("data_format") == "channels_first":
        x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    keras_parity(keras_oracle, "Conv2DTranspose", kwargs, x)
