"""IntegerLookup: indices by hand, OOV by floormod and by hash, every output mode, invert round
trip, adapt order, tf_idf, config, errors, models, and Keras parity (needs TensorFlow)."""

import json
import math

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.layers.preprocessing.hash_utils import fingerprint64

VOCAB = [12, 36, 1138, 42]


def test_int_lookup_by_hand():
    layer = keras.layers.IntegerLookup(vocabulary=VOCAB)
    out = layer(torch.tensor([[12, 1138, 42], [42, 1000, 36]]))
    assert out.dtype == torch.int64 and out.tolist() == [[1, 3, 4], [4, 0, 2]]
    assert layer(np.array([36])).tolist() == [2] and layer([[12]]).tolist() == [[1]]
    assert layer.get_vocabulary() == [-1, 12, 36, 1138, 42] and layer.vocabulary_size() == 5


def test_mask_and_oov_methods():
    layer = keras.layers.IntegerLookup(vocabulary=VOCAB, mask_token=0, num_oov_indices=3)
    assert layer.get_vocabulary() == [0, -1, -1, -1, 12, 36, 1138, 42]
    assert layer(torch.tensor([0, 12, 7, -5])).tolist() == [0, 4, 1 + 7 % 3, 1 + (-5) % 3]
    hashed = keras.layers.IntegerLookup(vocabulary=VOCAB, num_oov_indices=3, oov_method="farmhash")
    assert hashed(torch.tensor([7, 1000])).tolist() == [fingerprint64(b"7") % 3, fingerprint64(b"1000") % 3]


@pytest.mark.parametrize("mode,expected", [
    ("one_hot", [[0, 1, 0, 0, 0], [1, 0, 0, 0, 0]]),
    ("multi_hot", [1, 1, 0, 0, 0]),
    ("count", [1, 1, 0, 0, 0]),
])
def test_encoded_modes(mode, expected):
    out = keras.layers.IntegerLookup(vocabulary=VOCAB, output_mode=mode)(torch.tensor([12, 5]))
    np.testing.assert_array_equal(out.numpy(), expected)  # rank 1: multi_hot/count reduce the whole vector


def test_adapt_order_and_tf_idf():
    layer = keras.layers.IntegerLookup(output_mode="tf_idf")
    layer.adapt(torch.tensor([[5, 5, 3], [3, 9, -1], [7, 7, 7]]))  # -1 is the OOV token: not learned
    assert layer.get_vocabulary() == [-1, 7, 5, 3, 9]  # 7 (3x); 5, 3 (2x), ties larger first; 9
    idf = {5: math.log(1 + 3 / 2), 3: math.log(1 + 3 / 3), 7: math.log(1 + 3 / 2), 9: math.log(1 + 3 / 2)}
    oov = np.mean([np.float32(idf[t]) for t in (7, 5, 3, 9)])
    np.testing.assert_allclose(layer(torch.tensor([[3, 3, 8]])).numpy(), [[oov, 0, 0, 2 * idf[3], 0]], rtol=1e-6)


def test_invert_round_trip():
    forward = keras.layers.IntegerLookup(vocabulary=VOCAB, mask_token=0)
    inverse = keras.layers.IntegerLookup(vocabulary=forward.get_vocabulary(), mask_token=0, invert=True)
    x = torch.tensor([[12, 0, 99], [1138, 36, 42]])
    assert inverse(forward(x)).tolist() == [[12, 0, -1], [1138, 36, 42]]
    assert inverse(torch.tensor([100, -3])).tolist() == [-1, -1]


def test_config_round_trip_and_file(tmp_path):
    path = tmp_path / "ids.txt"
    path.write_text("12\n36\n")
    from_file = keras.layers.IntegerLookup(vocabulary=str(path))
    assert from_file.get_vocabulary() == [-1, 12, 36]
    adapted = keras.layers.IntegerLookup(max_tokens=3)
    adapted.adapt([1, 2, 2, 3, 3, 3])
    assert adapted.get_vocabulary() == [-1, 3, 2]
    config = json.loads(json.dumps(adapted.get_config()))
    assert config["vocabulary_dtype"] == "int64"
    revived = keras.layers.IntegerLookup.from_config(config)
    assert revived.get_config() == adapted.get_config()
    assert torch.equal(revived(torch.tensor([3, 2, 1])), torch.tensor([1, 2, 0]))


def test_in_a_functional_model():
    inputs = keras.Input(shape=(3,), dtype="int64")
    encoded = keras.layers.IntegerLookup(vocabulary=VOCAB, output_mode="multi_hot")(inputs)
    assert encoded.shape == (None, 5) and encoded.dtype == "float32"
    model = keras.Model(inputs, keras.layers.Dense(2)(encoded))
    assert tuple(model(torch.tensor([[12, 36, 0]])).shape) == (1, 2)
    indices = keras.layers.IntegerLookup(vocabulary=VOCAB)(keras.Input(shape=(3,), dtype="int64"))
    assert indices.dtype == "int64"


@pytest.mark.parametrize("kwargs,error,match", [
    ({"vocabulary_dtype": "int32"}, ValueError, "`vocabulary_dtype` must be 'int64'"),
    ({"mask_token": "x"}, ValueError, "`mask_token` must be None or an integer"),
    ({"invert": True, "oov_token": None}, ValueError, "needs an integer `oov_token`"),
    ({"salt": 3}, ValueError, "`salt` needs oov_method='farmhash'"),
    ({"oov_method": "mod"}, ValueError, "`oov_method` must be one of"),
    ({"vocabulary": [1.5]}, TypeError, "vocabulary must hold integers"),
    ({"vocabulary": [1, -1], "invert": True}, ValueError, "holds the OOV token -1"),
])
def test_invalid_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        keras.layers.IntegerLookup(**kwargs)


def test_call_errors():
    with pytest.raises(ValueError, match="found \\[5\\]"):
        keras.layers.IntegerLookup(vocabulary=VOCAB, num_oov_indices=0)(torch.tensor([12, 5, 5]))
    with pytest.raises(TypeError, match="expects integers"):
        keras.layers.IntegerLookup(vocabulary=VOCAB)(np.array(["a"]))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [
    {}, {"mask_token": 0, "num_oov_indices": 3}, {"num_oov_indices": 3, "oov_method": "farmhash"},
    {"num_oov_indices": 3, "oov_method": "farmhash", "salt": [5, 6]}, {"output_mode": "multi_hot"},
    {"output_mode": "count", "max_tokens": 4, "pad_to_max_tokens": True}, {"output_mode": "tf_idf"},
])
def test_parity_with_keras(keras_oracle, kwargs):
    pytest.importorskip("tensorflow")  # Keras's lookup layers need TensorFlow
    rng = np.random.default_rng(1)
    train = rng.integers(-3, 9, size=(40, 3))
    test = rng.integers(-5, 14, size=(6, 4))
    ours, theirs = keras.layers.IntegerLookup(**kwargs), keras_oracle.layers.IntegerLookup(**kwargs)
    ours.adapt(train)
    theirs.adapt(train)
    assert ours.get_vocabulary() == [int(t) for t in theirs.get_vocabulary()]
    expected = keras_oracle.ops.convert_to_numpy(theirs(test))
    np.testing.assert_allclose(ours(torch.as_tensor(test)).numpy(), expected, rtol=1e-6)
    if kwargs == {}:
        inverse = keras_oracle.layers.IntegerLookup(vocabulary=theirs.get_vocabulary(), invert=True)
        ours_inverse = keras.layers.IntegerLookup(vocabulary=ours.get_vocabulary(), invert=True)
        idx = np.array([[0, 1, 2], [3, 50, 4]])
        np.testing.assert_array_equal(ours_inverse(idx).numpy(), keras_oracle.ops.convert_to_numpy(inverse(idx)))
