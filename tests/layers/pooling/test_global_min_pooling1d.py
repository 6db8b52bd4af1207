"""GlobalMinPooling1D (not in Keras): hand-computed minima, -GlobalMaxPooling1D(-x), shapes, gradients."""

import numpy as np
import pytest
import torch

import layerwise as keras
from tests.layers.pooling.checks import (GLOBAL_GRADIENT_CASES, GLOBAL_SHAPE_CASES,
                                         check_global_alias_defaults_and_config, check_global_hand_computed,
                                         check_global_matches_numpy, check_global_output_shapes,
                                         check_gradients_float64, check_min_equals_negated_max,
                                         check_min_matches_negated_keras_max, global_gradient_shape, random_input)

LAYER = keras.layers.GlobalMinPooling1D
RANK = 1
X = torch.tensor([[[1.0, 9.0], [5.0, 2.0], [3.0, 4.0]]])  # (batch 1, 3 steps, 2 features)
SHAPE_CASES = GLOBAL_SHAPE_CASES[RANK]


@pytest.mark.parametrize("data_format,expected", [
    ("channels_last", [[1, 2]]),
    ("channels_first", [[1, 2, 3]]),
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
    check_min_equals_negated_max(LAYER, keras.layers.GlobalMaxPooling1D, kwargs, torch.randn(input_shape))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs,input_shape,shape", SHAPE_CASES)
def test_parity_with_minus_keras_global_max_pooling(keras_oracle, kwargs, input_shape, shape):
    x = random_input(input_shape, seed=1)
    check_min_matches_negated_keras_max(keras_oracle, "GlobalMaxPooling1D", LAYER, kwargs, x)


@pytest.mark.parametrize("kwargs", GLOBAL_GRADIENT_CASES)
def test_gradients_float64(kwargs):
    check_gradients_float64(LAYER, kwargs, global_gradient_shape(RANK), move_channels=False)


def test_alias_defaults_and_config():
    check_global_alias_defaults_and_config(keras.layers.GlobalMinPool1D, LAYER)
