"""AveragePooling2D: hand-computed means ("same" padding divides by the real inputs), shapes, the
float64 reference, Keras parity, gradients."""

import pytest
import torch

import layerwise as keras
from tests.layers.pooling.checks import (GRADIENT_CASES, GRADIENT_SHAPES, check_alias_defaults_and_config,
                                         check_average_of_integers_is_float,
                                         check_average_same_padding_divides_by_the_real_inputs, check_gradients_float64,
                                         check_hand_computed, check_keras_parity, check_matches_reference,
                                         check_output_shapes)
from tests.layers.pooling.conftest import CASES, CONFIGS, case_id, has_asymmetric_padding, layer_input

LAYER = keras.layers.AveragePooling2D
RANK = 2
X = torch.arange(16.0).reshape(1, 4, 4, 1)  # rows [0 1 2 3], [4 5 6 7], ...


@pytest.mark.parametrize("kwargs,expected", [
    ({}, [[2.5, 4.5], [10.5, 12.5]]),
    ({"pool_size": 3, "strides": 2, "padding": "same"}, [[5, 6.5], [11, 12.5]]),
    ({"pool_size": 3, "strides": 1}, [[5, 6], [9, 10]]),
    ({"pool_size": (1, 4)}, [[1.5], [5.5], [9.5], [13.5]]),
    ({"pool_size": 2, "strides": 1, "padding": "same"},
     [[2.5, 3.5, 4.5, 5], [6.5, 7.5, 8.5, 9], [10.5, 11.5, 12.5, 13], [12.5, 13.5, 14.5, 15]]),
])
def test_common_checks_and_hand_computed_values(kwargs, expected):
    check_hand_computed(LAYER, kwargs, X, expected)


@pytest.mark.parametrize("kwargs,shape", CASES[RANK], ids=[case_id(k) for k, _ in CASES[RANK]])
def test_output_shapes(kwargs, shape):
    check_output_shapes(LAYER, RANK, kwargs, shape)


@pytest.mark.parametrize("kwargs", CONFIGS[RANK], ids=case_id)
def test_matches_float64_reference(kwargs):
    check_matches_reference(LAYER, "average", RANK, kwargs)


# Keras's torch backend pads asymmetric "same" windows by replicating the edge (so an edge value is
# counted twice); its TensorFlow and JAX backends, the reference above and layerwise divide by the
# real inputs. Parity is therefore checked on the configurations whose padding is symmetric.
SYMMETRIC = [kwargs for kwargs in CONFIGS[RANK] if not has_asymmetric_padding(RANK, kwargs)]


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", SYMMETRIC, ids=case_id)
def test_parity_with_keras(keras_oracle, kwargs):
    # Keras 3 requires `pool_size` for average pooling; layerwise keeps Keras 2's default of 2.
    check_keras_parity(keras_oracle, "AveragePooling2D", LAYER, kwargs, layer_input(RANK, kwargs),
                       keras_kwargs={"pool_size": 2})


def test_same_padding_divides_by_the_real_inputs():
    check_average_same_padding_divides_by_the_real_inputs(LAYER, RANK)


def test_integer_input_is_averaged_as_floats():
    check_average_of_integers_is_float(LAYER, RANK)


@pytest.mark.parametrize("kwargs", GRADIENT_CASES[RANK], ids=case_id)
def test_gradients_float64(kwargs):
    check_gradients_float64(LAYER, kwargs, GRADIENT_SHAPES[RANK])


def test_alias_defaults_and_config():
    check_alias_defaults_and_config(keras.layers.AvgPool2D, LAYER, RANK)
