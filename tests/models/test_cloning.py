import numpy as np
import torch

import layerwise as keras


def test_clone_sequential_has_new_weights():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(1)])
    clone = keras.models.clone_model(model)
    assert clone.output_shape == model.output_shape
    assert all(not np.array_equal(a, b) for a, b in zip(clone.get_weights()[::2], model.get_weights()[::2]))
    clone.set_weights(model.get_weights())
    x = torch.randn(2, 3)
    torch.testing.assert_close(clone(x), model(x))


def test_clone_functional_with_clone_function():
    x = keras.Input((3,))
    shared = keras.layers.Dense(3)
    model = keras.Model(x, shared(shared(x)))
    seen = []

    def clone_fn(layer):
        seen.append(layer.name)
        return type(layer).from_config(layer.get_config())

    clone = keras.models.clone_model(model, clone_function=clone_fn)
    assert seen == [shared.name]  # a shared layer is cloned once, and stays shared
    assert len(clone.weights) == 2


def test_model_from_json():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    clone = keras.models.model_from_json(model.to_json())
    assert clone.get_config() == model.get_config()
