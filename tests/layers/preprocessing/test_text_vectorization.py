"""TextVectorization: standardize/split/ngrams by hand, padding and truncation, bag-of-words modes,
tf_idf against the formula, adapt order, config round trip (callables too), errors, Keras parity."""

import json
import math

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.saving import register_keras_serializable

VOCAB = ["earth", "wind", "and", "fire"]
TEXTS = np.array(["Earth wind, and FIRE!", "fire fire  water", ""])


def test_int_output_pads_and_truncates():
    layer = keras.layers.TextVectorization(vocabulary=VOCAB)
    out = layer(TEXTS)
    assert out.dtype == torch.int64
    assert out.tolist() == [[2, 3, 4, 5], [5, 5, 1, 0], [0, 0, 0, 0]]  # 0 pads, 1 is OOV
    assert layer(TEXTS[:, None]).tolist() == out.tolist()
    short = keras.layers.TextVectorization(vocabulary=VOCAB, output_sequence_length=2)
    assert short(TEXTS).tolist() == [[2, 3], [5, 5], [0, 0]]
    long = keras.layers.TextVectorization(vocabulary=VOCAB, output_sequence_length=5)
    assert long(["wind"]).tolist() == [[3, 0, 0, 0, 0]]
    assert layer("fire and wind").tolist() == [5, 4, 3]


def test_standardize_and_split_options():
    vocab = ["a", "b", "É", "a,b"]
    assert keras.layers.TextVectorization(vocabulary=vocab, standardize="lower")(["A,B a"]).tolist() == [[5, 2]]
    strip = keras.layers.TextVectorization(vocabulary=vocab, standardize="strip_punctuation")
    assert strip(["A,B É"]).tolist() == [[1, 4]]  # "AB" is unknown, É stays upper
    assert keras.layers.TextVectorization(vocabulary=vocab)(["É"]).tolist() == [[4]]  # ASCII-only lower-casing
    chars = keras.layers.TextVectorization(vocabulary=["a", "b"], split="character", standardize=None)
    assert chars(["ab a"]).tolist() == [[2, 3, 1, 2]]
    whole = keras.layers.TextVectorization(vocabulary=["hello world"], split=None)
    assert whole(["Hello, World!", "x"]).tolist() == [2, 1]  # each text is one token
    # only ASCII whitespace splits, as TensorFlow's strings.split
    assert keras.layers.TextVectorization(vocabulary=["x"])(["x\u00a0x x\tx"]).tolist() == [[1, 2, 2]]
    custom = keras.layers.TextVectorization(vocabulary=["b"], standardize=lambda s: np.char.replace(s, "a", "b"),
                                            split=lambda s: [t.split("-") for t in s])
    assert custom(["a-c-b"]).tolist() == [[2, 1, 2]]


def test_ngrams_and_bag_of_words():
    layer = keras.layers.TextVectorization(vocabulary=VOCAB + ["earth wind"], ngrams=2, output_mode="count")
    # 1-grams then 2-grams: earth wind and fire | earth wind, wind and, and fire
    np.testing.assert_array_equal(layer(["earth wind and fire"]).numpy(), [[2, 1, 1, 1, 1, 1]])
    multi = keras.layers.TextVectorization(vocabulary=VOCAB, output_mode="multi_hot")
    np.testing.assert_array_equal(multi(TEXTS).numpy(), [[0, 1, 1, 1, 1], [1, 0, 0, 0, 1], [0, 0, 0, 0, 0]])
    padded = keras.layers.TextVectorization(vocabulary=VOCAB, output_mode="count", max_tokens=8, pad_to_max_tokens=True)
    np.testing.assert_array_equal(padded(["fire fire"]).numpy(), [[0, 0, 0, 0, 2, 0, 0, 0]])
    one_hot = keras.layers.TextVectorization(vocabulary=VOCAB, split=None, output_mode="one_hot")
    np.testing.assert_array_equal(one_hot([["fire"], ["x"]]).numpy(), [[0, 0, 0, 0, 1], [1, 0, 0, 0, 0]])
    widths = keras.layers.TextVectorization(vocabulary=["a b c"], ngrams=(3,))
    assert widths(["a b c d"]).tolist() == [[2, 1]]


def test_adapt_and_tf_idf_formula():
    docs = ["The cat sat.", "the cat", "a dog, a cat"]
    layer = keras.layers.TextVectorization()
    layer.adapt(docs)
    assert layer.get_vocabulary() == ["", "[UNK]", "cat", "the", "a", "sat", "dog"]
    tfidf = keras.layers.TextVectorization(output_mode="tf_idf", max_tokens=5)
    tfidf.adapt(docs)
    assert tfidf.get_vocabulary() == ["[UNK]", "cat", "the", "a", "sat"]
    idf = {"cat": math.log(1 + 3 / 4), "the": math.log(1 + 3 / 3), "a": math.log(1 + 3 / 2),
           "sat": math.log(1 + 3 / 2)}
    oov = np.mean([np.float32(v) for v in idf.values()])
    np.testing.assert_allclose(tfidf(["a a cat zebra"]).numpy(), [[oov, idf["cat"], 0, 2 * idf["a"], 0]], rtol=1e-6)
    batched = keras.layers.TextVectorization()
    batched.adapt(iter([np.array(["b b"]), np.array(["a"]), np.array(["c c c"])]), steps=2)
    assert batched.get_vocabulary() == ["", "[UNK]", "b", "a"]


@register_keras_serializable(package="test_text_vectorization")
def _upper(texts):
    return np.char.upper(texts)


def test_config_round_trip():
    layer = keras.layers.TextVectorization(max_tokens=10, ngrams=(1, 2), output_mode="tf_idf", standardize=_upper)
    layer.adapt(["x y", "y z"])
    config = json.loads(json.dumps(layer.get_config()))
    assert config["ragged"] is False and config["vocabulary_size"] == layer.vocabulary_size()
    revived = keras.layers.TextVectorization.from_config(config)
    assert revived.get_config() == layer.get_config()
    assert torch.equal(revived(["x y q"]), layer(["x y q"]))
    assert revived.get_vocabulary() == layer.get_vocabulary() and revived.get_vocabulary()[1] == "Y"
    given = keras.layers.TextVectorization(vocabulary=VOCAB, output_sequence_length=3)
    assert given.get_config()["vocabulary"] == VOCAB
    given.set_vocabulary(["x"])
    assert given(["x y"]).tolist() == [[2, 1, 0]]


def test_feeds_an_embedding_model():
    vectorize = keras.layers.TextVectorization(vocabulary=VOCAB, output_sequence_length=4)
    model = keras.Sequential([keras.Input(shape=(4,), dtype="int64"), keras.layers.Embedding(6, 3, mask_zero=True),
                              keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(1)])
    assert tuple(model(vectorize(TEXTS)).shape) == (3, 1)
    assert vectorize.compute_output_shape((None,)) == (None, 4)
    assert keras.layers.TextVectorization(vocabulary=VOCAB, output_mode="count").compute_output_shape((None,)) == (
        None, 5)


@pytest.mark.parametrize("kwargs,match", [
    ({"ragged": True}, "`ragged` must be False: torch has no ragged tensors"),
    ({"standardize": "lowercase"}, "`standardize` must be one of"),
    ({"split": "space"}, "`split` must be one of"),
    ({"ngrams": 0}, "`ngrams` must be None, a positive integer"),
    ({"ngrams": (1, "2")}, "`ngrams` must be None, a positive integer"),
    ({"output_mode": "count", "output_sequence_length": 3}, "`output_sequence_length` is used only"),
    ({"output_sequence_length": 0}, "`output_sequence_length` must be None or a positive integer"),
    ({"output_mode": "one_hot"}, "'one_hot' only with split=None"),
    ({"encoding": 5}, "`encoding` must be the name"),
    ({"max_tokens": 1}, "`max_tokens` must be None or an integer greater than 1"),
])
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        keras.layers.TextVectorization(**kwargs)


def test_call_errors():
    with pytest.raises(ValueError, match="splits texts of shape \\(batch,\\) or \\(batch, 1\\)"):
        keras.layers.TextVectorization(vocabulary=VOCAB)(np.array([["a", "b"]]))
    with pytest.raises(ValueError, match="cannot be adapted"):
        keras.layers.TextVectorization(vocabulary=VOCAB).adapt(["a"])
    with pytest.raises(TypeError, match="torch tensors cannot hold strings"):
        keras.layers.TextVectorization(vocabulary=VOCAB)(torch.zeros(2))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [
    {}, {"output_sequence_length": 3}, {"output_mode": "multi_hot"}, {"output_mode": "count", "ngrams": 2},
    {"output_mode": "tf_idf", "ngrams": (1, 3)}, {"split": "character", "output_mode": "count", "max_tokens": 6},
    {"standardize": "lower", "split": None}, {"standardize": None, "max_tokens": 4, "output_sequence_length": 5},
])
def test_parity_with_keras(keras_oracle, kwargs):
    pytest.importorskip("tensorflow")  # Keras's TextVectorization needs TensorFlow
    train = np.array(["The cat sat on the mat.", "The dog ate my homework!", "a CAT, a dog", "Mat? mat!", "É é"])
    test = np.array(["the cat and the dog", "MAT mat É", "", "zebra"])
    ours, theirs = keras.layers.TextVectorization(**kwargs), keras_oracle.layers.TextVectorization(**kwargs)
    ours.adapt(train)
    theirs.adapt(train)
    assert ours.get_vocabulary() == [str(t) for t in theirs.get_vocabulary()]
    expected = keras_oracle.ops.convert_to_numpy(theirs(test))
    np.testing.assert_allclose(ours(test).numpy(), expected, rtol=1e-6)
