"""GlobalMinPooling3D (not in Keras): hand-computed minima, -GlobalMaxPooling3D(-x), shapes, gradients."""

import numpy as np
import pytest
import torch

import layerwise as keras
from tests.layers.pooling.checks import (GLOBAL_GRADIENT_CASES, GLOBAL_SHAPE_CASES,
                                         check_global_alias_defaults_and_config, check_global_hand_computed,
                                         check_global_matches_numpy, check_global_output_shapes,
                                         check_gradients_float64, check_min_equals_negated_max,
                                         check_min_matches_negated_keras_max, global_gradient_shape, random_input)

LAYER = keras.layers.GlobalMinPooling3D
RANK = 3
X = torch.arange(16.0).reshape(1, 2, 2, 2, 2)  # channels-last: channel = value % 2; channels-first: 2 blocks of 8
SHAPE_CASES = GLOBAL_SHAPE_CASES[RANK]


@pytest.mark.parametrize("data_format,expected", [
    ("channels_last", [[0, 1]]),
    ("channels_first", [[0, 8]]),
])
def test_common_checks_and_hand_computed_values(data_format, expected):
    check_global_hand_computed(LAYER, data_format, X, expected)


@pytest.mark.parametrize("kwargs,input_shape,shape", SHAPE_CASES)
def test_output_shapes(kwargs, input_shape, shape):
    check_global_output_shapes(LAYER, kwargs, input_shape, shape)


@pytest.mark.parametrize("kwargs,input_shape,shape", SHAPE_CASES)
def test_matches_numpy(kwargs, input_shape, shape):
    check_global_matches_numpy(LAYER, np.amin, kwargs, input_shape)


@pytest.mark.parametrize("kwargs,input_shape,shape", SHAPE_CASES)
def test_equals_minus_global_max_pooling_of_minus_x(kwargs, input_shape, shape):
    check_min_equals_negated_max(LAYER, keras.layers.GlobalMaxPooling3D, kwargs, torch.randn(input_shape))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs,input_shape,shape", SHAPE_CASES)
def test_parity_with_minus_keras_global_max_pooling(keras_oracle, kwargs, input_shape, shape):
    x = random_input(input_shape, seed=1)
    check_min_matches_negated_keras_max(keras_oracle, "GlobalMaxPooling3D", LAYER, kwargs, x)


@pytest.mark.parametrize("kwargs", GLOBAL_GRADIENT_CASES)
def test_gradients_float64(kwargs):
    check_gradients_float64(LAYER, kwargs, global_gradient_shape(RANK), move_channels=False)


def test_alias_defaults_and_config():
    check_global_alias_defaults_and_config(keras.layers.GlobalMinPool3D, LAYER)
