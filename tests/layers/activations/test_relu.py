"""``ReLU``: hand-computed outputs for each option, gradients, config, errors, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test

X = torch.tensor([[-10.0, -5.0, 0.0, 0.5, 5.0, 10.0]])


@pytest.mark.parametrize("kwargs,expected", [
    ({}, [0.0, 0.0, 0.0, 0.5, 5.0, 10.0]),
    ({"max_value": 6.0}, [0.0, 0.0, 0.0, 0.5, 5.0, 6.0]),
    ({"negative_slope": 0.5}, [-5.0, -2.5, 0.0, 0.5, 5.0, 10.0]),
    ({"threshold": 5.0}, [0.0, 0.0, 0.0, 0.0, 0.0, 10.0]),
    # below threshold: slope * (x - threshold); capped at max_value
    ({"negative_slope": 0.5, "threshold": 1.0, "max_value": 8.0}, [-5.5, -3.0, -0.5, -0.25, 5.0, 8.0]),
    ({"max_value": 0.0}, [0.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
])
def test_outputs(kwargs, expected):
    out = run_layer_test(keras.layers.ReLU, kwargs, input_data=X, expected_output=[expected],
                         expected_num_trainable_weights=0, supports_masking=True)
    assert out.dtype == torch.float32


@pytest.mark.parametrize("kwargs", [{}, {"negative_slope": 0.2, "max_value": 1.5, "threshold": 0.3}])
def test_gradients(kwargs):
    # dtype="float64": a layer without weights keeps its policy through `.double()`.
    check_layer_gradients(keras.layers.ReLU(**kwargs, dtype="float64"), torch.randn(4, 5))


@pytest.mark.parametrize("arg,value,expected", [
    ("max_value", -1.0, r"\[0, inf\]"), ("negative_slope", -0.1, r"\[0, inf\]"), ("threshold", -2.0, r"\[0, inf\]"),
    ("negative_slope", None, r"\[0, inf\]"), ("threshold", "1", r"\[0, inf\]"),
])
def test_bad_arguments_are_refused_before_a_name_is_taken(arg, value, expected):
    with pytest.raises(ValueError, match=rf"`ReLU` argument `{arg}` must be a number in {expected}; received {arg}="):
        keras.layers.ReLU(**{arg: value})
    assert keras.layers.ReLU().name == "re_lu"


def test_config():
    config = keras.layers.ReLU(max_value=6.0, negative_slope=0.1, threshold=0.5).get_config()
    assert (config["max_value"], config["negative_slope"], config["threshold"]) == (6.0, 0.1, 0.5)
    assert keras.layers.ReLU.from_config(config).get_config() == config


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [{}, {"max_value": 6.0}, {"max_value": 2.0, "negative_slope": 0.3},
                                    {"threshold": 1.0, "negative_slope": 0.1}, {"threshold": 0.5, "max_value": 3.0}])
def test_parity_with_keras(keras_oracle, kwargs):
    x = (np.random.RandomState(0).randn(5, 7) * 4).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(keras_oracle.layers.ReLU(**kwargs)(x))
    np.testing.assert_allclose(keras.layers.ReLU(**kwargs)(x).numpy(), expected, rtol=1e-6, atol=1e-7)
    assert set(keras_oracle.layers.ReLU(**kwargs).get_config()) <= set(keras.layers.ReLU(**kwargs).get_config())
