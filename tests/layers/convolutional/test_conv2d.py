import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


@pytest.mark.parametrize("kwargs,shape,out_shape", [
    ({"filters": 4, "kernel_size": 3}, (2, 8, 8, 3), (2, 6, 6, 4)),
    ({"filters": 4, "kernel_size": 3, "padding": "same", "strides": 2}, (2, 7, 9, 3), (2, 4, 5, 4)),
    ({"filters": 2, "kernel_size": (2, 3), "dilation_rate": 2}, (1, 9, 9, 2), (1, 7, 5, 2)),
    ({"filters": 4, "kernel_size": 1, "groups": 2}, (1, 5, 5, 4), (1, 5, 5, 4)),
    ({"filters": 3, "kernel_size": 3, "data_format": "channels_first"}, (2, 2, 6, 6), (2, 3, 4, 4)),
])
def test_common_checks(kwargs, shape, out_shape):
    run_layer_test(keras.layers.Conv2D, kwargs, input_shape=shape, expected_output_shape=out_shape,
                   expected_num_trainable_weights=2)


def test_hand_computed_box_filter():
    layer = keras.layers.Conv2D(1, 2, kernel_initializer="ones", bias_initializer=keras.initializers.Constant(0.5))
    x = torch.arange(9.0).reshape(1, 3, 3, 1)
    out = layer(x)[0, :, :, 0]
    # windows: 0+1+3+4, 1+2+4+5, 3+4+6+7, 4+5+7+8, plus 0.5
    np.testing.assert_allclose(out.detach().numpy(), [[8.5, 12.5], [20.5, 24.5]])
    assert tuple(layer.kernel.shape) == (2, 2, 1, 1)


def test_matches_torch_conv_in_channels_first_terms():
    layer = keras.layers.Conv2D(5, 3, strides=1, padding="same")
    x = torch.randn(2, 6, 6, 3)
    out = layer(x)
    weight = layer.kernel.permute(3, 2, 0, 1)
    expected = torch.nn.functional.conv2d(x.permute(0, 3, 1, 2), weight, layer.bias, padding=1).permute(0, 2, 3, 1)
    torch.testing.assert_close(out, expected)


def test_gradients():
    check_layer_gradients(keras.layers.Conv2D(2, 3, padding="same", strides=2), torch.randn(2, 5, 5, 2))


@pytest.mark.parametrize("kwargs", [
    {"filters": 4, "kernel_size": 3, "padding": "same", "strides": 2},
    {"filters": 4, "kernel_size": 4, "padding": "same", "strides": 3},
    {"filters": 2, "kernel_size": 3, "dilation_rate": 2, "padding": "same"},
    {"filters": 6, "kernel_size": 3, "groups": 3, "activation": "relu"},
])
def test_parity_with_keras(keras_oracle, kwargs):
    x = np.random.RandomState(0).randn(2, 11, 10, 6).astype("float32")
    theirs = keras_oracle.layers.Conv2D(**kwargs)
    expected = keras_oracle.ops.convert_to_numpy(theirs(x))
    ours = keras.layers.Conv2D(**kwargs)
    ours(x)
    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(ours(x).detach().numpy(), expected, rtol=1e-4, atol=1e-5)


def test_invalid_arguments():
    with pytest.raises(ValueError, match="`Conv2D` argument `filters` must be a positive integer"):
        keras.layers.Conv2D(0, 3)
    with pytest.raises(ValueError, match="`Conv2D` argument `kernel_size` must be an integer or a tuple of 2"):
        keras.layers.Conv2D(2, (3, 3, 3))
    with pytest.raises(ValueError, match="cannot be combined with `dilation_rate`"):
        keras.layers.Conv2D(2, 3, strides=2, dilation_rate=2)
    with pytest.raises(ValueError, match="divisible by groups=2"):
        keras.layers.Conv2D(4, 3, groups=2)(torch.zeros(1, 5, 5, 3))
