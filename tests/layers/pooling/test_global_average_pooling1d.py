"""GlobalAveragePooling1D: hand-computed means, shapes with keepdims and channels_first, Keras parity,
gradients, masks."""

import numpy as np
import pytest
import torch

import layerwise as keras
from tests.layers.pooling.checks import (GLOBAL_GRADIENT_CASES, GLOBAL_SHAPE_CASES,
                                         check_global_alias_defaults_and_config,
                                         check_global_average_of_integers_is_float, check_global_hand_computed,
                                         check_global_matches_numpy, check_global_output_shapes,
                                         check_gradients_float64, check_keras_parity, global_gradient_shape,
                                         random_input)

LAYER = keras.layers.GlobalAveragePooling1D
RANK = 1
X = torch.tensor([[[1.0, 9.0], [5.0, 2.0], [3.0, 4.0]]])  # (batch 1, 3 steps, 2 features)
SHAPE_CASES = GLOBAL_SHAPE_CASES[RANK]


@pytest.mark.parametrize("data_format,expected", [
    ("channels_last", [[3, 5]]),
    ("channels_first", [[5, 3.5, 3.5]]),
])
def test_common_checks_and_hand_computed_values(data_format, expected):
    check_global_hand_computed(LAYER, data_format, X, expected)


@pytest.mark.parametrize("kwargs,input_shape,shape", SHAPE_CASES)
def test_output_shapes(kwargs, input_shape, shape):
    check_global_output_shapes(LAYER, kwargs, input_shape, shape)


@pytest.mark.parametrize("kwargs,input_shape,shape", SHAPE_CASES)
def test_matches_numpy(kwargs, input_shape, shape):
    check_global_matches_numpy(LAYER, np.mean, kwargs, input_shape)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs,input_shape,shape", SHAPE_CASES)
def test_parity_with_keras(keras_oracle, kwargs, input_shape, shape):
    check_keras_parity(keras_oracle, "GlobalAveragePooling1D", LAYER, kwargs, random_input(input_shape, seed=1))


def test_integer_input_is_averaged_as_floats():
    check_global_average_of_integers_is_float(LAYER, RANK)


@pytest.mark.parametrize("kwargs", GLOBAL_GRADIENT_CASES)
def test_gradients_float64(kwargs):
    check_gradients_float64(LAYER, kwargs, global_gradient_shape(RANK), move_channels=False)


def test_alias_defaults_and_config():
    check_global_alias_defaults_and_config(keras.layers.GlobalAvgPool1D, LAYER)


# ---- masks (Keras: only GlobalAveragePooling1D takes one) ---------------------------------------
MASK = np.array([[1, 1, 0, 0, 1, 0, 1, 1, 1], [0, 1, 0, 1, 0, 1, 1, 1, 0]])


def test_mask_by_hand():
    layer = keras.layers.GlobalAveragePooling1D()
    torch.testing.assert_close(layer(X, mask=torch.tensor([[1, 0, 1]])), torch.tensor([[2.0, 6.5]]))
    torch.testing.assert_close(layer(X, mask=np.array([[True, False, True]])), torch.tensor([[2.0, 6.5]]))
    first = keras.layers.GlobalAveragePooling1D(data_format="channels_first", keepdims=True)
    out = first(X.transpose(1, 2), mask=torch.tensor([[True, False, True]]))
    assert out.shape == (1, 2, 1)
    torch.testing.assert_close(out.flatten(), torch.tensor([2.0, 6.5]))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
@pytest.mark.parametrize("keepdims", [False, True])
def test_mask_parity_with_keras(keras_oracle, data_format, keepdims):
    x = np.random.RandomState(2).randn(2, 9, 3).astype("float32")
    if data_format == "channels_first":
        x = np.ascontiguousarray(x.transpose(0, 2, 1))
    theirs = keras_oracle.layers.GlobalAveragePooling1D(data_format=data_format, keepdims=keepdims)
    expected = keras_oracle.ops.convert_to_numpy(theirs(x, mask=MASK))
    ours = keras.layers.GlobalAveragePooling1D(data_format=data_format, keepdims=keepdims)
    np.testing.assert_allclose(ours(torch.from_numpy(x), mask=torch.from_numpy(MASK)).numpy(), expected, rtol=1e-6)


def test_the_input_mask_is_used_and_not_passed_on():
    x = X.clone()
    x._keras_mask = torch.tensor([[True, False, True]])
    layer = keras.layers.GlobalAveragePooling1D()
    out = layer(x)
    torch.testing.assert_close(out, torch.tensor([[2.0, 6.5]]))
    assert layer.supports_masking and getattr(out, "_keras_mask", None) is None


def test_mask_from_masking_layer_in_a_model():
    inputs = keras.Input((3, 2))
    model = keras.Model(inputs, keras.layers.GlobalAveragePooling1D()(keras.layers.Masking(0.0)(inputs)))
    x = torch.tensor([[[1.0, 9.0], [0.0, 0.0], [3.0, 4.0]]])  # the zero step is masked
    torch.testing.assert_close(model(x), torch.tensor([[2.0, 6.5]]))


def test_masked_steps_get_no_gradient():
    x = torch.randn(2, 9, 3, requires_grad=True)
    keras.layers.GlobalAveragePooling1D()(x, mask=torch.from_numpy(MASK)).sum().backward()
    expected = MASK / MASK.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(x.grad.numpy(), np.repeat(expected[:, :, None], 3, axis=2), rtol=1e-6)


def test_a_fully_masked_row_gives_nan_as_in_keras():
    out = keras.layers.GlobalAveragePooling1D()(X, mask=torch.zeros(1, 3, dtype=torch.bool))
    assert bool(torch.isnan(out).all())


def test_a_mask_of_the_wrong_shape_is_refused():
    with pytest.raises(ValueError, match=r"GlobalAveragePooling1D.*mask of shape \(batch, steps\)"):
        keras.layers.GlobalAveragePooling1D()(X, mask=torch.ones(1, 4))
