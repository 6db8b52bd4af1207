import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import run_layer_test


@pytest.mark.parametrize("name,reference", [
    ("relu", lambda x: np.maximum(x, 0)),
    ("sigmoid", lambda x: 1 / (1 + np.exp(-x))),
    ("tanh", np.tanh),
    ("softmax", lambda x: np.exp(x) / np.exp(x).sum(-1, keepdims=True)),
    ("linear", lambda x: x),
])
def test_activation_layer_matches_formula(name, reference):
    x = np.random.RandomState(0).randn(3, 4)
    out = run_layer_test(keras.layers.Activation, {"activation": name}, input_data=torch.tensor(x, dtype=torch.float32),
                         expected_output_shape=(3, 4), expected_num_trainable_weights=0)
    np.testing.assert_allclose(out.detach().numpy(), reference(x), rtol=1e-5, atol=1e-6)


def test_callable_activation():
    layer = keras.layers.Activation(lambda x: x * 3)
    assert float(layer(torch.tensor([[2.0]]))) == 6.0


def test_unknown_activation_lists_close_names():
    with pytest.raises(ValueError, match=r"Unknown activation: 'rellu'. Did you mean: 'relu'"):
        keras.layers.Activation("rellu")
