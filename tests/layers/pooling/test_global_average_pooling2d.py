"""GlobalAveragePooling2D: hand-computed means, shapes with keepdims and channels_first, Keras parity,
gradients."""

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

LAYER = keras.layers.GlobalAveragePooling2D
RANK = 2
X = torch.arange(12.0).reshape(1, 2, 2, 3)  # channels-last: 3 channels; channels-first: 2 channels of 2 x 3
SHAPE_CASES = GLOBAL_SHAPE_CASES[RANK]


@pytest.mark.parametrize("data_format,expected", [
    ("channels_last", [[4.5, 5.5, 6.5]]),
    ("channels_first", [[2.5, 8.5]]),
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
    check_keras_parity(keras_oracle, "GlobalAveragePooling2D", LAYER, kwargs, random_input(input_shape, seed=1))


def test_integer_input_is_averaged_as_floats():
    check_global_average_of_integers_is_float(LAYER, RANK)


@pytest.mark.parametrize("kwargs", GLOBAL_GRADIENT_CASES)
def test_gradients_float64(kwargs):
    check_gradients_float64(LAYER, kwargs, global_gradient_shape(RANK), move_channels=False)


def test_alias_defaults_and_config():
    check_global_alias_defaults_and_config(keras.layers.GlobalAvgPool2D, LAYER)
