import numpy as np
import pytest
import torch

import layerwise as keras


def test_issue_example_builds_with_input_shape():
    model = keras.Sequential([keras.layers.Dense(32, input_shape=(784,)), keras.layers.Activation("relu")])
    model.add(keras.layers.Dense(10, activation="softmax"))
    assert model.built and model.output_shape == (None, 10) and model.input_shape == (None, 784)
    assert [layer.name for layer in model.layers] == ["dense", "activation", "dense_1"]
    assert [w.shape for w in model.get_weights()] == [(784, 32), (32,), (32, 10), (10,)]


def test_keras2_first_layer_arguments():
    assert keras.Sequential([keras.layers.Dense(2, input_dim=3)]).input_shape == (None, 3)
    assert keras.Sequential([keras.layers.Dense(2, batch_input_shape=(8, 3))]).input_shape == (8, 3)


def test_lazy_build_from_first_batch():
    model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])
    assert not model.built
    out = model(np.zeros((5, 3), "float32"))
    assert model.built and out.shape == (5, 1) and model.input_shape == (None, 3)


def test_pop_and_indexing_by_name():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, name="a"), keras.layers.Dense(2, name="b")])
    assert model.get_layer("a") is model.layers[0] and model["b"] is model.layers[1]
    popped = model.pop()
    assert popped.name == "b" and model.output_shape == (None, 4)
    with pytest.raises(ValueError, match=r"No such layer: 'b'. Existing layers are: \['a'\]"):
        model.get_layer("b")


def test_unique_names_and_input_position():
    model = keras.Sequential([keras.layers.Dense(2, name="x")])
    with pytest.raises(ValueError, match="should have unique names. Name 'x'"):
        model.add(keras.layers.Dense(2, name="x"))
    with pytest.raises(ValueError, match="can only be the first element"):
        model.add(keras.Input((3,)))
    with pytest.raises(ValueError, match="Only layerwise layers"):
        model.add(torch.nn.Linear(2, 2))


def test_input_shape_mismatch_names_model_and_shapes():
    model = keras.Sequential([keras.Input((784,), name="pixels"), keras.layers.Dense(10)], name="net")
    with pytest.raises(ValueError, match=r"model 'net' expects input of shape \(None, 784\), but received input of "
                                         r"shape \(32, 100\)"):
        model(torch.zeros(32, 100))


def test_config_round_trip_and_equal_outputs():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="tanh"), keras.layers.Dropout(0.3),
                              keras.layers.Dense(2)])
    clone = keras.Sequential.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    x = torch.randn(5, 3)
    torch.testing.assert_close(clone(x), model(x))


def test_weights_match_keras_order(keras_oracle):
    theirs = keras_oracle.Sequential([keras_oracle.Input((3,)), keras_oracle.layers.Dense(4),
                                      keras_oracle.layers.Dense(2, activation="softmax")])
    ours = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.Dense(2, activation="softmax")])
    ours.set_weights(theirs.get_weights())
    x = np.random.RandomState(0).randn(6, 3).astype("float32")
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
