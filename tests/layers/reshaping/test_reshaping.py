import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import run_layer_test


def test_flatten_channels_last_order():
    x = torch.arange(24.0).reshape(2, 2, 3, 2)
    out = run_layer_test(keras.layers.Flatten, {}, input_data=x, expected_output_shape=(2, 12))
    np.testing.assert_array_equal(out.numpy(), x.numpy().reshape(2, -1))


def test_flatten_channels_first_moves_channels_last(keras_oracle):
    x = np.random.RandomState(0).randn(2, 3, 4, 5).astype("float32")
    ours = keras.layers.Flatten(data_format="channels_first")(torch.from_numpy(x)).numpy()
    np.testing.assert_array_equal(ours, x.transpose(0, 2, 3, 1).reshape(2, -1))
    theirs = keras_oracle.ops.convert_to_numpy(keras_oracle.layers.Flatten(data_format="channels_first")(x))
    np.testing.assert_array_equal(ours, theirs)


def test_flatten_symbolic_unknown_dims():
    assert keras.layers.Flatten()(keras.Input((None, 3))).shape == (None, None)
    assert keras.layers.Flatten()(keras.Input((4, 3))).shape == (None, 12)


def test_reshape_with_inferred_dimension():
    x = torch.arange(24.0).reshape(2, 12)
    out = run_layer_test(keras.layers.Reshape, {"target_shape": (3, -1)}, input_data=x, expected_output_shape=(2, 3, 4))
    np.testing.assert_array_equal(out.numpy(), x.numpy().reshape(2, 3, 4))


def test_reshape_size_mismatch_is_reported():
    with pytest.raises(ValueError, match=r"cannot reshape samples of shape \(7,\).*target_shape \(2, 3\)"):
        keras.layers.Reshape((2, 3))(torch.zeros(1, 7))
    with pytest.raises(ValueError, match="at most one -1"):
        keras.layers.Reshape((-1, -1))


def test_permute_swaps_axes():
    x = torch.randn(2, 3, 4)
    out = run_layer_test(keras.layers.Permute, {"dims": (2, 1)}, input_data=x, expected_output_shape=(2, 4, 3))
    assert torch.equal(out, x.permute(0, 2, 1))
    with pytest.raises(ValueError, match="permutation"):
        keras.layers.Permute((0, 1))


def test_repeat_vector():
    x = torch.tensor([[1.0, 2.0]])
    out = run_layer_test(keras.layers.RepeatVector, {"n": 3}, input_data=x, expected_output_shape=(1, 3, 2))
    np.testing.assert_array_equal(out.numpy(), [[[1, 2], [1, 2], [1, 2]]])
    with pytest.raises(ValueError, match="rank 2"):
        keras.layers.RepeatVector(2)(torch.zeros(1, 2, 3))
