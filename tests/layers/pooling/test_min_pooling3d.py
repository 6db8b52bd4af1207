"""MinPooling3D (not in Keras): hand-computed minima, -MaxPooling3D(-x), shapes, the float64
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

LAYER = keras.layers.MinPooling3D
RANK = 3
X = torch.arange(27.0).reshape(1, 3, 3, 3, 1)  # value at (a, b, c) = 9a + 3b + c


@pytest.mark.parametrize("kwargs,expected", [
    ({}, [[[0]]]),
    ({"strides": 1}, [[[0, 1], [3, 4]], [[9, 10], [12, 13]]]),
    ({"padding": "same"}, [[[0, 2], [6, 8]], [[18, 20], [24, 26]]]),
    ({"pool_size": (3, 1, 3), "strides": (1, 2, 1)}, [[[0], [6]]]),
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
    check_min_equals_negated_max(LAYER, keras.layers.MaxPooling3D, kwargs, to_torch(layer_input(RANK, kwargs)))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", CONFIGS[RANK], ids=case_id)
def test_parity_with_minus_keras_max_pooling(keras_oracle, kwargs):
    check_min_matches_negated_keras_max(keras_oracle, "MaxPooling3D", LAYER, kwargs, layer_input(RANK, kwargs))


def test_same_padding_never_takes_zero_from_the_padding():
    check_min_same_padding_never_takes_the_padding(LAYER, RANK)


def test_integer_inputs_keep_their_dtype_and_extremes():
    check_min_integer_inputs_keep_dtype_and_extremes(LAYER, RANK)


@pytest.mark.parametrize("kwargs", GRADIENT_CASES[RANK], ids=case_id)
def test_gradients_float64(kwargs):
    check_gradients_float64(LAYER, kwargs, GRADIENT_SHAPES[RANK])


def test_alias_defaults_and_config():
    check_alias_defaults_and_config(keras.layers.MinPool3D, LAYER, RANK)
