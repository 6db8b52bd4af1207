"""GlobalAveragePooling2D: hand-computed means, shapes with keepdims and channels_first, Keras parity,
gradients."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test

X = torch.arange(12.0).reshape(1, 2, 2, 3)  # channels-last: 3 channels; channels-first: 2 channels of 2 x 3
SHAPE_CASES = [
    ({}, (2, 7, 8, 3), (2, 3)),
    ({"keepdims": True}, (2, 7, 8, 3), (2, 1, 1, 3)),
    ({"data_format": "channels_first"}, (2, 3, 7, 8), (2, 3)),
    ({"data_format": "channels_first", "keepdims": True}, (2, 3, 7, 8), (2, 3, 1, 1)),
]


@pytest.mark.parametrize("data_format,expected", [
    ("channels_last", [[4.5, 5.5, 6.5]]),
    ("channels_first", [[2.5, 8.5]]),
])
def test_common_checks_and_hand_computed_values(data_format, expected):
    out = run_layer_test(keras.layers.GlobalAveragePooling2D, {"data_format": data_format}, input_data=X,
                         expected_output=np.asarray(expected, np.float32), expected_num_trainable_weights=0,
                         expected_num_non_trainable_weights=0)
    assert out.shape == (1, len(expected[0]))
    kept = keras.layers.GlobalAveragePooling2D(data_format=data_format, keepdims=True)(X)
    torch.testing.assert_close(kept.flatten(), torch.tensor(expected[0], dtype=torch.float32))


@pytest.mark.parametrize("kwargs,input_shape,shape", SHAPE_CASES)
def test_output_shapes(kwargs, input_shape, shape):
    layer = keras.layers.GlobalAveragePooling2D(**kwargs)
    assert tuple(layer(torch.randn(input_shape)).shape) == shape
    assert layer.compute_output_shape((None,) + input_shape[1:]) == (None,) + shape[1:]
    first = 2 if kwargs.get("data_format") == "channels_first" else 1
    unknown = tuple(None if i == 0 or first <= i < first + 2 else d for i, d in enumerate(input_shape))
    assert layer.compute_output_shape(unknown) == (None,) + shape[1:]


@pytest.mark.parametrize("kwargs,input_shape,shape", SHAPE_CASES)
def test_matches_numpy(kwargs, input_shape, shape):
    x = np.random.RandomState(0).randn(*input_shape).astype("float32")
    axes = (2, 3) if kwargs.get("data_format") == "channels_first" else (1, 2)
    expected = np.mean(x.astype(np.float64), axis=axes, keepdims=kwargs.get("keepdims", False))
    ours = keras.layers.GlobalAveragePooling2D(**kwargs)(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs,input_shape,shape", SHAPE_CASES)
def test_parity_with_keras(keras_oracle, kwargs, input_shape, shape):
    x = np.random.RandomState(1).randn(*input_shape).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(keras_oracle.layers.GlobalAveragePooling2D(**kwargs)(x))
    ours = keras.layers.GlobalAveragePooling2D(**kwargs)
    np.testing.assert_allclose(ours(torch.from_numpy(x)).numpy(), expected, rtol=1e-5, atol=1e-6)
    assert ours.compute_output_shape((None,) + input_shape[1:]) == (None,) + expected.shape[1:]


def test_integer_input_is_averaged_as_floats():
    out = keras.layers.GlobalAveragePooling2D()(torch.arange(4).reshape((1, 2, 2, 1)))
    assert out.dtype == torch.float32 and float(out) == 1.5


@pytest.mark.parametrize("kwargs", [{}, {"data_format": "channels_first", "keepdims": True}])
def test_gradients_float64(kwargs):
    # A layer without weights keeps its float32 policy under .double(): ask for float64 explicitly.
    x = torch.randn((2, 3, 3, 2), dtype=torch.float64)
    check_layer_gradients(keras.layers.GlobalAveragePooling2D(**kwargs, dtype="float64"), x)


def test_alias_defaults_and_config():
    assert keras.layers.GlobalAvgPool2D is keras.layers.GlobalAveragePooling2D
    config = keras.layers.GlobalAveragePooling2D().get_config()
    assert (config["data_format"], config["keepdims"]) == ("channels_last", False)
    config = keras.layers.GlobalAveragePooling2D(data_format="channels_first", keepdims=True).get_config()
    revived = keras.layers.GlobalAveragePooling2D.from_config(config)
    assert revived.get_config() == config and (revived.data_format, revived.keepdims) == ("channels_first", True)
