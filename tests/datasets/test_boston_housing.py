"""``layerwise.datasets.boston_housing``: a tiny ``boston_housing.npz``, checked against Keras's loader."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

import layerwise.datasets
from layerwise.api_export import get_public
from layerwise.datasets import boston_housing
from layerwise.datasets._download import DownloadError

URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/boston_housing.npz"
SHA256 = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"


def tiny_file(path: Path, n: int = 23) -> tuple[Path, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(n, 13)) * 10, rng.uniform(5, 50, n)
    np.savez(path, x=x, y=y)
    return path, x, y


def test_public_api():
    assert layerwise.datasets.boston_housing.load_data is boston_housing.load_data
    assert get_public("layerwise.datasets.boston_housing.load_data") is boston_housing.load_data
    assert (boston_housing._ORIGIN, boston_housing._FILE_HASH) == (URL, SHA256)


@pytest.mark.parametrize("test_split, seed", [(0.2, 113), (0.0, 113), (0.5, 0), (0.33, 7), (0.99, 2**32 - 1)])
def test_split_and_shuffle_by_hand(tmp_path, home, server, test_split, seed):
    path, x, y = tiny_file(tmp_path / "boston.npz")
    (x_train, y_train), (x_test, y_test) = boston_housing.load_data(str(path), test_split=test_split, seed=seed)
    order = np.arange(len(x))
    np.random.RandomState(seed).shuffle(order)
    cut = int(len(x) * (1 - test_split))
    np.testing.assert_array_equal(x_train, x[order[:cut]])
    np.testing.assert_array_equal(y_train, y[order[:cut]])
    np.testing.assert_array_equal(x_test, x[order[cut:]])
    np.testing.assert_array_equal(y_test, y[order[cut:]])
    assert x_train.dtype == np.float64 and x_train.shape == (cut, 13) and y_test.shape == (len(x) - cut,)
    assert server.requested == []


@pytest.mark.parametrize("test_split, seed", [(0.2, 113), (0.4, 1)])
def test_same_as_keras_reading_the_same_file(tmp_path, home, monkeypatch, keras_oracle, test_split, seed):
    from keras.src.datasets import boston_housing as keras_boston

    path, _, _ = tiny_file(tmp_path / "boston.npz", n=31)
    monkeypatch.setattr(keras_boston, "get_file", lambda *args, **kwargs: str(path))
    theirs = keras_boston.load_data(test_split=test_split, seed=seed)
    ours = boston_housing.load_data(str(path), test_split=test_split, seed=seed)
    for part_ours, part_theirs in zip(ours, theirs):
        for a, b in zip(part_ours, part_theirs):
            assert a.dtype == b.dtype
            np.testing.assert_array_equal(a, b)


def test_download_checksum_and_cache(tmp_path, home, server, monkeypatch):
    path, x, _ = tiny_file(tmp_path / "upstream.npz")
    body = path.read_bytes()
    server.files[URL] = body
    with pytest.raises(ValueError, match=SHA256):  # the tiny file is not Keras's: refused, not cached
        boston_housing.load_data()
    assert not (home / "datasets" / "boston_housing.npz").exists()
    monkeypatch.setattr(boston_housing, "_FILE_HASH", hashlib.sha256(body).hexdigest())
    (x_train, _), (x_test, _) = boston_housing.load_data()
    assert len(x_train) + len(x_test) == len(x)
    assert (home / "datasets" / "boston_housing.npz").read_bytes() == body
    boston_housing.load_data()
    assert server.requested == [URL, URL]


def test_offline_error(home, server):
    with pytest.raises(DownloadError) as info:
        boston_housing.load_data()
    assert URL in str(info.value) and str(home / "datasets" / "boston_housing.npz") in str(info.value)
    assert "load_data(path=" in str(info.value)


@pytest.mark.parametrize("test_split", [1.0, -0.1, float("nan")])
def test_bad_test_split(home, test_split):
    with pytest.raises(ValueError, match=r"`boston_housing.load_data` argument `test_split` must be in \[0, 1\)"):
        boston_housing.load_data(test_split=test_split)


def test_bad_seed(home):
    with pytest.raises(TypeError, match="`seed`"):
        boston_housing.load_data(seed=1.5)
    with pytest.raises(ValueError, match="`seed`"):
        boston_housing.load_data(seed=-1)


@pytest.mark.parametrize("arrays, match", [
    ({"x": np.zeros((3, 13))}, "lacks y"),
    ({"x": np.zeros((3, 12)), "y": np.zeros(3)}, r"x has shape \(3, 12\)"),
    ({"x": np.zeros((3, 13)), "y": np.zeros(4)}, r"y has shape \(4,\)"),
    ({"x": np.array([["a"] * 13] * 3), "y": np.zeros(3)}, "x has dtype"),
])
def test_bad_content(tmp_path, home, arrays, match):
    path = tmp_path / "bad.npz"
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=match) as info:
        boston_housing.load_data(str(path))
    assert str(path) in str(info.value)


def test_object_arrays_are_refused(tmp_path, home):
    path = tmp_path / "pickled.npz"
    np.savez(path, x=np.array([object()] * 3, dtype=object), y=np.zeros(3))
    with pytest.raises(ValueError, match="cannot be read"):
        boston_housing.load_data(str(path))
