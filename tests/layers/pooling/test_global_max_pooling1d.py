"""GlobalMaxPooling1D: hand-computed maxima, shapes with keepdims and channels_first, Keras parity, gradients."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test

X = torch.tensor([[[1.0, 9.0], [5.0, 2.0], [3.0, 4.0]]])  # (batch 1, 3 steps, 2 features)
SHAPE_CASES = [
    ({}, (2, 9, 3), (2, 3)),
    ({"keepdims": True}, (2, 9, 3), (2, 1, 3)),
    ({"data_format": "channels_first"}, (2, 3, 9), (2, 3)),
    ({"data_format": "channels_first", "keepdims": True}, (2, 3, 9), (2, 3, 1)),
]


@pytest.mark.parametrize("data_format,expected", [
    ("channels_last", [[5, 9]]),
    ("channels_first", [[9, 5, 4]]),
])
def test_common_checks_and_hand_computed_values(data_format, expected):
    out = run_layer_test(keras.layers.GlobalMaxPooling1D, {"data_format": data_format}, input_data=X,
                         expected_output=np.asarray(expected, np.float32), expected_num_trainable_weights=0,
                         expected_num_non_trainable_weights=0)
    assert out.shape == (1, len(expected[0]))
    kept = keras.layers.GlobalMaxPooling1D(data_format=data_format, keepdims=True)(X)
    torch.testing.assert_close(kept.flatten(), torch.tensor(expected[0], dtype=torch.float32))


@pytest.mark.parametrize("kwargs,input_shape,shape", SHAPE_CASES)
def test_output_shapes(kwargs, input_shape, shape):
    layer = keras.layers.GlobalMaxPooling1D(**kwargs)
    assert tuple(layer(torch.randn(input_shape)).shape) == shape
    assert layer.compute_output_shape((None,) + input_shape[1:]) == (None,) + shape[1:]
    first = 2 if kwargs.get("data_format") == "channels_first" else 1
    unknown = tuple(None if i == 0 or first <= i < first + 1 else d for i, d in enumerate(input_shape))
    assert layer.compute_output_shape(unknown) == (None,) + shape[1:]


@pytest.mark.parametrize("kwargs,input_shape,shape", SHAPE_CASES)
def test_matches_numpy(kwargs, input_shape, shape):
    x = np.random.RandomState(0).randn(*input_shape).astype("float32")
    axes = (2,) if kwargs.get("data_format") == "channels_first" else (1,)
    expected = np.amax(x.astype(np.float64), axis=axes, keepdims=kwargs.get("keepdims", False))
    ours = keras.layers.GlobalMaxPooling1D(**kwargs)(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-6)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs,input_shape,shape", SHAPE_CASES)
def test_parity_with_keras(keras_oracle, kwargs, input_shape, shape):
    x = np.random.RandomState(1).randn(*input_shape).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(keras_oracle.layers.GlobalMaxPooling1D(**kwargs)(x))
    ours = keras.layers.GlobalMaxPooling1D(**kwargs)
    np.testing.assert_allclose(ours(torch.from_numpy(x)).numpy(), expected, rtol=1e-5, atol=1e-6)
    assert ours.compute_output_shape((None,) + input_shape[1:]) == (None,) + expected.shape[1:]


@pytest.mark.parametrize("kwargs", [{}, {"data_format": "channels_first", "keepdims": True}])
def test_gradients_float64(kwargs):
    # A layer without weights keeps its float32 policy under .double(): ask for float64 explicitly.
    x = torch.randn((2, 3, 2), dtype=torch.float64)
    check_layer_gradients(keras.layers.GlobalMaxPooling1D(**kwargs, dtype="float64"), x)


def test_alias_defaults_and_config():
    assert keras.layers.GlobalMaxPool1D is keras.layers.GlobalMaxPooling1D
    config = keras.layers.GlobalMaxPooling1D().get_config()
    assert (config["data_format"], config["keepdims"]) == ("channels_last", False)
    config = keras.layers.GlobalMaxPooling1D(data_format="channels_first", keepdims=True).get_config()
    revived = keras.layers.GlobalMaxPooling1D.from_config(config)
    assert revived.get_config() == config and (revived.data_format, revived.keepdims) == ("channels_first", True)
