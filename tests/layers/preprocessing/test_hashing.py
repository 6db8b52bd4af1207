"""Hashing: FarmHash and SipHash against values recorded from TensorFlow, Keras's bins, encodings,
masks, config, errors; live Keras parity when Keras and TensorFlow are installed."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.layers.preprocessing.hash_utils import fingerprint64, hash_to_bins, siphash64

# FarmHash fingerprints recorded from TensorFlow 2.21's tf.fingerprint(method='farmhash64').
FINGERPRINTS = {
    '': 11160318154034397263,
    'a': 12917804110809363939,
    'ab': 12289600257749001502,
    'abc': 2640714258260161385,
    'abcd': 1897425971756105985,
    'hello': 13009744463427800296,
    'abcdefgh': 18368443631171807497,
    '0123456789abcdef': 6105018409752412263,
    '0123456789abcdefg': 12024047538191061578,
    'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx': 12901576723999808517,
    'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy': 8610735037765521150,
    'The quick brown fox jumps over the lazy dog!': 5430687883828930891,
    'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz': 294799756062990872,
    'wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww': 12495383604066267776,
    'Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum ': 10175726048096148750,
    'ünïcödé ✓': 15990201939095139337,
    '-42': 16304005864742066718,
    '1000000000000': 2436409587865513412,
}
# tf.strings.to_hash_bucket_strong(s, 2**61 - 1, key=[133, 137]) (SipHash-2-4) from TensorFlow 2.21.
SIPHASH_133_137 = {
    '': 316627932347062998,
    'a': 160410968480759501,
    'ab': 1508926125806594379,
    'abc': 2288159068006480043,
    'abcd': 890676207687158222,
    'hello': 1067426241479190957,
    'abcdefgh': 210173030064361738,
    '0123456789abcdef': 1739228951518905707,
    '0123456789abcdefg': 2112349501170619355,
    'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx': 814092544179586341,
    'yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy': 1439868405437912723,
    'The quick brown fox jumps over the lazy dog!': 1934977865551016939,
    'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz': 1178533418333090628,
    'wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww': 571357658125464596,
    'Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum Lorem ipsum ': 2043795204286019155,
    'ünïcödé ✓': 2286267798672400647,
    '-42': 1447583067023860821,
    '1000000000000': 1331891694303128137,
}


def test_fingerprint64_matches_tensorflow():
    for text, expected in FINGERPRINTS.items():  # lengths 0..130 cover every branch of the algorithm
        assert fingerprint64(text.encode("utf-8")) == expected, text


def test_siphash_matches_tensorflow_and_the_paper():
    for text, expected in SIPHASH_133_137.items():
        assert siphash64(text.encode("utf-8"), (133, 137)) % (2 ** 61 - 1) == expected, text
    key = (0x0706050403020100, 0x0F0E0D0C0B0A0908)  # test vector of the SipHash paper (appendix A)
    assert siphash64(bytes(range(15)), key) == 0xA129CA6149BE45E5


def test_bins_are_fingerprint_modulo_num_bins():
    texts = list(FINGERPRINTS)
    out = keras.layers.Hashing(num_bins=7)(np.array(texts))
    assert out.dtype == torch.int64
    np.testing.assert_array_equal(out.numpy(), [FINGERPRINTS[t] % 7 for t in texts])
    # integers are hashed by their decimal text, floats after truncation
    ints = keras.layers.Hashing(num_bins=1000)(torch.tensor([[-42, 1000000000000]]))
    np.testing.assert_array_equal(ints.numpy(), [[FINGERPRINTS["-42"] % 1000, FINGERPRINTS["1000000000000"] % 1000]])
    floats = keras.layers.Hashing(num_bins=1000)(torch.tensor([-42.9]))
    assert floats.tolist() == [FINGERPRINTS["-42"] % 1000]


def test_keras_documented_examples():
    data = [["A"], ["B"], ["C"], ["D"], ["E"]]
    assert keras.layers.Hashing(num_bins=3)(data).tolist() == [[1], [0], [1], [1], [2]]
    assert keras.layers.Hashing(num_bins=3, mask_value="")([["A"], ["B"], [""], ["C"], ["D"]]).tolist() == [
        [1], [1], [0], [2], [2]]
    assert keras.layers.Hashing(num_bins=3, salt=[133, 137])(data).tolist() == [[1], [2], [1], [0], [2]]
    assert keras.layers.Hashing(num_bins=3, salt=133)(data).tolist() == [[0], [0], [2], [1], [0]]


def test_mask_value_takes_bin_zero_and_shifts_the_others():
    texts = ["a", "", "hello"]
    out = keras.layers.Hashing(num_bins=5, mask_value="")(texts).tolist()
    assert out == [FINGERPRINTS["a"] % 4 + 1, 0, FINGERPRINTS["hello"] % 4 + 1]
    ints = keras.layers.Hashing(num_bins=5, mask_value=0)(torch.tensor([0, -42])).tolist()
    assert ints == [0, FINGERPRINTS["-42"] % 4 + 1]


def test_encoded_outputs():
    bins = hash_to_bins([b"a", b"ab", b"abc"], 4).tolist()
    x = [["a", "ab", "abc"]]
    multi_hot = keras.layers.Hashing(num_bins=4, output_mode="multi_hot")(x)
    count = keras.layers.Hashing(num_bins=4, output_mode="count")(x)
    expected = np.zeros((1, 4))
    for b in bins:
        expected[0, b] += 1
    np.testing.assert_array_equal(count.numpy(), expected)
    np.testing.assert_array_equal(multi_hot.numpy(), expected > 0)
    one_hot = keras.layers.Hashing(num_bins=4, output_mode="one_hot")([["a"], ["ab"]])
    np.testing.assert_array_equal(one_hot.numpy(), np.eye(4)[bins[:2]])
    assert one_hot.dtype == torch.float32
    sparse = keras.layers.Hashing(num_bins=4, output_mode="count", sparse=True)(x)
    np.testing.assert_array_equal(sparse.to_dense().numpy(), expected)
    assert keras.layers.Hashing(num_bins=4, dtype="int32")(["a"]).dtype == torch.int32


def test_config_round_trip_and_shapes():
    layer = keras.layers.Hashing(num_bins=9, salt=5, mask_value="", output_mode="count")
    config = layer.get_config()
    assert config["salt"] == [5, 5] and config["mask_value"] == ""
    revived = keras.layers.Hashing.from_config(config)
    assert revived.get_config() == config
    assert torch.equal(revived([["x", "y"]]), layer([["x", "y"]]))
    assert layer.compute_output_shape((None, 3)) == (None, 9)
    assert keras.layers.Hashing(num_bins=9).compute_output_shape((None, 3)) == (None, 3)


def test_in_a_model_on_integer_inputs():
    inputs = keras.Input(shape=(2,), dtype="int64")
    outputs = keras.layers.Embedding(5, 3)(keras.layers.Hashing(num_bins=5)(inputs))
    model = keras.Model(inputs, outputs)
    assert tuple(model(torch.tensor([[1, 2]])).shape) == (1, 2, 3)


@pytest.mark.parametrize("kwargs,error,match", [
    ({"num_bins": 0}, ValueError, "`num_bins` must be a positive integer"),
    ({"num_bins": 3, "output_mode": "one-hot"}, ValueError, "did you mean 'one_hot'"),
    ({"num_bins": 3, "sparse": True}, ValueError, "`sparse` can be True only"),
    ({"num_bins": 3, "salt": "pepper"}, ValueError, "`salt` must be None"),
    ({"num_bins": 3, "salt": [1, 2, 3]}, ValueError, "`salt` must be None"),
    ({"num_bins": 3, "mask_value": [0]}, ValueError, "`mask_value` must be None"),
    ({"num_bins": 3, "dtype": "float32"}, ValueError, "`dtype` must be 'int32' or 'int64'"),
])
def test_invalid_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        keras.layers.Hashing(**kwargs)


def test_invalid_inputs():
    with pytest.raises(TypeError, match="strings or numbers"):
        keras.layers.Hashing(num_bins=3)(torch.tensor([True]))
    with pytest.raises(ValueError, match="rank at most 2"):
        keras.layers.Hashing(num_bins=3, output_mode="count")(torch.zeros(2, 2, 2, dtype=torch.int64))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [
    {"num_bins": 3}, {"num_bins": 11, "mask_value": ""}, {"num_bins": 5, "salt": [133, 137]},
    {"num_bins": 7, "salt": 42}, {"num_bins": 4, "output_mode": "multi_hot"}, {"num_bins": 4, "output_mode": "count"},
    {"num_bins": 4, "output_mode": "one_hot"},
])
def test_parity_with_keras(keras_oracle, kwargs):
    pytest.importorskip("tensorflow")  # Keras's Hashing needs TensorFlow for its string ops
    rng = np.random.default_rng(0)
    words = np.array([["".join(rng.choice(list("abcxyz é"), size=n)) for n in rng.integers(0, 90, size=3)]
                      for _ in range(4)])
    if kwargs.get("output_mode") == "one_hot":
        words = words[:, :1]
    ints = torch.as_tensor(rng.integers(-10 ** 9, 10 ** 9, size=(3, 4 if kwargs.get("output_mode") != "one_hot" else 1)))
    ours, theirs = keras.layers.Hashing(**kwargs), keras_oracle.layers.Hashing(**kwargs)
    for x in (words, ints) if 'mask_value' not in kwargs else (words,):
        expected = keras_oracle.ops.convert_to_numpy(theirs(x))
        np.testing.assert_array_equal(ours(x).numpy(), expected)
