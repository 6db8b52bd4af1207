"""Conv1D: shapes, hand-computed causal outputs, the float64 reference, gradients, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test
from tests.layers.convolutional.conftest import case_id, keras_parity, reference_conv, with_bias

CASES = [
    ({"filters": 4, "kernel_size": 3}, (2, 9, 3), (2, 7, 4)),
    ({"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 10, 3), (2, 5, 4)),
    ({"filters": 2, "kernel_size": 4, "strides": 3, "padding": "same"}, (2, 10, 3), (2, 4, 2)),
    ({"filters": 2, "kernel_size": 3, "padding": "causal", "dilation_rate": 2}, (2, 9, 3), (2, 9, 2)),
    ({"filters": 2, "kernel_size": 3, "padding": "causal", "strides": 2}, (2, 9, 3), (2, 5, 2)),
    ({"filters": 6, "kernel_size": 2, "groups": 3}, (1, 5, 6), (1, 4, 6)),
    ({"filters": 3, "kernel_size": 2, "dilation_rate": 3}, (2, 9, 2), (2, 6, 3)),
    ({"filters": 3, "kernel_size": 3, "padding": "same", "data_format": "channels_first"}, (2, 2, 7), (2, 3, 7)),
]


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_common_checks(kwargs, shape, out_shape):
    run_layer_test(keras.layers.Conv1D, kwargs, input_shape=shape, expected_output_shape=out_shape,
                   expected_num_trainable_weights=2)


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_matches_float64_reference(kwargs, shape, out_shape):
    layer = keras.layers.Conv1D(**kwargs, bias_initializer="random_normal", dtype="float64")
    x = torch.randn(shape, dtype=torch.float64)
    out = layer(x)
    expected = reference_conv(x, layer.kernel.detach(), layer.strides, layer.padding, layer.data_format,
                              layer.dilation_rate)
    np.testing.assert_allclose(out.detach().numpy(), with_bias(expected, layer), rtol=1e-10, atol=1e-10)
    assert layer.compute_output_shape((None,) + shape[1:]) == (None,) + out_shape[1:]


def test_causal_hand_computed():
    layer = keras.layers.Conv1D(1, 3, padding="causal", kernel_initializer="ones",
                                bias_initializer=keras.initializers.Constant(0.5))
    x = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0]).reshape(1, 5, 1)
    # output[t] = x[t-2] + x[t-1] + x[t] (zeros before the start) + 0.5
    np.testing.assert_allclose(layer(x)[0, :, 0].detach().numpy(), [1.5, 3.5, 6.5, 9.5, 12.5])
    dilated = keras.layers.Conv1D(1, 2, padding="causal", dilation_rate=2, kernel_initializer="ones", use_bias=False)
    # output[t] = x[t-2] + x[t]
    np.testing.assert_allclose(dilated(x)[0, :, 0].detach().numpy(), [1, 2, 4, 6, 8])


def test_causal_output_does_not_see_the_future():
    layer = keras.layers.Conv1D(2, 3, padding="causal", dilation_rate=2)
    x = torch.randn(1, 12, 3)
    changed = x.clone()
    changed[:, 7:] += 1.0
    torch.testing.assert_close(layer(x)[:, :7], layer(changed)[:, :7])
    assert not torch.allclose(layer(x)[:, 7], layer(changed)[:, 7])


def test_channels_last_output_is_dense():
    out = keras.layers.Conv1D(4, 3, padding="same")(torch.randn(2, 9, 3))
    assert out.is_contiguous()


@pytest.mark.parametrize("kwargs", [
    {"filters": 2, "kernel_size": 3, "padding": "causal", "dilation_rate": 2},
    {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same", "groups": 2},
    {"filters": 2, "kernel_size": 2, "data_format": "channels_first"},
], ids=case_id)
def test_gradients(kwargs):
    shape = (1, 2, 6) if kwargs.get("data_format") == "channels_first" else (1, 6, 2)
    check_layer_gradients(keras.layers.Conv1D(**kwargs, bias_initializer="random_normal"), torch.randn(shape))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [
    {"filters": 4, "kernel_size": 3},
    {"filters": 4, "kernel_size": 3, "strides": 2, "padding": "same"},
    {"filters": 3, "kernel_size": 4, "strides": 3, "padding": "same"},
    {"filters": 2, "kernel_size": 3, "padding": "causal"},
    {"filters": 2, "kernel_size": 3, "padding": "causal", "dilation_rate": 2},
    {"filters": 2, "kernel_size": 2, "padding": "causal", "strides": 2},
    {"filters": 3, "kernel_size": 2, "dilation_rate": 3, "padding": "same"},
    {"filters": 6, "kernel_size": 3, "groups": 3, "activation": "relu"},
    {"filters": 3, "kernel_size": 3, "strides": 2, "data_format": "channels_first"},
    {"filters": 3, "kernel_size": 3, "padding": "causal", "data_format": "channels_first"},
], ids=case_id)
def test_parity_with_keras(keras_oracle, kwargs):
    x = np.random.RandomState(1).randn(2, 11, 6).astype("float32")
    if kwargs.get("data_format") == "channels_first":
        x = np.ascontiguousarray(x.transpose(0, 2, 1))
    keras_parity(keras_oracle, "Conv1D", kwargs, x)


def test_invalid_arguments():
    with pytest.raises(ValueError, match="`Conv1D` argument `padding` must be one of 'valid', 'same', 'causal'"):
        keras.layers.Conv1D(2, 3, padding="full")
    with pytest.raises(ValueError, match="`Conv2D` argument `padding` must be one of 'valid', 'same';"):
        keras.layers.Conv2D(2, 3, padding="causal")
    with pytest.raises(ValueError, match="`Conv1D` argument `kernel_size` must be an integer or a tuple of 1"):
        keras.layers.Conv1D(2, (3, 3))
    with pytest.raises(ValueError, match=r"too small for kernel_size=\(5,\)"):
        keras.layers.Conv1D(2, 5)(torch.zeros(1, 4, 2))
