"""Conv2D: shapes, hand-computed values, the float64 reference, gradients, Keras parity, errors."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test
from tests.layers.convolutional.conftest import case_id, keras_parity, reference_conv, with_bias

CASES = [
    ({"filters": 4, "kernel_size": 3}, (2, 8, 8, 3), (2, 6, 6, 4)),
    ({"filters": 4, "kernel_size": 3, "padding": "same", "strides": 2}, (2, 7, 9, 3), (2, 4, 5, 4)),
    ({"filters": 4, "kernel_size": 3, "padding": "same", "strides": 2}, (2, 8, 6, 3), (2, 4, 3, 4)),
    ({"filters": 2, "kernel_size": (2, 3), "dilation_rate": 2}, (1, 9, 9, 2), (1, 7, 5, 2)),
    ({"filters": 2, "kernel_size": (2, 4), "padding": "same"}, (1, 5, 6, 2), (1, 5, 6, 2)),
    ({"filters": 4, "kernel_size": 1, "groups": 2}, (1, 5, 5, 4), (1, 5, 5, 4)),
    ({"filters": 3, "kernel_size": 3, "strides": (1, 3)}, (2, 6, 8, 2), (2, 4, 2, 3)),
    ({"filters": 3, "kernel_size": 3, "data_format": "channels_first"}, (2, 2, 6, 6), (2, 3, 4, 4)),
    ({"filters": 3, "kernel_size": 2, "strides": 2, "padding": "same", "data_format": "channels_first"},
     (2, 2, 5, 6), (2, 3, 3, 3)),
]


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_common_checks(kwargs, shape, out_shape):
    run_layer_test(keras.layers.Conv2D, kwargs, input_shape=shape, expected_output_shape=out_shape,
                   expected_num_trainable_weights=2)


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_matches_float64_reference(kwargs, shape, out_shape):
    layer = keras.layers.Conv2D(**kwargs, bias_initializer="random_normal", dtype="float64")
    x = torch.randn(shape, dtype=torch.float64)
    out = layer(x)
    expected = reference_conv(x, layer.kernel.detach(), layer.strides, layer.padding, layer.data_format,
                              layer.dilation_rate)
    np.testing.assert_allclose(out.detach().numpy(), with_bias(expected, layer), rtol=1e-10, atol=1e-10)
    assert layer.compute_output_shape((None,) + shape[1:]) == (None,) + out_shape[1:]


def test_hand_computed_box_filter():
    layer = keras.layers.Conv2D(1, 2, kernel_initializer="ones", bias_initializer=keras.initializers.Constant(0.5))
    x = torch.arange(9.0).reshape(1, 3, 3, 1)
    out = layer(x)[0, :, :, 0]
    # windows: 0+1+3+4, 1+2+4+5, 3+4+6+7, 4+5+7+8, plus 0.5
    np.testing.assert_allclose(out.detach().numpy(), [[8.5, 12.5], [20.5, 24.5]])
    assert tuple(layer.kernel.shape) == (2, 2, 1, 1)


def test_same_padding_puts_the_odd_row_at_the_bottom():
    # 4x4 input, 3x3 kernel, stride 2: total padding 1 per axis, all of it after (TensorFlow's rule).
    layer = keras.layers.Conv2D(1, 3, strides=2, padding="same", kernel_initializer="ones", use_bias=False)
    x = torch.arange(16.0).reshape(1, 4, 4, 1)
    # windows start at rows/cols 0 and 2: sums of x[0:3, 0:3], x[0:3, 2:4], x[2:4, 0:3], x[2:4, 2:4]
    np.testing.assert_allclose(layer(x)[0, :, :, 0].detach().numpy(), [[45, 39], [66, 50]])


def test_matches_torch_conv_in_channels_first_terms():
    layer = keras.layers.Conv2D(5, 3, strides=1, padding="same")
    x = torch.randn(2, 6, 6, 3)
    out = layer(x)
    weight = layer.kernel.permute(3, 2, 0, 1)
    expected = torch.nn.functional.conv2d(x.permute(0, 3, 1, 2), weight, layer.bias, padding=1).permute(0, 2, 3, 1)
    torch.testing.assert_close(out, expected)
    assert out.is_contiguous()  # channels-last in, dense channels-last out


@pytest.mark.parametrize("kwargs", [
    {"filters": 2, "kernel_size": 3, "padding": "same", "strides": 2},
    {"filters": 4, "kernel_size": (2, 3), "groups": 2, "dilation_rate": (2, 1)},
    {"filters": 2, "kernel_size": 2, "data_format": "channels_first", "activation": "tanh"},
], ids=case_id)
def test_gradients(kwargs):
    shape = (1, 2, 4, 5) if kwargs.get("data_format") == "channels_first" else (1, 4, 5, 2)
    check_layer_gradients(keras.layers.Conv2D(**kwargs, bias_initializer="random_normal"), torch.randn(shape))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [
    {"filters": 4, "kernel_size": 3},
    {"filters": 4, "kernel_size": 3, "padding": "same", "strides": 2},
    {"filters": 4, "kernel_size": 4, "padding": "same", "strides": 3},
    {"filters": 3, "kernel_size": (2, 3), "padding": "same", "strides": (2, 1)},
    {"filters": 2, "kernel_size": 3, "dilation_rate": 2, "padding": "same"},
    {"filters": 2, "kernel_size": 2, "dilation_rate": (1, 3)},
    {"filters": 6, "kernel_size": 3, "groups": 3, "activation": "relu"},
    {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same", "data_format": "channels_first"},
    {"filters": 2, "kernel_size": 3, "use_bias": False, "data_format": "channels_first"},
], ids=case_id)
def test_parity_with_keras(keras_oracle, kwargs):
    x = np.random.RandomState(0).randn(2, 11, 10, 6).astype("float32")
    if kwargs.get("data_format") == "channels_first":
        x = np.ascontiguousarray(x.transpose(0, 3, 1, 2))
    keras_parity(keras_oracle, "Conv2D", kwargs, x)


def test_invalid_arguments():
    with pytest.raises(ValueError, match="`Conv2D` argument `filters` must be a positive integer"):
        keras.layers.Conv2D(0, 3)
    with pytest.raises(ValueError, match="`Conv2D` argument `kernel_size` must be an integer or a tuple of 2"):
        keras.layers.Conv2D(2, (3, 3, 3))
    with pytest.raises(ValueError, match="cannot be combined with `dilation_rate`"):
        keras.layers.Conv2D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="`Conv2D` argument `filters` must be divisible by `groups`"):
        keras.layers.Conv2D(5, 3, groups=2)
    with pytest.raises(ValueError, match="`Conv2D` argument `data_format` must be one of"):
        keras.layers.Conv2D(2, 3, data_format="NHWC")
    with pytest.raises(ValueError, match="Unknown activation: 'rleu'"):
        keras.layers.Conv2D(2, 3, activation="rleu")


def test_bad_arguments_are_refused_before_the_layer_exists():
    with pytest.raises(ValueError):
        keras.layers.Conv2D(2, 3, padding="smae")
    assert keras.layers.Conv2D(2, 3).name == "conv2d"  # the failed one took no name


def test_bad_input_is_refused_before_weights_are_made():
    layer = keras.layers.Conv2D(4, 3, groups=2)
    with pytest.raises(ValueError, match="divisible by groups=2"):
        layer(torch.zeros(1, 5, 5, 3))
    assert not layer.built and layer.weights == []
    small = keras.layers.Conv2D(2, 5)
    with pytest.raises(ValueError, match=r"conv2d_1.*too small for kernel_size=\(5, 5\)"):
        small(torch.zeros(1, 4, 8, 1))
    assert small.weights == []
    built = keras.layers.Conv2D(2, 3)
    built(torch.zeros(1, 5, 5, 3))
    with pytest.raises(ValueError, match="conv2d_2"):
        built(torch.zeros(1, 5, 5, 4))  # the channel count is part of the input spec after building
