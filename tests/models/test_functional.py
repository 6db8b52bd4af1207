import numpy as np
import pytest
import torch

import layerwise as keras


def _two_input_model():
    a = keras.Input((3,), name="a")
    b = keras.Input((2,), name="b")
    shared = keras.layers.Dense(4, name="shared")
    merged = keras.layers.concatenate([shared(keras.layers.Dense(5, name="pa")(a)),
                                       shared(keras.layers.Dense(5, name="pb")(b))])
    out1 = keras.layers.Dense(1, name="out1")(merged)
    out2 = keras.layers.Dense(3, activation="softmax", name="out2")(merged)
    return keras.Model([a, b], [out1, out2])


def test_multi_input_multi_output_and_shared_layer():
    model = _two_input_model()
    assert type(model).__name__ == "Functional"
    assert model.input_shape == [(None, 3), (None, 2)] and model.output_shape == [(None, 1), (None, 3)]
    shared = model.get_layer("shared")
    assert len(shared._inbound_nodes) == 2 and len(shared.weights) == 2  # called twice, one set of weights
    x = [torch.randn(4, 3), torch.randn(4, 2)]
    out1, out2 = model(x)
    assert out1.shape == (4, 1) and torch.allclose(out2.sum(-1), torch.ones(4))
    by_name = model({"a": x[0], "b": x[1]})
    torch.testing.assert_close(by_name[0], out1)


def test_dict_inputs_and_outputs():
    inputs = {"x": keras.Input((2,), name="x"), "y": keras.Input((2,), name="y")}
    summed = keras.layers.Add()([inputs["x"], inputs["y"]])
    model = keras.Model(inputs, {"sum": summed, "double": summed * 2.0})
    out = model({"x": torch.ones(1, 2), "y": torch.ones(1, 2)})
    assert set(out) == {"sum", "double"} and float(out["double"].sum()) == 8.0
    assert model.output_names == ["double", "sum"]


def test_model_called_like_a_layer():
    inner_in = keras.Input((3,))
    inner = keras.Model(inner_in, keras.layers.Dense(2, name="inner_dense")(inner_in), name="inner")
    x = keras.Input((3,))
    outer = keras.Model(x, keras.layers.Dense(1)(inner(x)))
    assert outer.output_shape == (None, 1)
    assert len(outer.weights) == 4
    data = torch.randn(2, 3)
    expected = outer.layers[-1](inner(data))
    torch.testing.assert_close(outer(data), expected)


def test_graph_disconnected():
    a, b = keras.Input((2,)), keras.Input((2,))
    out = keras.layers.Add()([a, b])
    with pytest.raises(ValueError, match="Graph disconnected"):
        keras.Model(a, out)


def test_duplicate_layer_names_refused():
    x = keras.Input((2,))
    y = keras.layers.Dense(2, name="same")(keras.layers.Dense(2, name="same")(x))
    with pytest.raises(ValueError, match="The name 'same' is used 2 times"):
        keras.Model(x, y)


def test_input_shape_mismatch_names_the_input():
    x = keras.Input((4,), name="features")
    model = keras.Model(x, keras.layers.Dense(1)(x))
    with pytest.raises(ValueError, match=r"Input 'features' of model .* expects data of shape \(None, 4\), but "
                                         r"received data of shape \(2, 5\)"):
        model(torch.zeros(2, 5))


def test_shapes_checked_when_graph_is_built():
    x = keras.Input((3,))
    with pytest.raises(ValueError, match=r"incompatible shapes \(3,\) and \(4,\)"):
        keras.layers.Add()([x, keras.layers.Dense(4)(x)])


def test_config_round_trip():
    model = _two_input_model()
    clone = keras.Model.from_config(model.get_config())
    clone.set_weights(model.get_weights())
    x = [torch.randn(3, 3), torch.randn(3, 2)]
    for a, b in zip(clone(x), model(x)):
        torch.testing.assert_close(a, b)


def test_layer_and_weight_order_match_keras(keras_oracle):
    def build(k):
        a = k.Input((3,), name="a")
        b = k.Input((2,), name="b")
        left = k.layers.Dense(4, name="left")(a)
        right = k.layers.Dense(4, name="right")(k.layers.Dense(6, name="pre")(b))
        merged = k.layers.Add(name="add")([left, right])
        return k.Model([a, b], [k.layers.Dense(1, name="o1")(merged), k.layers.Dense(2, name="o2")(left)])

    theirs, ours = build(keras_oracle), build(keras)
    assert [layer.name for layer in ours.layers] == [layer.name for layer in theirs.layers]
    ours.set_weights(theirs.get_weights())
    rng = np.random.RandomState(0)
    x = [rng.randn(5, 3).astype("float32"), rng.randn(5, 2).astype("float32")]
    for a, b in zip(ours.predict(x, verbose=0), theirs.predict(x, verbose=0)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
