"""Conv3DTranspose: output sizes, hand-computed values, the float64 reference, gradients, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test
from tests.layers.convolutional.conftest import case_id, keras_parity, reference_conv_transpose, with_bias

CASES = [
    ({"filters": 2, "kernel_size": 2}, (1, 2, 3, 4, 3), (1, 3, 4, 5, 2)),
    ({"filters": 2, "kernel_size": 3, "strides": 2, "padding": "same"}, (1, 2, 3, 4, 3), (1, 4, 6, 8, 2)),
    ({"filters": 2, "kernel_size": (1, 2, 3), "strides": (1, 2, 2), "output_padding": (0, 1, 1)},
     (1, 2, 3, 2, 3), (1, 2, 7, 6, 2)),
    ({"filters": 2, "kernel_size": 2, "strides": 2, "data_format": "channels_first"}, (1, 3, 2, 2, 3),
     (1, 2, 4, 4, 6)),
]


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_common_checks(kwargs, shape, out_shape):
    run_layer_test(keras.layers.Conv3DTranspose, kwargs, input_shape=shape, expected_output_shape=out_shape,
                   expected_num_trainable_weights=2)


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_matches_float64_reference(kwargs, shape, out_shape):
    layer = keras.layers.Conv3DTranspose(**kwargs, bias_initializer="random_normal", dtype="float64")
    x = torch.randn(shape, dtype=torch.float64)
    out = layer(x)
    expected = reference_conv_transpose(x, layer.kernel.detach(), layer.strides, layer.padding,
                                        layer.output_padding, layer.data_format, layer.dilation_rate)
    np.testing.assert_allclose(out.detach().numpy(), with_bias(expected, layer), rtol=1e-10, atol=1e-10)


def test_hand_computed_each_voxel_spreads_a_block():
    # a (2, 2, 2) kernel of ones with stride 2: every input voxel (summed over the 2 input channels)
    # fills its own 2x2x2 block of the output; the bias is added everywhere
    layer = keras.layers.Conv3DTranspose(1, 2, strides=2, kernel_initializer="ones",
                                         bias_initializer=keras.initializers.Constant(0.5))
    x = torch.tensor([[1.0, 2.0], [10.0, 20.0]]).reshape(1, 1, 1, 2, 2)  # w = 0: (1, 2), w = 1: (10, 20)
    out = layer(x)
    assert tuple(out.shape) == (1, 2, 2, 4, 1) and tuple(layer.kernel.shape) == (2, 2, 2, 1, 2)
    np.testing.assert_allclose(out[0, :, :, :, 0].detach().numpy(), np.broadcast_to([3.5, 3.5, 30.5, 30.5], (2, 2, 4)))
    # stride 1: the blocks overlap along w; the middle column gets both voxels
    overlap = keras.layers.Conv3DTranspose(1, 2, kernel_initializer="ones", use_bias=False)(x)
    np.testing.assert_allclose(overlap[0, :, :, :, 0].detach().numpy(), np.broadcast_to([3, 33, 30], (2, 2, 3)))


def test_gradients():
    check_layer_gradients(keras.layers.Conv3DTranspose(2, 2, strides=2, padding="same",
                                                       bias_initializer="random_normal"), torch.randn(1, 2, 2, 1, 2))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [
    {"filters": 3, "kernel_size": 2},
    {"filters": 3, "kernel_size": 3, "strides": 2, "padding": "same"},
    {"filters": 2, "kernel_size": (1, 2, 3), "strides": (1, 2, 3), "output_padding": (0, 1, 2)},
    {"filters": 2, "kernel_size": 3, "strides": (2, 1, 2), "padding": "same", "data_format": "channels_first"},
], ids=case_id)
def test_parity_with_keras(keras_oracle, kwargs):
    x = np.random.RandomState(0).randn(2, 3, 4, 5, 2).astype("float32")
    if kwargs.get("data_format") == "channels_first":
        x = np.ascontiguousarray(np.moveaxis(x, -1, 1))
    keras_parity(keras_oracle, "Conv3DTranspose", kwargs, x)
