"""BasePooling: argument checks that name the layer, refusal before any state changes, windows that
do not fit, the default data format, dtypes, and pooling inside models."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise import config
from layerwise.layers.pooling.base_pooling import BasePooling

WINDOWED = [keras.layers.MaxPooling1D, keras.layers.MaxPooling2D, keras.layers.MaxPooling3D,
            keras.layers.AveragePooling1D, keras.layers.AveragePooling2D, keras.layers.AveragePooling3D,
            keras.layers.MinPooling1D, keras.layers.MinPooling2D, keras.layers.MinPooling3D]


@pytest.mark.parametrize("cls", WINDOWED, ids=lambda c: c.__name__)
def test_every_windowed_layer_is_a_base_pooling_with_keras_defaults(cls):
    layer = cls()
    assert isinstance(layer, BasePooling) and layer.built and not layer.weights
    assert layer.pool_size == layer.strides == (2,) * layer.rank
    assert (layer.padding, layer.data_format, layer.supports_masking) == ("valid", "channels_last", False)
    assert layer.pool_mode == {"Max": "max", "Ave": "average", "Min": "min"}[cls.__name__[:3]]


@pytest.mark.parametrize("kwargs,message", [
    ({"pool_size": 0}, "`MaxPooling2D` argument `pool_size` must be positive integers; received pool_size=0"),
    ({"pool_size": (2, 2, 2)}, "`MaxPooling2D` argument `pool_size` must be an integer or a tuple of 2 integers"),
    ({"pool_size": "2"}, "argument `pool_size` must be an integer or a tuple of 2 integers; received pool_size='2'"),
    ({"strides": (1, 0)}, "`MaxPooling2D` argument `strides` must be positive integers; received strides=(1, 0)"),
    ({"padding": "smae"}, "`MaxPooling2D` argument `padding` must be one of 'valid', 'same' (did you mean 'same'?); "
                          "received padding='smae'"),
    ({"padding": "causal"}, "argument `padding` must be one of 'valid', 'same'"),
    ({"data_format": "NHWC"}, "argument `data_format` must be one of 'channels_last', 'channels_first'"),
])
def test_bad_arguments_are_refused_with_the_layer_and_argument_named(kwargs, message):
    with pytest.raises(ValueError) as info:
        keras.layers.MaxPooling2D(**kwargs)
    assert message in str(info.value)


def test_a_refused_layer_takes_no_name():
    with pytest.raises(ValueError):
        keras.layers.AveragePooling1D(padding="full")
    assert keras.layers.AveragePooling1D().name == "average_pooling1d"


def test_arguments_are_normalized_as_keras_does():
    layer = keras.layers.MinPooling3D([3, 2, 1], strides=np.int64(2), padding="Same", data_format="CHANNELS_FIRST")
    assert (layer.pool_size, layer.strides, layer.padding, layer.data_format) == (
        (3, 2, 1), (2, 2, 2), "same", "channels_first")


def test_default_data_format_follows_the_config():
    previous = config.image_data_format()
    config.set_image_data_format("channels_first")
    try:
        layer = keras.layers.MaxPooling1D()
    finally:
        config.set_image_data_format(previous)
    assert layer.data_format == "channels_first"
    assert layer(torch.zeros(2, 3, 8)).shape == (2, 3, 4)


@pytest.mark.parametrize("cls", [keras.layers.MaxPooling2D, keras.layers.AveragePooling2D, keras.layers.MinPooling2D])
def test_a_valid_window_larger_than_the_input_is_refused_eagerly_and_symbolically(cls):
    message = rf"`{cls.__name__}` argument `pool_size` must fit in the input with padding='valid'"
    with pytest.raises(ValueError, match=message):
        cls(3)(torch.zeros(1, 2, 5, 1))
    with pytest.raises(ValueError, match=message):
        cls(3)(keras.Input((2, 5, 1)))
    assert cls(3, padding="same")(torch.zeros(1, 2, 5, 1)).shape == (1, 1, 2, 1)  # "same" always has an output


def test_input_of_the_wrong_rank_is_refused_with_the_layer_named():
    with pytest.raises(ValueError, match=r"'max_pooling3d' \(MaxPooling3D\).*expected rank 5, found rank 4"):
        keras.layers.MaxPooling3D()(torch.zeros(1, 4, 4, 1))


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float64])
def test_float_dtypes_follow_the_layer_policy(dtype):
    name = str(dtype).split(".")[-1]
    for cls in (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D, keras.layers.MinPooling2D):
        out = cls(dtype=name)(torch.ones(1, 4, 4, 2, dtype=dtype))
        assert out.dtype == dtype and bool((out == 1).all())


def test_integer_max_pooling_keeps_its_dtype():
    x = torch.arange(16).reshape(1, 4, 4, 1)
    out = keras.layers.MaxPooling2D()(x)
    assert out.dtype == torch.int64 and out[0, :, :, 0].tolist() == [[5, 7], [13, 15]]


def test_channels_last_output_needs_no_layout_copy():
    # The channels-first view of a channels-last tensor goes straight to torch, and the result comes
    # back channels-last: contiguous, with no transposed copy made on the way.
    out = keras.layers.MaxPooling2D(3, strides=2, padding="same")(torch.randn(2, 9, 10, 4))
    assert out.is_contiguous() and out.shape == (2, 5, 5, 4)


def test_pooling_in_a_trained_functional_model_and_saved_config():
    inputs = keras.Input((8, 8, 1))
    x = keras.layers.Conv2D(4, 3, padding="same")(inputs)
    x = keras.layers.MaxPooling2D(padding="same")(x)
    x = keras.layers.AveragePooling2D(3, strides=2, padding="same")(x)
    x = keras.layers.MinPooling2D(2)(x)
    outputs = keras.layers.Dense(1)(keras.layers.GlobalAveragePooling2D()(x))
    model = keras.Model(inputs, outputs)
    assert [tuple(layer.output.shape) for layer in model.layers[2:6]] == [
        (None, 4, 4, 4), (None, 2, 2, 4), (None, 1, 1, 4), (None, 4)]
    model.compile(optimizer="sgd", loss="mse")
    x = np.random.RandomState(0).rand(16, 8, 8, 1).astype("float32")
    history = model.fit(x, x.mean(axis=(1, 2)), epochs=2, batch_size=8, verbose=0)
    assert np.isfinite(history.history["loss"]).all()
    clone = keras.Model.from_config(model.get_config())
    assert [type(layer).__name__ for layer in clone.layers[2:5]] == ["MaxPooling2D", "AveragePooling2D", "MinPooling2D"]
