"""``Activation``: every built-in name against its float64 formula, callables, gradients, masking,
config, and Keras parity."""

import math

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


_ERF = np.vectorize(math.erf)
REFERENCES = {
    "relu": lambda x: np.maximum(x, 0),
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
    "softmax": lambda x: np.exp(x) / np.exp(x).sum(-1, keepdims=True),
    "log_softmax": lambda x: x - np.log(np.exp(x).sum(-1, keepdims=True)),
    "linear": lambda x: x,
    "elu": lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))),
    "gelu": lambda x: 0.5 * x * (1 + _ERF(x / np.sqrt(2))),
    "swish": lambda x: x * _sigmoid(x),
    "hard_sigmoid": lambda x: np.clip(x / 6 + 0.5, 0, 1),
    "leaky_relu": lambda x: np.where(x > 0, x, 0.2 * x),
    "softplus": lambda x: np.log1p(np.exp(x)),
    "threshold": lambda x: (x >= 0).astype(np.float64),
    "bru": lambda x: np.where(x >= 0, np.sqrt(4 * np.maximum(x, 0) + 1), np.exp(2 * np.minimum(x, 0))) - 0.5,
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_activation_layer_matches_formula(name):
    x = np.random.RandomState(0).randn(3, 4) * 3
    out = run_layer_test(keras.layers.Activation, {"activation": name}, input_data=torch.tensor(x, dtype=torch.float32),
                         expected_output_shape=(3, 4), expected_num_trainable_weights=0, supports_masking=True)
    np.testing.assert_allclose(out.detach().numpy(), REFERENCES[name](x), rtol=1e-5, atol=1e-6)
    layer64 = keras.layers.Activation(name, dtype="float64")
    np.testing.assert_allclose(layer64(torch.tensor(x)).numpy(), REFERENCES[name](x), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", ["relu", "sigmoid", "softmax", "gelu", "bru", "selu", "mish"])
def test_gradients(name):
    check_layer_gradients(keras.layers.Activation(name, dtype="float64"), torch.randn(3, 4))


def test_callable_activation():
    layer = keras.layers.Activation(lambda x: x * 3)
    assert layer(torch.tensor([[2.0]])).tolist() == [[6.0]]
    assert keras.layers.Activation(keras.activations.bru).get_config()["activation"] == "bru"


def test_mask_passes_through():
    x = torch.ones(2, 3)
    x._keras_mask = torch.tensor([True, False])
    assert keras.layers.Activation("tanh")(x)._keras_mask.tolist() == [True, False]


def test_unknown_activation_lists_close_names_and_takes_no_name():
    with pytest.raises(ValueError, match=r"Unknown activation: 'rellu'. Did you mean: 'relu'"):
        keras.layers.Activation("rellu")
    assert keras.layers.Activation("relu").name == "activation"


@pytest.mark.keras_oracle
@pytest.mark.parametrize("name", ["relu", "gelu", "hard_silu", "softmax", "log_softmax", "selu", "mish", "celu"])
def test_parity_with_keras(keras_oracle, name):
    x = (np.random.RandomState(0).randn(4, 5) * 3).astype("float32")
    k_layer = keras_oracle.layers.Activation(name)
    expected = keras_oracle.ops.convert_to_numpy(k_layer(x))
    layer = keras.layers.Activation(name)
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-6, atol=1e-7)
    assert k_layer.get_config()["activation"] == layer.get_config()["activation"]
