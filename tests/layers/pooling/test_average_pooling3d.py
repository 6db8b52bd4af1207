"""AveragePooling3D: hand-computed means ("same" padding divides by the real inputs), shapes, the
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

LAYER = keras.layers.AveragePooling3D
RANK = 3
X = torch.arange(27.0).reshape(1, 3, 3, 3, 1)  # value at (a, b, c) = 9a + 3b + c


@pytest.mark.parametrize("kwargs,expected", [
    ({}, [[[6.5]]]),
    ({"strides": 1}, [[[6.5, 7.5], [9.5, 10.5]], [[15.5, 16.5], [18.5, 19.5]]]),
    ({"padding": "same"}, [[[6.5, 8], [11, 12.5]], [[20, 21.5], [24.5, 26]]]),
    ({"pool_size": (3, 1, 3), "strides": (1, 2, 1)}, [[[10], [16]]]),
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
    check_keras_parity(keras_oracle, "AveragePooling3D", LAYER, kwargs, layer_input(RANK, kwargs),
                       keras_kwargs={"pool_size": 2})


def test_same_padding_divides_by_the_real_inputs():
    check_average_same_padding_divides_by_the_real_inputs(LAYER, RANK)


def test_integer_input_is_averaged_as_floats():
    check_average_of_integers_is_float(LAYER, RANK)


@pytest.mark.parametrize("kwargs", GRADIENT_CASES[RANK], ids=case_id)
def test_gradients_float64(kwargs):
    check_gradients_float64(LAYER, kwargs, GRADIENT_SHAPES[RANK])


def test_alias_defaults_and_config():
    check_alias_defaults_and_config(keras.layers.AvgPool3D, LAYER, RANK)
