"""MinPooling2D (not in Keras): hand-computed minima, -MaxPooling2D(-x), shapes, the float64
reference, gradients."""

import pytest
import torch

import layerwise as keras
from tests.layers.pooling.checks import (GRADIENT_CASES, GRADIENT_SHAPES, check_alias_defaults_and_config,
                                         check_gradients_float64, check_hand_computed, check_matches_reference,
                                         check_min_equals_negated_max, check_min_integer_inputs_keep_dtype_and_extremes,
                                         check_min_matches_negated_keras_max,
                                         check_min_same_padding_never_takes_the_padding, check_output_shapes)
from tests.layers.pooling.conftest import CASES, CONFIGS, case_id, layer_input, to_torch

LAYER = keras.layers.MinPooling2D
RANK = 2
X = torch.arange(16.0).reshape(1, 4, 4, 1)  # rows [0 1 2 3], [4 5 6 7], ...


@pytest.mark.parametrize("kwargs,expected", [
    ({}, [[0, 2], [8, 10]]),
    ({"pool_size": 3, "strides": 2, "padding": "same"}, [[0, 2], [8, 10]]),
    ({"pool_size": 3, "strides": 1}, [[0, 1], [4, 5]]),
    ({"pool_size": (1, 4)}, [[0], [4], [8], [12]]),
    ({"pool_size": 2, "strides": 1, "padding": "same"}, [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11], [12, 13, 14, 15]]),
])
def test_common_checks_and_hand_computed_values(kwargs, expected):
    check_hand_computed(LAYER, kwargs, X, expected)


@pytest.mark.parametrize("kwargs,shape", CASES[RANK], ids=[case_id(k) for k, _ in CASES[RANK]])
def test_output_shapes(kwargs, shape):
    check_output_shapes(LAYER, RANK, kwargs, shape)


@pytest.mark.parametrize("kwargs", CONFIGS[RANK], ids=case_id)
def test_matches_float64_reference(kwargs):
    check_matches_reference(LAYER, "min", RANK, kwargs)


@pytest.mark.parametrize("kwargs", CONFIGS[RANK], ids=case_id)
def test_equals_minus_max_pooling_of_minus_x(kwargs):
    check_min_equals_negated_max(LAYER, keras.layers.MaxPooling2D, kwargs, to_torch(layer_input(RANK, kwargs)))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", CONFIGS[RANK], ids=case_id)
def test_parity_with_minus_keras_max_pooling(keras_oracle, kwargs):
    check_min_matches_negated_keras_max(keras_oracle, "MaxPooling2D", LAYER, kwargs, layer_input(RANK, kwargs))


def test_same_padding_never_takes_zero_from_the_padding():
    check_min_same_padding_never_takes_the_padding(LAYER, RANK)


def test_integer_inputs_keep_their_dtype_and_extremes():
    check_min_integer_inputs_keep_dtype_and_extremes(LAYER, RANK)


@pytest.mark.parametrize("kwargs", GRADIENT_CASES[RANK], ids=case_id)
def test_gradients_float64(kwargs):
    check_gradients_float64(LAYER, kwargs, GRADIENT_SHAPES[RANK])


def test_alias_defaults_and_config():
    check_alias_defaults_and_config(keras.layers.MinPool2D, LAYER, RANK)
