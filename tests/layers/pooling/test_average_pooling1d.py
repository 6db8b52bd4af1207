"""AveragePooling1D: hand-computed means ("same" padding divides by the real inputs), shapes, the
float64 reference, Keras parity, gradients."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test
from tests.layers.pooling.conftest import (CASES, CONFIGS, SHAPES, case_id, has_asymmetric_padding, layer_input,
                                           reference_pool, to_torch)

X = torch.tensor([[[1.0], [2.0], [6.0], [4.0], [3.0]]])  # (batch 1, 5 steps, 1 feature)


@pytest.mark.parametrize("kwargs,expected", [
    ({}, [1.5, 5]),
    ({"padding": "same"}, [1.5, 5, 3]),
    ({"pool_size": 3, "strides": 1}, [3, 4, 13 / 3]),
    ({"pool_size": 2, "strides": 1, "padding": "same"}, [1.5, 4, 5, 3.5, 3]),
    ({"pool_size": 4, "strides": 1, "padding": "same"}, [3, 3.25, 3.75, 13 / 3, 3.5]),
    ({"pool_size": 3, "strides": 2, "padding": "same"}, [1.5, 4, 3.5]),
])
def test_common_checks_and_hand_computed_values(kwargs, expected):
    expected = np.asarray(expected, np.float32)[None, ..., None]
    out = run_layer_test(keras.layers.AveragePooling1D, kwargs, input_data=X, expected_output_shape=expected.shape,
                         expected_output=expected, expected_num_trainable_weights=0,
                         expected_num_non_trainable_weights=0, supports_masking=False)
    assert out.dtype == torch.float32


@pytest.mark.parametrize("kwargs,shape", CASES[1], ids=[case_id(k) for k, _ in CASES[1]])
def test_output_shapes(kwargs, shape):
    layer = keras.layers.AveragePooling1D(**kwargs)
    assert tuple(layer(to_torch(layer_input(1, kwargs))).shape) == shape
    input_shape = layer_input(1, kwargs).shape
    assert layer.compute_output_shape((None,) + input_shape[1:]) == (None,) + shape[1:]
    channels_first = kwargs.get("data_format") == "channels_first"
    unknown = (None, 3, None) if channels_first else (None, None, 3)
    assert layer.compute_output_shape(unknown) == unknown


@pytest.mark.parametrize("kwargs", CONFIGS[1], ids=case_id)
def test_matches_float64_reference(kwargs):
    x = layer_input(1, kwargs)
    ours = keras.layers.AveragePooling1D(**kwargs)(to_torch(x)).numpy()
    np.testing.assert_allclose(ours, reference_pool(x, "average", **kwargs), rtol=1e-5, atol=1e-6)


# Keras's torch backend pads asymmetric "same" windows by replicating the edge (so an edge value is
# counted twice); its TensorFlow and JAX backends, the reference above and layerwise divide by the
# real inputs. Parity is therefore checked on the configurations whose padding is symmetric.
SYMMETRIC = [kwargs for kwargs in CONFIGS[1] if not has_asymmetric_padding(1, kwargs)]


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", SYMMETRIC, ids=case_id)
def test_parity_with_keras(keras_oracle, kwargs):
    x = layer_input(1, kwargs)
    # Keras 3 requires `pool_size` for average pooling; layerwise keeps Keras 2's default of 2.
    theirs = keras_oracle.layers.AveragePooling1D(**{"pool_size": 2, **kwargs})
    expected = keras_oracle.ops.convert_to_numpy(theirs(x))
    ours = keras.layers.AveragePooling1D(**kwargs)
    np.testing.assert_allclose(ours(to_torch(x)).numpy(), expected, rtol=1e-5, atol=1e-6)
    assert ours.compute_output_shape((None,) + x.shape[1:]) == (None,) + expected.shape[1:]


def test_same_padding_divides_by_the_real_inputs():
    layer = keras.layers.AveragePooling1D(3, strides=2, padding="same")
    x = torch.ones((1,) + SHAPES[1][1:])  # a divisor of 3 ** rank at the edges would give less than 1
    torch.testing.assert_close(layer(x), torch.ones(layer.compute_output_shape(x.shape)))


def test_integer_input_is_averaged_as_floats():
    out = keras.layers.AveragePooling1D(2)(torch.ones((1, 4, 1), dtype=torch.int64))
    assert out.dtype == torch.float32 and bool((out == 1).all())


GRADIENT_CASES = [
    {},
    {"pool_size": 4, "strides": 1, "padding": "same"},
    {"pool_size": 3, "strides": 2, "padding": "same", "data_format": "channels_first"},
]


@pytest.mark.parametrize("kwargs", GRADIENT_CASES, ids=case_id)
def test_gradients_float64(kwargs):
    x = torch.randn((2, 7, 2), dtype=torch.float64)
    if kwargs.get("data_format") == "channels_first":
        x = x.movedim(-1, 1)
    # A layer without weights keeps its float32 policy under .double(): ask for float64 explicitly.
    check_layer_gradients(keras.layers.AveragePooling1D(**kwargs, dtype="float64"), x)


def test_alias_defaults_and_config():
    assert keras.layers.AvgPool1D is keras.layers.AveragePooling1D
    config = keras.layers.AveragePooling1D().get_config()
    assert config["pool_size"] == config["strides"] == [2]
    assert (config["padding"], config["data_format"]) == ("valid", "channels_last")
    config = keras.layers.AveragePooling1D(3, strides=1, padding="SAME", data_format="channels_first").get_config()
    assert (config["pool_size"], config["strides"], config["padding"]) == ([3], [1], "same")
    revived = keras.layers.AveragePooling1D.from_config(config)
    assert revived.get_config() == config and revived.data_format == "channels_first"
