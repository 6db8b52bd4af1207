"""``layerwise.datasets.imdb``: a tiny ``imdb.npz`` in Keras's layout, filtered as Keras filters it."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

import layerwise.datasets
from layerwise.api_export import get_public
from layerwise.datasets import imdb
from layerwise.datasets._download import DownloadError

BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
SHA256 = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"


def object_array(items) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        out[i] = list(item)
    return out


def random_reviews(n: int, rng) -> list[list[int]]:
    return [rng.integers(1, 60, int(rng.integers(1, 25))).tolist() for _ in range(n)]


def write_imdb(path, train, y_train, test, y_test) -> str:
    np.savez(path, x_train=object_array(train), y_train=np.asarray(y_train), x_test=object_array(test),
             y_test=np.asarray(y_test))
    return str(path)


@pytest.fixture
def random_file(tmp_path):
    rng = np.random.default_rng(5)
    train, test = random_reviews(40, rng), random_reviews(30, rng)
    return write_imdb(tmp_path / "imdb.npz", train, rng.integers(0, 2, 40), test, rng.integers(0, 2, 30))


def test_public_api():
    assert layerwise.datasets.imdb.load_data is imdb.load_data
    assert get_public("layerwise.datasets.imdb.load_data") is imdb.load_data
    assert get_public("layerwise.datasets.imdb.get_word_index") is imdb.get_word_index
    assert (imdb._ORIGIN, imdb._FILE_HASH) == (BASE + "imdb.npz", SHA256)
    assert (imdb._INDEX_ORIGIN, imdb._INDEX_HASH) == (BASE + "imdb_word_index.json", "bfafd718b763782e994055a2d397834f")


def test_hand_computed_filtering(tmp_path, home, server):
    # Train [[5, 1, 9], [2, 2]], test [[7, 3]]; RandomState(0) swaps the two training reviews.
    path = write_imdb(tmp_path / "tiny.npz", [[5, 1, 9], [2, 2]], [1, 0], [[7, 3]], [1])
    (x_train, y_train), (x_test, y_test) = imdb.load_data(path, seed=0)
    # index_from=3, start_char=1; num_words=None -> the largest index (12) becomes oov_char=2.
    assert x_train.tolist() == [[1, 5, 5], [1, 8, 4, 2]] and y_train.tolist() == [0, 1]
    assert x_test.tolist() == [[1, 10, 6]] and y_test.tolist() == [1]
    assert x_train.dtype == object and x_train.shape == (2,) and isinstance(x_train[0], list)

    (x_train, _), (x_test, _) = imdb.load_data(path, seed=0, num_words=9, skip_top=5)
    assert x_train.tolist() == [[2, 5, 5], [2, 8, 2, 2]] and x_test.tolist() == [[2, 2, 6]]
    (x_train, _), (x_test, _) = imdb.load_data(path, seed=0, num_words=9, skip_top=5, oov_char=None)
    assert x_train.tolist() == [[5, 5], [8]] and x_test.tolist() == [[6]]
    (x_train, y_train), (x_test, _) = imdb.load_data(path, seed=0, maxlen=4, num_words=100)
    assert x_train.tolist() == [[1, 5, 5]] and y_train.tolist() == [0] and x_test.tolist() == [[1, 10, 6]]
    (x_train, _), _ = imdb.load_data(path, seed=0, start_char=None, index_from=0, num_words=100)
    assert x_train.tolist() == [[2, 2], [5, 1, 9]]
    (x_train, _), _ = imdb.load_data(path, seed=0, start_char=7, index_from=10, num_words=100)
    assert x_train.tolist() == [[7, 12, 12], [7, 15, 11, 19]]
    assert server.requested == []


ARGUMENTS = [
    {},
    {"num_words": 20},
    {"num_words": 30, "skip_top": 6},
    {"maxlen": 15},
    {"maxlen": 10, "num_words": 25, "seed": 7},
    {"oov_char": None, "num_words": 20, "skip_top": 4},
    {"start_char": None, "index_from": 0},
    {"start_char": None, "index_from": 5, "num_words": 40},
    {"index_from": 10, "oov_char": 9, "seed": 0},
    {"num_words": 0, "maxlen": 0},
]


@pytest.mark.parametrize("kwargs", ARGUMENTS, ids=[str(a) for a in ARGUMENTS])
def test_same_as_keras_on_the_same_file(random_file, home, monkeypatch, keras_oracle, kwargs):
    from keras.src.datasets import imdb as keras_imdb

    monkeypatch.setattr(keras_imdb, "get_file", lambda *args, **kw: random_file)
    theirs = keras_imdb.load_data(**kwargs)
    ours = imdb.load_data(random_file, **kwargs)
    for (x_ours, y_ours), (x_theirs, y_theirs) in zip(ours, theirs):
        assert x_ours.dtype == object and x_ours.shape == x_theirs.shape
        assert x_ours.tolist() == [list(map(int, s)) for s in x_theirs]
        assert y_ours.dtype == y_theirs.dtype
        np.testing.assert_array_equal(y_ours, y_theirs)


def test_maxlen_that_empties_a_set(tmp_path, home):
    path = write_imdb(tmp_path / "tiny.npz", [[1, 2, 3]], [1], [[4]], [0])
    with pytest.raises(ValueError, match="`imdb.load_data` argument `maxlen`.*training set"):
        imdb.load_data(path, maxlen=3)
    (x_train, _), (x_test, _) = imdb.load_data(path, maxlen=5, num_words=100)
    assert x_train.tolist() == [[1, 4, 5, 6]] and x_test.tolist() == [[1, 7]]


@pytest.mark.parametrize("name, value, error", [
    ("num_words", -1, ValueError), ("num_words", 2.5, TypeError), ("skip_top", None, TypeError),
    ("maxlen", "10", TypeError), ("seed", 2**32, ValueError), ("start_char", -1, ValueError),
    ("oov_char", 1.0, TypeError), ("index_from", None, TypeError),
])
def test_bad_arguments(home, server, name, value, error):
    with pytest.raises(error, match=f"`imdb.load_data` argument `{name}`"):
        imdb.load_data(**{name: value})
    assert server.requested == []


def test_download_checksum_cache_and_offline(random_file, home, server, monkeypatch):
    with pytest.raises(DownloadError) as info:
        imdb.load_data()
    assert BASE + "imdb.npz" in str(info.value) and str(home / "datasets" / "imdb.npz") in str(info.value)
    body = open(random_file, "rb").read()
    server.files[BASE + "imdb.npz"] = body
    with pytest.raises(ValueError, match=SHA256):
        imdb.load_data()
    assert not (home / "datasets" / "imdb.npz").exists()
    monkeypatch.setattr(imdb, "_FILE_HASH", hashlib.sha256(body).hexdigest())
    first = imdb.load_data()
    second = imdb.load_data()
    assert server.requested == [BASE + "imdb.npz"] * 3
    assert first[0][0].tolist() == second[0][0].tolist() == imdb.load_data(random_file)[0][0].tolist()


@pytest.mark.parametrize("arrays, match", [
    ({"x_train": object_array([[1]]), "y_train": np.array([1])}, "lacks x_test, y_test"),
    ({"x_train": object_array([[1]]), "y_train": np.array([1, 0]), "x_test": object_array([[1]]),
      "y_test": np.array([0])}, "y_train must be 1 integer labels"),
    ({"x_train": object_array([[1]]), "y_train": np.array([0.5]), "x_test": object_array([[1]]),
      "y_test": np.array([0])}, "y_train must be 1 integer labels"),
    ({"x_train": np.zeros(3), "y_train": np.zeros(3, int), "x_test": object_array([[1]]),
      "y_test": np.array([0])}, "x_train is not an array of integer sequences"),
])
def test_bad_content(tmp_path, home, arrays, match):
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=match) as info:
        imdb.load_data(str(path))
    assert str(path) in str(info.value)


def test_rectangular_integer_arrays_are_sequences_too(tmp_path, home):
    path = tmp_path / "rect.npz"
    np.savez(path, x_train=np.array([[1, 2], [3, 4]]), y_train=np.array([0, 1]), x_test=np.array([[5, 6]]),
             y_test=np.array([1]))
    (x_train, _), (x_test, _) = imdb.load_data(str(path), seed=0, num_words=100)
    assert x_train.tolist() == [[1, 6, 7], [1, 4, 5]] and x_test.tolist() == [[1, 8, 9]]


def test_word_index(tmp_path, home, server, monkeypatch):
    index = {"the": 1, "and": 2, "a": 3, "émotion": 4}
    body = json.dumps(index).encode("utf-8")
    url = BASE + "imdb_word_index.json"
    server.files[url] = body
    with pytest.raises(ValueError, match="MD5"):  # not Keras's file
        imdb.get_word_index()
    monkeypatch.setattr(imdb, "_INDEX_HASH", hashlib.md5(body).hexdigest())
    assert imdb.get_word_index() == index
    assert imdb.get_word_index() == index
    assert server.requested == [url, url]
    local = tmp_path / "words.json"
    local.write_bytes(body)
    assert imdb.get_word_index(str(local)) == index


@pytest.mark.parametrize("content, match", [
    (b"[1, 2]", "holds a list"), (b'{"the": "1"}', "not an integer"), (b"{", "cannot be read as JSON"),
])
def test_bad_word_index(tmp_path, home, content, match):
    local = tmp_path / "words.json"
    local.write_bytes(content)
    with pytest.raises(ValueError, match=match) as info:
        imdb.get_word_index(str(local))
    assert str(local) in str(info.value)
