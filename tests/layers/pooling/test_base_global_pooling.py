"""BaseGlobalPooling: argument checks, refusal before any state changes, the default data format,
dtypes, and the ranks each layer accepts."""

import pytest
import torch

import layerwise as keras
from layerwise import config
from layerwise.layers.pooling.base_global_pooling import BaseGlobalPooling

GLOBAL = [keras.layers.GlobalMaxPooling1D, keras.layers.GlobalMaxPooling2D, keras.layers.GlobalMaxPooling3D,
          keras.layers.GlobalAveragePooling1D, keras.layers.GlobalAveragePooling2D,
          keras.layers.GlobalAveragePooling3D, keras.layers.GlobalMinPooling1D, keras.layers.GlobalMinPooling2D,
          keras.layers.GlobalMinPooling3D]


@pytest.mark.parametrize("cls", GLOBAL, ids=lambda c: c.__name__)
def test_every_global_layer_has_keras_defaults_and_checks_the_rank(cls):
    layer = cls()
    assert isinstance(layer, BaseGlobalPooling) and layer.built and not layer.weights
    assert (layer.data_format, layer.keepdims) == ("channels_last", False)
    assert layer.supports_masking == (cls is keras.layers.GlobalAveragePooling1D)
    with pytest.raises(ValueError, match=rf"\({cls.__name__}\).*expected rank {layer.rank + 2}, found rank "
                                         rf"{layer.rank + 3}"):
        layer(torch.zeros((1,) + (2,) * (layer.rank + 1) + (3,)))


@pytest.mark.parametrize("kwargs,message", [
    ({"data_format": "channel_last"}, "`GlobalMinPooling2D` argument `data_format` must be one of 'channels_last', "
                                      "'channels_first' (did you mean 'channels_last'?); received "
                                      "data_format='channel_last'"),
    ({"keepdims": "yes"}, "`GlobalMinPooling2D` argument `keepdims` must be one of False, True; received "
                          "keepdims='yes'"),
])
def test_bad_arguments_are_refused_with_the_layer_and_argument_named(kwargs, message):
    with pytest.raises(ValueError) as info:
        keras.layers.GlobalMinPooling2D(**kwargs)
    assert message in str(info.value)
    assert keras.layers.GlobalMinPooling2D().name == "global_min_pooling2d"  # the refused layer took no name


def test_default_data_format_follows_the_config():
    previous = config.image_data_format()
    config.set_image_data_format("channels_first")
    try:
        layer = keras.layers.GlobalAveragePooling2D(keepdims=True)
    finally:
        config.set_image_data_format(previous)
    assert layer.data_format == "channels_first"
    assert layer(torch.zeros(2, 3, 5, 4)).shape == (2, 3, 1, 1)


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float64])
def test_float_dtypes_follow_the_layer_policy(dtype):
    name = str(dtype).split(".")[-1]
    for cls in (keras.layers.GlobalMaxPooling2D, keras.layers.GlobalAveragePooling2D, keras.layers.GlobalMinPooling2D):
        out = cls(dtype=name)(torch.ones(2, 4, 4, 3, dtype=dtype))
        assert out.dtype == dtype and out.shape == (2, 3) and bool((out == 1).all())


def test_integer_max_and_min_keep_their_dtype():
    x = torch.arange(12).reshape(1, 2, 2, 3)
    assert keras.layers.GlobalMaxPooling2D()(x).tolist() == [[9, 10, 11]]
    assert keras.layers.GlobalMinPooling2D()(x).dtype == torch.int64
