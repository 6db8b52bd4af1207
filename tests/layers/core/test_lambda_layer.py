import os

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import run_layer_test


def square(x):
    return x ** 2


def test_lambda_computes_function():
    out = run_layer_test(keras.layers.Lambda, {"function": keras.ops.square}, input_data=torch.tensor([[3.0, -2.0]]),
                         expected_output=[[9.0, 4.0]])
    assert out.shape == (1, 2)


def test_lambda_arguments_and_output_shape():
    layer = keras.layers.Lambda(lambda x, k: x[:, :k], output_shape=(2,), arguments={"k": 2})
    x = keras.Input((5,))
    assert layer(x).shape == (None, 2)
    np.testing.assert_allclose(layer(torch.arange(5.0).reshape(1, 5)).numpy(), [[0.0, 1.0]])


def test_lambda_shape_inferred_by_trial_runs():
    layer = keras.layers.Lambda(lambda x: torch.cat([x, x], dim=-1))
    assert layer(keras.Input((None, 3))).shape == (None, None, 6)


def test_lambda_bytecode_refused_in_safe_mode(tmp_path):
    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Lambda(lambda x: x * 10.0)(inputs))
    path = os.path.join(tmp_path, "lambda.keras")
    model.save(path)
    with pytest.raises(ValueError, match="Refusing to load a `Lambda` layer.*safe_mode=False"):
        keras.saving.load_model(path)
    loaded = keras.saving.load_model(path, safe_mode=False)
    np.testing.assert_allclose(loaded.predict(np.ones((1, 2)), verbose=0), [[10.0, 10.0]])


def test_registered_function_loads_safely(tmp_path):
    keras.saving.register_keras_serializable(package="Tests")(square)
    inputs = keras.Input((2,))
    model = keras.Model(inputs, keras.layers.Lambda(square)(inputs))
    path = os.path.join(tmp_path, "registered.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(loaded.predict(np.full((1, 2), 3.0), verbose=0), [[9.0, 9.0]])
