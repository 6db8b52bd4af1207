"""Conv1DTranspose: Keras's output lengths, hand-computed values (TensorFlow's cropping), the float64
reference, gradients, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test
from tests.layers.convolutional.conftest import case_id, keras_parity, reference_conv_transpose, with_bias

CASES = [
    ({"filters": 2, "kernel_size": 3}, (2, 5, 3), (2, 7, 2)),
    ({"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, (2, 5, 3), (2, 10, 2)),
    ({"filters": 2, "kernel_size": 2, "strides": 3}, (2, 5, 3), (2, 15, 2)),  # max(kernel, stride)
    ({"filters": 2, "kernel_size": 5, "strides": 2, "padding": "same", "output_padding": 1}, (2, 5, 3), (2, 10, 2)),
    ({"filters": 2, "kernel_size": 4, "strides": 3, "padding": "same", "output_padding": 2}, (2, 5, 3), (2, 14, 2)),
    ({"filters": 2, "kernel_size": 3, "strides": 2, "output_padding": 1}, (2, 5, 3), (2, 12, 2)),
    ({"filters": 2, "kernel_size": 3, "dilation_rate": 2, "padding": "same"}, (2, 5, 3), (2, 5, 2)),
    ({"filters": 3, "kernel_size": 3, "strides": 2, "data_format": "channels_first"}, (2, 2, 5), (2, 3, 11)),
]


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_common_checks(kwargs, shape, out_shape):
    run_layer_test(keras.layers.Conv1DTranspose, kwargs, input_shape=shape, expected_output_shape=out_shape,
                   expected_num_trainable_weights=2)


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_matches_float64_reference(kwargs, shape, out_shape):
    layer = keras.layers.Conv1DTranspose(**kwargs, bias_initializer="random_normal", dtype="float64")
    x = torch.randn(shape, dtype=torch.float64)
    out = layer(x)
    expected = reference_conv_transpose(x, layer.kernel.detach(), layer.strides, layer.padding,
                                        layer.output_padding, layer.data_format, layer.dilation_rate)
    np.testing.assert_allclose(out.detach().numpy(), with_bias(expected, layer), rtol=1e-10, atol=1e-10)
    assert layer.compute_output_shape((None,) + shape[1:]) == (None,) + out_shape[1:]


def _layer(**kwargs):
    layer = keras.layers.Conv1DTranspose(1, 3, use_bias=False, **kwargs)
    layer(torch.zeros(1, 2, 1))
    layer.set_weights([np.array([1.0, 10.0, 100.0]).reshape(3, 1, 1)])
    return layer


def test_hand_computed_same_crops_the_odd_element_at_the_end():
    x = torch.tensor([1.0, 2.0]).reshape(1, 2, 1)
    # full output: x0 * [1, 10, 100] at 0..2 plus x1 * [1, 10, 100] at 2..4 = [1, 10, 102, 20, 200]
    np.testing.assert_allclose(_layer(strides=2)(x)[0, :, 0].detach().numpy(), [1, 10, 102, 20, 200])
    # "same": 2 * 2 = 4 positions; TensorFlow crops 0 at the start and 1 at the end (torch's usual
    # padding=1, output_padding=1 would give [10, 102, 20, 200])
    np.testing.assert_allclose(_layer(strides=2, padding="same")(x)[0, :, 0].detach().numpy(), [1, 10, 102, 20])
    # stride 1 "same": one position cropped at each end
    np.testing.assert_allclose(_layer(padding="same")(x)[0, :, 0].detach().numpy(), [12, 120])
    # "valid" with output_padding=1 and stride 2: one extra (zero) position at the end
    out = _layer(strides=2, output_padding=1)(x)[0, :, 0]
    np.testing.assert_allclose(out.detach().numpy(), [1, 10, 102, 20, 200, 0])


@pytest.mark.parametrize("kwargs", [
    {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"},
    {"filters": 2, "kernel_size": 2, "strides": 3, "output_padding": 1},
    {"filters": 2, "kernel_size": 3, "dilation_rate": 2, "data_format": "channels_first"},
], ids=case_id)
def test_gradients(kwargs):
    shape = (1, 2, 4) if kwargs.get("data_format") == "channels_first" else (1, 4, 2)
    check_layer_gradients(keras.layers.Conv1DTranspose(**kwargs, bias_initializer="random_normal"),
                          torch.randn(shape))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [
    {"filters": 3, "kernel_size": 3},
    {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"},
    {"filters": 3, "kernel_size": 4, "strides": 2, "padding": "same"},
    {"filters": 3, "kernel_size": 2, "strides": 3},
    {"filters": 3, "kernel_size": 5, "strides": 3, "padding": "same", "output_padding": 2},
    {"filters": 3, "kernel_size": 3, "strides": 2, "output_padding": 1},
    {"filters": 2, "kernel_size": 3, "dilation_rate": 2, "padding": "same"},
    {"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same", "data_format": "channels_first"},
], ids=case_id)
def test_parity_with_keras(keras_oracle, kwargs):
    x = np.random.RandomState(0).randn(2, 7, 4).astype("float32")
    if kwargs.get("data_format") == "channels_first":
        x = np.ascontiguousarray(x.transpose(0, 2, 1))
    keras_parity(keras_oracle, "Conv1DTranspose", kwargs, x)


def test_invalid_arguments():
    with pytest.raises(ValueError, match="`Conv1DTranspose` argument `output_padding` must be strictly less than "
                                         r"`strides` on every axis; received output_padding=\(2,\), strides=\(2,\)"):
        keras.layers.Conv1DTranspose(2, 3, strides=2, output_padding=2)
    with pytest.raises(ValueError, match="`Conv1DTranspose` argument `padding` must be one of 'valid', 'same'"):
        keras.layers.Conv1DTranspose(2, 3, padding="causal")
    with pytest.raises(ValueError, match="cannot be combined with `dilation_rate`"):
        keras.layers.Conv1DTranspose(2, 3, strides=2, dilation_rate=2)
