"""StringLookup: indices by hand on a tiny vocabulary, every output mode, invert round trip, adapt
order, tf_idf against the formula, config round trip, errors, Keras parity (needs TensorFlow)."""

import json
import math

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.layers.preprocessing.hash_utils import fingerprint64

VOCAB = ["a", "b", "c"]
DATA = np.array([["a", "c"], ["z", "b"]])


def test_int_lookup_by_hand():
    layer = keras.layers.StringLookup(vocabulary=VOCAB)
    out = layer(DATA)
    assert out.dtype == torch.int64
    assert out.tolist() == [[1, 3], [0, 2]]  # 0 is OOV, then the vocabulary in order
    assert layer([b"b", "a"]).tolist() == [2, 1] and layer("c").tolist() == 3
    assert layer.get_vocabulary() == ["[UNK]", "a", "b", "c"] and layer.vocabulary_size() == 4
    assert layer.get_vocabulary(include_special_tokens=False) == VOCAB


def test_mask_and_several_oov_indices():
    layer = keras.layers.StringLookup(vocabulary=VOCAB, mask_token="", num_oov_indices=2)
    assert layer.get_vocabulary() == ["", "[UNK]", "[UNK]", "a", "b", "c"]
    out = layer([["a", "", "zz", "hello"]]).tolist()
    assert out == [[3, 0, 1 + fingerprint64(b"zz") % 2, 1 + fingerprint64(b"hello") % 2]]
    salted = keras.layers.StringLookup(vocabulary=VOCAB, num_oov_indices=5, salt=[133, 137])
    assert salted(["a"]).tolist() == [5]


@pytest.mark.parametrize("mode,expected", [
    ("one_hot", [[[0, 1, 0, 0], [0, 0, 0, 1]], [[1, 0, 0, 0], [0, 0, 1, 0]]]),
    ("multi_hot", [[0, 1, 0, 1], [1, 0, 1, 0]]),
    ("count", [[0, 1, 0, 1], [1, 0, 1, 0]]),
])
def test_encoded_modes(mode, expected):
    out = keras.layers.StringLookup(vocabulary=VOCAB, output_mode=mode)(DATA)
    assert out.dtype == torch.float32
    np.testing.assert_array_equal(out.numpy(), expected)


def test_count_pad_to_max_tokens_and_mask_dropped():
    layer = keras.layers.StringLookup(vocabulary=VOCAB, output_mode="count", max_tokens=6, pad_to_max_tokens=True,
                                      mask_token="")
    np.testing.assert_array_equal(layer([["a", "a", "", "q"]]).numpy(), [[1, 2, 0, 0, 0, 0]])
    sparse = keras.layers.StringLookup(vocabulary=VOCAB, output_mode="count", sparse=True)(DATA)
    assert sparse.is_sparse and sparse.to_dense().tolist() == [[0, 1, 0, 1], [1, 0, 1, 0]]


def test_tf_idf_with_given_weights():
    layer = keras.layers.StringLookup(vocabulary=VOCAB, output_mode="tf_idf", idf_weights=[1.0, 2.0, 3.0])
    # OOV slot gets the mean weight 2.0; count * weight
    np.testing.assert_allclose(layer([["a", "c", "a"], ["z", "b", "q"]]).numpy(), [[0, 2, 0, 3], [4, 0, 2, 0]])


def test_adapt_orders_by_count_then_larger_token():
    layer = keras.layers.StringLookup()
    layer.adapt(np.array(["b", "a", "c", "a", "c", "d", "[UNK]"]))
    assert layer.get_vocabulary() == ["[UNK]", "c", "a", "d", "b"]  # a, c twice; ties: larger first
    limited = keras.layers.StringLookup(max_tokens=3, mask_token="")
    limited.adapt([["b", "a", ""], ["a", "", ""]])
    assert limited.get_vocabulary() == ["", "[UNK]", "a"]
    batches = keras.layers.StringLookup()
    batches.adapt(iter([np.array(["x", "y"]), np.array(["y"]), np.array(["z"])]), steps=2)
    assert batches.get_vocabulary() == ["[UNK]", "y", "x"]


def test_adapt_tf_idf_matches_the_formula():
    docs = [["a", "b", "b"], ["c", "b", "d"], ["e", "e", "e"]]
    layer = keras.layers.StringLookup(output_mode="tf_idf")
    layer.adapt(docs)
    assert layer.get_vocabulary() == ["[UNK]", "e", "b", "d", "c", "a"]
    frequency = {"e": 1, "b": 2, "d": 1, "c": 1, "a": 1}
    idf = {t: math.log(1 + 3 / (1 + f)) for t, f in frequency.items()}
    oov = np.mean([np.float32(v) for v in idf.values()])
    out = layer([["b", "b", "e", "q"]]).numpy()
    np.testing.assert_allclose(out, [[oov, idf["e"], 2 * idf["b"], 0, 0, 0]], rtol=1e-6)


def test_invert_round_trip():
    forward = keras.layers.StringLookup(vocabulary=VOCAB, mask_token="")
    inverse = keras.layers.StringLookup(vocabulary=forward.get_vocabulary(), mask_token="", invert=True)
    back = inverse(forward(np.array([["a", "", "zz"], ["c", "b", "a"]])))
    assert isinstance(back, np.ndarray)
    assert back.tolist() == [["a", "", "[UNK]"], ["c", "b", "a"]]
    assert inverse(torch.tensor([99, -1])).tolist() == ["[UNK]", "[UNK]"]


def test_vocabulary_file_and_set_vocabulary(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("a\nb\nc\n", encoding="utf-8")
    layer = keras.layers.StringLookup(vocabulary=str(path))
    assert layer.get_vocabulary() == ["[UNK]", "a", "b", "c"]
    assert keras.layers.StringLookup.from_config(layer.get_config()).get_vocabulary() == layer.get_vocabulary()
    layer.set_vocabulary(["[UNK]", "x"])  # a leading OOV token is recognised
    assert layer.get_vocabulary() == ["[UNK]", "x"]


def test_config_round_trip_given_and_adapted():
    given = keras.layers.StringLookup(vocabulary=VOCAB, output_mode="tf_idf", idf_weights=[1.0, 2.0, 3.0])
    config = given.get_config()
    assert config["vocabulary"] == VOCAB and config["idf_weights"] == [1.0, 2.0, 3.0] and config["vocabulary_size"] == 4
    adapted = keras.layers.StringLookup(output_mode="tf_idf", max_tokens=8, pad_to_max_tokens=True)
    adapted.adapt([["a", "b"], ["b"]])
    config = json.loads(json.dumps(adapted.get_config()))
    revived = keras.layers.StringLookup.from_config(config)
    assert revived.get_config() == adapted.get_config()
    assert torch.equal(revived([["a", "q", "b"]]), adapted([["a", "q", "b"]]))
    revived.adapt([["z"]])  # a learned vocabulary stays adaptable after a reload
    assert revived.get_vocabulary() == ["[UNK]", "z"]


def test_feeds_a_model():
    # Models take tensors (there is no string dtype): the lookup runs on the strings before the model.
    lookup = keras.layers.StringLookup(vocabulary=VOCAB)
    model = keras.Sequential([keras.layers.Embedding(4, 2)])
    assert tuple(model(lookup(DATA)).shape) == (2, 2, 2)
    inverse = keras.layers.StringLookup(vocabulary=VOCAB, invert=True)
    assert inverse(lookup(DATA)).tolist() == [["a", "c"], ["[UNK]", "b"]]


@pytest.mark.parametrize("kwargs,match", [
    ({"max_tokens": 1}, "`max_tokens` must be None or an integer greater than 1"),
    ({"pad_to_max_tokens": True}, "`pad_to_max_tokens` needs `max_tokens`"),
    ({"num_oov_indices": -1}, "`num_oov_indices` must be a non-negative integer"),
    ({"output_mode": "mult_hot"}, "did you mean 'multi_hot'"),
    ({"invert": True, "output_mode": "count"}, "`invert` needs output_mode='int'"),
    ({"sparse": True}, "`sparse` can be True only"),
    ({"idf_weights": [1.0]}, "`idf_weights` is used only with output_mode='tf_idf'"),
    ({"vocabulary": ["a"], "output_mode": "tf_idf"}, "also needs `idf_weights`"),
    ({"vocabulary": ["a", "b", "a"]}, "must not repeat a token; repeated: \\['a'\\]"),
    ({"vocabulary": ["a", ""], "mask_token": ""}, "holds the mask token ''"),
    ({"vocabulary": ["a", "b"], "max_tokens": 2}, "vocabulary of size 3 .* exceeds max_tokens=2"),
    ({"vocabulary": []}, "empty vocabulary"),
    ({"vocabulary": ["a"], "output_mode": "tf_idf", "idf_weights": [1.0, 2.0]}, "as long as the vocabulary"),
    ({"encoding": "no-such-codec"}, "`encoding` must be the name of a text encoding"),
    ({"salt": -1}, "`salt` must be None"),
    ({"mask_token": 0}, "`mask_token` must be None or a string"),
    ({"vocabulary": "/no/such/file.txt"}, "cannot be read"),
])
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        keras.layers.StringLookup(**kwargs)


def test_call_and_adapt_errors():
    with pytest.raises(ValueError, match="num_oov_indices=0, so every input must be in the vocabulary; found \\['z'\\]"):
        keras.layers.StringLookup(vocabulary=VOCAB, num_oov_indices=0)(["a", "z"])
    with pytest.raises(ValueError, match="has no vocabulary"):
        keras.layers.StringLookup(output_mode="multi_hot")(["a"])
    with pytest.raises(ValueError, match="cannot be adapted"):
        keras.layers.StringLookup(vocabulary=VOCAB).adapt(["a"])
    with pytest.raises(TypeError, match="torch tensors cannot hold strings"):
        keras.layers.StringLookup(vocabulary=VOCAB)(torch.tensor([1]))
    with pytest.raises(TypeError, match="expects strings"):
        keras.layers.StringLookup(vocabulary=VOCAB)([1, 2])
    with pytest.raises(TypeError, match="vocabulary must hold strings"):
        keras.layers.StringLookup(vocabulary=[1, 2])
    with pytest.raises(ValueError, match="needs `idf_weights`"):
        keras.layers.StringLookup(output_mode="tf_idf").set_vocabulary(["a"])
    with pytest.raises(ValueError, match="cannot read a vocabulary file with output_mode='tf_idf'"):
        keras.layers.StringLookup(output_mode="tf_idf").set_vocabulary("vocab.txt", idf_weights=[1.0])
    with pytest.raises(ValueError, match="rank at most 2"):
        keras.layers.StringLookup(vocabulary=VOCAB, output_mode="count")(np.full((2, 2, 2), "a"))
    with pytest.raises(TypeError, match="integer indices"):
        keras.layers.StringLookup(vocabulary=VOCAB, invert=True)(np.array([0.5]))
    with pytest.raises(TypeError, match="`data` must be an array"):
        keras.layers.StringLookup().adapt(3)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [
    {}, {"mask_token": "", "num_oov_indices": 3}, {"output_mode": "multi_hot"}, {"output_mode": "count"},
    {"output_mode": "one_hot"}, {"output_mode": "tf_idf"}, {"max_tokens": 5, "output_mode": "count",
                                                            "pad_to_max_tokens": True},
    {"num_oov_indices": 4, "salt": [3, 4]},
])
def test_adapt_and_call_parity_with_keras(keras_oracle, kwargs):
    pytest.importorskip("tensorflow")  # Keras's lookup layers need TensorFlow
    rng = np.random.default_rng(0)
    words = np.array(["a", "bb", "c", "dd", "é", "", "[UNK]", "zz"])
    train = rng.choice(words, size=(30, 4))
    test = rng.choice(np.append(words, ["new", "other"]), size=(5, 1 if kwargs.get("output_mode") == "one_hot" else 3))
    ours, theirs = keras.layers.StringLookup(**kwargs), keras_oracle.layers.StringLookup(**kwargs)
    ours.adapt(train)
    theirs.adapt(train)
    assert ours.get_vocabulary() == [str(t) for t in theirs.get_vocabulary()]
    expected = keras_oracle.ops.convert_to_numpy(theirs(test))
    np.testing.assert_allclose(ours(test).numpy(), expected, rtol=1e-6)
    for key in ("invert", "max_tokens", "num_oov_indices", "oov_token", "mask_token", "output_mode", "sparse",
                "pad_to_max_tokens", "vocabulary_size", "oov_method", "salt", "encoding"):
        assert ours.get_config()[key] == theirs.get_config()[key], key


@pytest.mark.keras_oracle
def test_given_vocabulary_parity_with_keras(keras_oracle):
    pytest.importorskip("tensorflow")
    kwargs = {"vocabulary": ["", "[UNK]", "a", "b"], "mask_token": "", "output_mode": "int"}
    ours, theirs = keras.layers.StringLookup(**kwargs), keras_oracle.layers.StringLookup(**kwargs)
    x = np.array([["a", "", "b"], ["q", "b", "a"]])
    np.testing.assert_array_equal(ours(x).numpy(), keras_oracle.ops.convert_to_numpy(theirs(x)))
    assert ours.get_vocabulary() == theirs.get_vocabulary()
    ours_config, theirs_config = ours.get_config(), theirs.get_config()
    assert {k: v for k, v in ours_config.items() if k not in ("name", "dtype")} == {
        k: v for k, v in theirs_config.items() if k not in ("name", "dtype")}
