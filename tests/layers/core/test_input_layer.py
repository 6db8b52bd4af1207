import pytest

import layerwise as keras


def test_input_shapes_dtypes_and_names():
    x = keras.Input((28, 28, 1), name="image")
    assert x.shape == (None, 28, 28, 1) and x.dtype == "float32"
    layer = x._keras_history.operation
    assert isinstance(layer, keras.layers.InputLayer) and layer.name == "image"
    y = keras.Input(batch_shape=(8, 3), dtype="int64")
    assert y.shape == (8, 3) and y.dtype == "int64"
    assert keras.Input(shape=5).shape == (None, 5)


def test_input_layer_config_round_trip():
    layer = keras.layers.InputLayer(shape=(3,), name="inp")
    again = keras.layers.InputLayer.from_config(layer.get_config())
    assert again.batch_shape == (None, 3) and again.name == "inp"


def test_input_requires_a_shape():
    with pytest.raises(ValueError, match="needs `shape`"):
        keras.Input()


def test_symbolic_tensor_has_no_value():
    x = keras.Input((3,))
    with pytest.raises(TypeError, match="symbolic"):
        bool(x)
    with pytest.raises(TypeError, match="symbolic"):
        x.numpy()
