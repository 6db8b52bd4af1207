"""MinPooling1D (not in Keras): hand-computed minima, -MaxPooling1D(-x), shapes, the float64
reference, gradients."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test
from tests.layers.pooling.conftest import CASES, CONFIGS, SHAPES, case_id, layer_input, reference_pool, to_torch

X = torch.tensor([[[1.0], [5.0], [2.0], [4.0], [3.0]]])  # (batch 1, 5 steps, 1 feature)


@pytest.mark.parametrize("kwargs,expected", [
    ({}, [1, 2]),
    ({"padding": "same"}, [1, 2, 3]),
    ({"pool_size": 3, "strides": 1}, [1, 2, 2]),
    ({"pool_size": 2, "strides": 1, "padding": "same"}, [1, 2, 2, 3, 3]),
    ({"pool_size": 4, "strides": 1, "padding": "same"}, [1, 1, 2, 2, 3]),
    ({"pool_size": 3, "strides": 2, "padding": "same"}, [1, 2, 3]),
])
def test_common_checks_and_hand_computed_values(kwargs, expected):
    expected = np.asarray(expected, np.float32)[None, ..., None]
    out = run_layer_test(keras.layers.MinPooling1D, kwargs, input_data=X, expected_output_shape=expected.shape,
                         expected_output=expected, expected_num_trainable_weights=0,
                         expected_num_non_trainable_weights=0, supports_masking=False)
    assert out.dtype == torch.float32


@pytest.mark.parametrize("kwargs,shape", CASES[1], ids=[case_id(k) for k, _ in CASES[1]])
def test_output_shapes(kwargs, shape):
    layer = keras.layers.MinPooling1D(**kwargs)
    assert tuple(layer(to_torch(layer_input(1, kwargs))).shape) == shape
    input_shape = layer_input(1, kwargs).shape
    assert layer.compute_output_shape((None,) + input_shape[1:]) == (None,) + shape[1:]
    channels_first = kwargs.get("data_format") == "channels_first"
    unknown = (None, 3, None) if channels_first else (None, None, 3)
    assert layer.compute_output_shape(unknown) == unknown


@pytest.mark.parametrize("kwargs", CONFIGS[1], ids=case_id)
def test_matches_float64_reference(kwargs):
    x = layer_input(1, kwargs)
    ours = keras.layers.MinPooling1D(**kwargs)(to_torch(x)).numpy()
    np.testing.assert_allclose(ours, reference_pool(x, "min", **kwargs), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kwargs", CONFIGS[1], ids=case_id)
def test_equals_minus_max_pooling_of_minus_x(kwargs):
    x = to_torch(layer_input(1, kwargs))
    torch.testing.assert_close(keras.layers.MinPooling1D(**kwargs)(x), -keras.layers.MaxPooling1D(**kwargs)(-x))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", CONFIGS[1], ids=case_id)
def test_parity_with_minus_keras_max_pooling(keras_oracle, kwargs):
    x = layer_input(1, kwargs)
    expected = -keras_oracle.ops.convert_to_numpy(keras_oracle.layers.MaxPooling1D(**kwargs)(-x))
    np.testing.assert_array_equal(keras.layers.MinPooling1D(**kwargs)(to_torch(x)).numpy(), expected)


def test_same_padding_never_takes_zero_from_the_padding():
    x = torch.rand((1,) + SHAPES[1][1:]) + 1.0  # every value above 1
    assert float(keras.layers.MinPooling1D(3, strides=2, padding="same")(x).min()) > 1.0


def test_integer_inputs_keep_their_dtype_and_extremes():
    info = torch.iinfo(torch.int64)
    x = torch.full((1, 4, 1), info.max, dtype=torch.int64)
    x.view(-1)[0] = info.min
    out = keras.layers.MinPooling1D(2)(x)
    assert out.dtype == torch.int64 and int(out.view(-1)[0]) == info.min and int(out.view(-1)[-1]) == info.max


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
    check_layer_gradients(keras.layers.MinPooling1D(**kwargs, dtype="float64"), x)


def test_alias_defaults_and_config():
    assert keras.layers.MinPool1D is keras.layers.MinPooling1D
    config = keras.layers.MinPooling1D().get_config()
    assert config["pool_size"] == config["strides"] == [2]
    assert (config["padding"], config["data_format"]) == ("valid", "channels_last")
    config = keras.layers.MinPooling1D(3, strides=1, padding="SAME", data_format="channels_first").get_config()
    assert (config["pool_size"], config["strides"], config["padding"]) == ([3], [1], "same")
    revived = keras.layers.MinPooling1D.from_config(config)
    assert revived.get_config() == config and revived.data_format == "channels_first"
