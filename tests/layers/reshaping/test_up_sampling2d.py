"""UpSampling2D: nearest, bilinear and bicubic, both data formats, shapes, gradients, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test

CASES = [
    ({}, (2, 3, 4, 2), (2, 6, 8, 2)),
    ({"size": (1, 3)}, (2, 3, 4, 2), (2, 3, 12, 2)),
    ({"size": 2, "interpolation": "bilinear"}, (2, 3, 4, 2), (2, 6, 8, 2)),
    ({"size": (3, 2), "interpolation": "bicubic"}, (2, 3, 4, 2), (2, 9, 8, 2)),
    ({"size": (2, 3), "data_format": "channels_first"}, (2, 2, 3, 4), (2, 2, 6, 12)),
    ({"size": 2, "interpolation": "bilinear", "data_format": "channels_first"}, (2, 2, 3, 4), (2, 2, 6, 8)),
]


@pytest.mark.parametrize("kwargs,shape,out_shape", CASES)
def test_common_checks(kwargs, shape, out_shape):
    run_layer_test(keras.layers.UpSampling2D, kwargs, input_shape=shape, expected_output_shape=out_shape,
                   expected_num_trainable_weights=0)
    layer = keras.layers.UpSampling2D(**kwargs)
    assert layer.compute_output_shape((None,) + shape[1:]) == (None,) + out_shape[1:]


def test_nearest_hand_computed():
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]]).reshape(1, 2, 2, 1)
    out = keras.layers.UpSampling2D((1, 2))(x)[0, :, :, 0]
    np.testing.assert_array_equal(out.numpy(), [[1, 1, 2, 2], [3, 3, 4, 4]])
    first = keras.layers.UpSampling2D((2, 1), data_format="channels_first")(x.reshape(1, 1, 2, 2))[0, 0]
    np.testing.assert_array_equal(first.numpy(), [[1, 2], [1, 2], [3, 4], [3, 4]])


def test_bilinear_hand_computed():
    # half-pixel centres: output j samples input (j + 0.5) / 2 - 0.5, clamped at the borders
    x = torch.tensor([0.0, 4.0]).reshape(1, 1, 2, 1)
    out = keras.layers.UpSampling2D((1, 2), interpolation="bilinear")(x)[0, 0, :, 0]
    np.testing.assert_allclose(out.numpy(), [0, 1, 3, 4])


def test_integer_images_keep_their_dtype():
    x = torch.tensor([0, 5]).reshape(1, 1, 2, 1)
    out = keras.layers.UpSampling2D((1, 2), interpolation="bilinear")(x)
    assert out.dtype == torch.int64
    np.testing.assert_array_equal(out.reshape(-1).numpy(), [0, 1, 4, 5])  # 1.25 and 3.75 rounded


@pytest.mark.parametrize("interpolation", ["nearest", "bilinear", "bicubic"])
def test_gradients(interpolation):
    check_layer_gradients(keras.layers.UpSampling2D((2, 3), interpolation=interpolation), torch.randn(1, 3, 2, 2))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [
    {}, {"size": (1, 3)}, {"size": 3, "interpolation": "bilinear"}, {"size": (2, 3), "interpolation": "bicubic"},
    {"size": (3, 2), "data_format": "channels_first"},
    {"size": 2, "interpolation": "bilinear", "data_format": "channels_first"},
])
def test_parity_with_keras(keras_oracle, kwargs):
    x = np.random.RandomState(0).randn(2, 4, 5, 3).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(keras_oracle.layers.UpSampling2D(**kwargs)(x))
    ours = keras.layers.UpSampling2D(**kwargs)(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-6)
    assert keras.layers.UpSampling2D(**kwargs).get_config()["interpolation"] == \
        keras_oracle.layers.UpSampling2D(**kwargs).get_config()["interpolation"]


def test_invalid_arguments():
    with pytest.raises(ValueError, match="`UpSampling2D` argument `interpolation` must be one of 'nearest', "
                                         "'bilinear', 'bicubic' \\(did you mean 'bilinear'\\?\\)"):
        keras.layers.UpSampling2D(interpolation="billinear")
    with pytest.raises(ValueError, match="`UpSampling2D` argument `size` must be an integer or a tuple of 2"):
        keras.layers.UpSampling2D(size=(2, 2, 2))
    with pytest.raises(ValueError, match="expected ndim=4|rank 4|ndim"):
        keras.layers.UpSampling2D()(torch.zeros(2, 3, 4))
