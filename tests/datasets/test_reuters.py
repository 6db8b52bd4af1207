"""``layerwise.datasets.reuters``: a tiny ``reuters.npz`` in Keras's layout, filtered as Keras filters it."""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pytest

import layerwise.datasets
from layerwise.api_export import get_public
from layerwise.datasets import reuters
from layerwise.datasets._download import DownloadError

BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
SHA256 = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"


def object_array(items) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        out[i] = list(item)
    return out


def write_reuters(path, wires, labels) -> str:
    np.savez(path, x=object_array(wires), y=np.asarray(labels))
    return str(path)


@pytest.fixture
def random_file(tmp_path):
    rng = np.random.default_rng(11)
    wires = [rng.integers(1, 80, int(rng.integers(1, 30))).tolist() for _ in range(57)]
    return write_reuters(tmp_path / "reuters.npz", wires, rng.integers(0, 46, 57))


def test_public_api():
    assert layerwise.datasets.reuters.load_data is reuters.load_data
    for name in ("load_data", "get_word_index", "get_label_names"):
        assert get_public(f"layerwise.datasets.reuters.{name}") is getattr(reuters, name)
    assert (reuters._ORIGIN, reuters._FILE_HASH) == (BASE + "reuters.npz", SHA256)
    assert reuters._INDEX_HASH == "4d44cc38712099c9e383dc6e5f11a921"


def test_label_names_match_keras(keras_oracle):
    names = reuters.get_label_names()
    assert isinstance(names, tuple) and len(names) == 46 and len(set(names)) == 46
    assert names == tuple(keras_oracle.datasets.reuters.get_label_names())


def test_hand_computed(tmp_path, home, server):
    # RandomState(0) orders the three newswires as 2, 1, 0.
    path = write_reuters(tmp_path / "tiny.npz", [[1, 2], [3], [4, 5, 6]], [3, 4, 19])
    (x_train, y_train), (x_test, y_test) = reuters.load_data(path, test_split=0.3, seed=0)
    # Shift by 3, start with 1, the largest index (9) becomes 2; int(3 * 0.7) = 2 training wires.
    assert x_train.tolist() == [[1, 7, 8, 2], [1, 6]] and y_train.tolist() == [19, 4]
    assert x_test.tolist() == [[1, 4, 5]] and y_test.tolist() == [3]
    # maxlen=4 drops the 4-long [1, 7, 8, 9]; then int(2 * 0.5) = 1 training wire.
    (x_train, y_train), (x_test, y_test) = reuters.load_data(path, test_split=0.5, seed=0, maxlen=4, num_words=7,
                                                              skip_top=5)
    assert x_train.tolist() == [[2, 6]] and y_train.tolist() == [4]
    assert x_test.tolist() == [[2, 2, 5]] and y_test.tolist() == [3]
    (x_train, _), (x_test, _) = reuters.load_data(path, test_split=0.0, seed=0, oov_char=None, num_words=8)
    assert x_train.tolist() == [[1, 7], [1, 6], [1, 4, 5]] and len(x_test) == 0
    assert server.requested == []


ARGUMENTS = [
    {},
    {"num_words": 30},
    {"num_words": 30, "skip_top": 5, "test_split": 0.5},
    {"maxlen": 12, "seed": 3},
    {"oov_char": None, "num_words": 25, "skip_top": 3},
    {"start_char": None, "index_from": 0, "test_split": 0.1},
    {"start_char": None, "index_from": 2},
    {"index_from": 7, "oov_char": 5, "start_char": 4, "num_words": 50},
]


@pytest.mark.parametrize("kwargs", ARGUMENTS, ids=[str(a) for a in ARGUMENTS])
def test_same_as_keras_on_the_same_file(random_file, home, monkeypatch, keras_oracle, kwargs):
    from keras.src.datasets import reuters as keras_reuters

    monkeypatch.setattr(keras_reuters, "get_file", lambda *args, **kw: random_file)
    theirs = keras_reuters.load_data(**kwargs)
    ours = reuters.load_data(random_file, **kwargs)
    for (x_ours, y_ours), (x_theirs, y_theirs) in zip(ours, theirs):
        assert x_ours.dtype == object and x_ours.shape == x_theirs.shape
        assert x_ours.tolist() == [list(map(int, s)) for s in x_theirs]
        assert y_ours.dtype == y_theirs.dtype
        np.testing.assert_array_equal(y_ours, y_theirs)


@pytest.mark.parametrize("test_split", [1.0, -0.5, "0.2"])
def test_bad_test_split(home, server, test_split):
    with pytest.raises((ValueError, TypeError), match="`reuters.load_data` argument `test_split`"):
        reuters.load_data(test_split=test_split)
    assert server.requested == []


def test_download_checksum_cache_and_offline(random_file, home, server, monkeypatch):
    with pytest.raises(DownloadError) as info:
        reuters.load_data()
    assert str(home / "datasets" / "reuters.npz") in str(info.value)
    body = open(random_file, "rb").read()
    server.files[BASE + "reuters.npz"] = body
    with pytest.raises(ValueError, match=SHA256):
        reuters.load_data()
    monkeypatch.setattr(reuters, "_FILE_HASH", hashlib.sha256(body).hexdigest())
    (x_train, _), (x_test, _) = reuters.load_data()
    reuters.load_data()
    assert len(x_train) + len(x_test) == 57 and len(x_train) == int(57 * 0.8)
    assert server.requested == [BASE + "reuters.npz"] * 3


def test_bad_content(tmp_path, home):
    path = tmp_path / "bad.npz"
    np.savez(path, x=object_array([[1], [2]]))
    with pytest.raises(ValueError, match="lacks y") as info:
        reuters.load_data(str(path))
    assert str(path) in str(info.value)


def test_word_index(tmp_path, home, server, monkeypatch):
    index = {"the": 1, "of": 2}
    body = json.dumps(index).encode()
    server.files[BASE + "reuters_word_index.json"] = body
    monkeypatch.setattr(reuters, "_INDEX_HASH", hashlib.md5(body).hexdigest())
    assert reuters.get_word_index() == index
    assert (home / "datasets" / "reuters_word_index.json").read_bytes() == body
