"""CategoryEncoding: one-hot/multi-hot/count by hand, weights, out-of-range ids, shapes, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import run_layer_test


def test_common_checks():
    x = torch.tensor([[0, 1], [2, 2]])
    run_layer_test(keras.layers.CategoryEncoding, {"num_tokens": 3}, input_data=x,
                   expected_output=[[1, 1, 0], [0, 0, 1]], expected_num_trainable_weights=0, run_float64_check=False)


def test_modes_by_hand():
    x = torch.tensor([[1, 1, 3], [0, 4, 9]])  # 4 and 9 are out of range for 4 tokens: ignored
    multi = keras.layers.CategoryEncoding(4)(x)
    np.testing.assert_array_equal(multi.numpy(), [[0, 1, 0, 1], [1, 0, 0, 0]])
    count = keras.layers.CategoryEncoding(4, output_mode="count")(x, count_weights=torch.tensor([[1.0, 2.0, 0.5],
                                                                                                  [3.0, 1.0, 1.0]]))
    np.testing.assert_array_equal(count.numpy(), [[0, 3, 0, 0.5], [3, 0, 0, 0]])
    one_hot = keras.layers.CategoryEncoding(3, output_mode="one_hot")(torch.tensor([[2], [0]]))
    np.testing.assert_array_equal(one_hot.numpy(), [[0, 0, 1], [1, 0, 0]])  # a last axis of 1 is replaced
    layer = keras.layers.CategoryEncoding(3, output_mode="one_hot")
    assert layer(torch.tensor([[0, 1]])).shape == (1, 2, 3)
    assert layer.compute_output_shape((None, 2)) == (None, 2, 3)
    assert keras.layers.CategoryEncoding(5).compute_output_shape((None, 7)) == (None, 5)
    sparse = keras.layers.CategoryEncoding(4, sparse=True)(x)
    assert sparse.is_sparse and torch.equal(sparse.to_dense(), multi)


def test_invalid_arguments_and_inputs():
    with pytest.raises(ValueError, match="`CategoryEncoding` argument `num_tokens` must be a positive integer"):
        keras.layers.CategoryEncoding(0)
    with pytest.raises(ValueError, match="argument `output_mode` must be one of"):
        keras.layers.CategoryEncoding(3, output_mode="tf_idf")
    with pytest.raises(TypeError, match="integer ids"):
        keras.layers.CategoryEncoding(3)(torch.tensor([0.5]))
    with pytest.raises(ValueError, match="rank 0, 1 or 2"):
        keras.layers.CategoryEncoding(3)(torch.zeros(1, 1, 1, dtype=torch.long))
    with pytest.raises(ValueError, match="count_weights"):
        keras.layers.CategoryEncoding(3)(torch.tensor([1]), count_weights=torch.tensor([1.0]))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("mode,shape", [("multi_hot", (5, 4)), ("count", (5, 4)), ("one_hot", (6,)),
                                        ("one_hot", (5, 1)), ("multi_hot", (7,))])
def test_parity_with_keras(keras_oracle, mode, shape):
    x = np.random.default_rng(0).integers(0, 6, size=shape)
    ours = keras.layers.CategoryEncoding(6, output_mode=mode)(torch.tensor(x)).numpy()
    theirs = keras_oracle.ops.convert_to_numpy(keras_oracle.layers.CategoryEncoding(6, output_mode=mode)(x))
    np.testing.assert_array_equal(ours, theirs)
