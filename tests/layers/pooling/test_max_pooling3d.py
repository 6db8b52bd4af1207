"""MaxPooling3D: hand-computed maxima, shapes, the float64 reference, Keras parity, gradients."""

import pytest
import torch

import layerwise as keras
from tests.layers.pooling.checks import (GRADIENT_CASES, GRADIENT_SHAPES, check_alias_defaults_and_config,
                                         check_gradients_float64, check_hand_computed, check_keras_parity,
                                         check_matches_reference, check_max_same_padding_never_takes_the_padding,
                                         check_output_shapes)
from tests.layers.pooling.conftest import CASES, CONFIGS, case_id, layer_input

LAYER = keras.layers.MaxPooling3D
RANK = 3
X = torch.arange(27.0).reshape(1, 3, 3, 3, 1)  # value at (a, b, c) = 9a + 3b + c


@pytest.mark.parametrize("kwargs,expected", [
    ({}, [[[13]]]),
    ({"strides": 1}, [[[13, 14], [16, 17]], [[22, 23], [25, 26]]]),
    ({"padding": "same"}, [[[13, 14], [16, 17]], [[22, 23], [25, 26]]]),
    ({"pool_size": (3, 1, 3), "strides": (1, 2, 1)}, [[[20], [26]]]),
])
def test_common_checks_and_hand_computed_values(kwargs, expected):
    check_hand_computed(LAYER, kwargs, X, expected)


@pytest.mark.parametrize("kwargs,shape", CASES[RANK], ids=[case_id(k) for k, _ in CASES[RANK]])
def test_output_shapes(kwargs, shape):
    check_output_shapes(LAYER, RANK, kwargs, shape)


@pytest.mark.parametrize("kwargs", CONFIGS[RANK], ids=case_id)
def test_matches_float64_reference(kwargs):
    check_matches_reference(LAYER, "max", RANK, kwargs)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", CONFIGS[RANK], ids=case_id)
def test_parity_with_keras(keras_oracle, kwargs):
    check_keras_parity(keras_oracle, "MaxPooling3D", LAYER, kwargs, layer_input(RANK, kwargs), exact=True)


def test_same_padding_never_takes_the_padding():
    check_max_same_padding_never_takes_the_padding(LAYER, RANK)


@pytest.mark.parametrize("kwargs", GRADIENT_CASES[RANK], ids=case_id)
def test_gradients_float64(kwargs):
    check_gradients_float64(LAYER, kwargs, GRADIENT_SHAPES[RANK])


def test_alias_defaults_and_config():
    check_alias_defaults_and_config(keras.layers.MaxPool3D, LAYER, RANK)
