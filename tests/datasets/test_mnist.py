"""``layerwise.datasets.mnist.load_data``, on tiny files in Keras's layout; no network."""

from __future__ import annotations

import hashlib
import io
import pickle
import urllib.error
from pathlib import Path

import numpy as np
import pytest

import layerwise.datasets
from layerwise.api_export import get_public
from layerwise.datasets import _download, mnist
from layerwise.datasets._download import DownloadError

KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
KERAS_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
REAL_MNIST_CANDIDATES = [
    Path("/work/shared/data/mnist.npz"),
    Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mnist.npz",
]


def tiny_arrays(n_train: int = 6, n_test: int = 4) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    return {
        "x_train": rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        "y_train": (np.arange(n_train) % 10).astype(np.uint8),
        "x_test": rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        "y_test": (np.arange(n_test)[::-1] % 10).astype(np.uint8),
    }


def write_npz(path: Path, arrays: dict[str, np.ndarray], compressed: bool = False) -> Path:
    (np.savez_compressed if compressed else np.savez)(path, **arrays)
    return path


def assert_loaded(result, arrays: dict[str, np.ndarray]) -> None:
    (x_train, y_train), (x_test, y_test) = result
    for name, got in zip(("x_train", "y_train", "x_test", "y_test"), (x_train, y_train, x_test, y_test)):
        assert isinstance(got, np.ndarray)
        assert got.dtype == np.uint8
        np.testing.assert_array_equal(got, arrays[name])


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "home"
    monkeypatch.setenv("LAYERWISE_HOME", str(root))
    return root


def test_public_api():
    assert layerwise.datasets.mnist.load_data is mnist.load_data
    assert get_public("layerwise.datasets.mnist.load_data") is mnist.load_data
    assert mnist._ORIGIN == KERAS_ORIGIN
    assert mnist._FILE_HASH == KERAS_SHA256


@pytest.mark.parametrize("compressed", [False, True])
def test_local_path_is_read_directly_without_network(tmp_path, home, monkeypatch, compressed):
    def opener(url, timeout=None):
        raise AssertionError("no download expected")

    monkeypatch.setattr(_download, "_urlopen", opener)
    arrays = tiny_arrays()
    local = write_npz(tmp_path / "local_mnist.npz", arrays, compressed)
    assert_loaded(mnist.load_data(path=str(local)), arrays)
    assert_loaded(mnist.load_data(local), arrays)  # a PathLike works too
    assert not (home / "datasets").exists()


def test_download_through_file_url_with_checksum_and_cache(tmp_path, home, monkeypatch, capsys):
    arrays = tiny_arrays()
    upstream = write_npz(tmp_path / "upstream.npz", arrays)
    monkeypatch.setattr(mnist, "_ORIGIN", upstream.as_uri())
    monkeypatch.setattr(mnist, "_FILE_HASH", hashlib.sha256(upstream.read_bytes()).hexdigest())
    monkeypatch.chdir(tmp_path)

    assert_loaded(mnist.load_data(), arrays)
    cached = home / "datasets" / "mnist.npz"
    assert cached.read_bytes() == upstream.read_bytes()
    assert "Downloading data from" in capsys.readouterr().err

    upstream.unlink()  # the second call reads the cache only
    assert_loaded(mnist.load_data(), arrays)
    assert capsys.readouterr().err == ""


def test_default_download_requests_keras_url_and_checks_keras_hash(tmp_path, home, monkeypatch):
    body = io.BytesIO()
    np.savez(body, **tiny_arrays())
    requested = []

    class Response(io.BytesIO):
        headers = {"Content-Length": str(len(body.getvalue()))}

    def opener(url, timeout=None):
        requested.append(url)
        return Response(body.getvalue())

    monkeypatch.setattr(_download, "_urlopen", opener)
    monkeypatch.chdir(tmp_path)
    # The tiny file is not Keras's MNIST: its hash differs, so it is refused and not cached.
    with pytest.raises(ValueError, match=KERAS_SHA256):
        mnist.load_data()
    assert requested == [KERAS_ORIGIN]
    assert list((home / "datasets").iterdir()) == []


def test_offline_message_says_where_to_put_the_file(tmp_path, home, monkeypatch):
    def opener(url, timeout=None):
        raise urllib.error.URLError("no network")

    monkeypatch.setattr(_download, "_urlopen", opener)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DownloadError) as info:
        mnist.load_data()
    message = str(info.value)
    assert KERAS_ORIGIN in message
    assert str(home / "datasets" / "mnist.npz") in message
    assert "load_data(path=" in message


def test_downloaded_file_with_wrong_content_is_refused(tmp_path, home, monkeypatch):
    arrays = tiny_arrays()
    del arrays["y_test"]
    upstream = write_npz(tmp_path / "upstream.npz", arrays)
    monkeypatch.setattr(mnist, "_ORIGIN", upstream.as_uri())
    monkeypatch.setattr(mnist, "_FILE_HASH", hashlib.sha256(upstream.read_bytes()).hexdigest())
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="lacks y_test") as info:
        mnist.load_data()
    assert str(home / "datasets" / "mnist.npz") in str(info.value)


def _without(key):
    arrays = tiny_arrays()
    del arrays[key]
    return arrays


def _with(key, value):
    arrays = tiny_arrays()
    arrays[key] = value
    return arrays


BAD_CONTENT = {
    "missing x_train": (_without("x_train"), "lacks x_train"),
    "float images": (_with("x_train", np.zeros((6, 28, 28), np.float32)), "x_train has dtype float32"),
    "int64 labels": (_with("y_test", np.zeros(4, np.int64)), "y_test has dtype int64"),
    "flat images": (_with("x_test", np.zeros((4, 784), np.uint8)), r"x_test has shape \(4, 784\)"),
    "wrong image size": (_with("x_train", np.zeros((6, 27, 28), np.uint8)), r"x_train has shape \(6, 27, 28\)"),
    "label count": (_with("y_train", np.zeros(5, np.uint8)), r"y_train has shape \(5,\), expected \(6,\)"),
    "2-d labels": (_with("y_train", np.zeros((6, 1), np.uint8)), r"y_train has shape \(6, 1\)"),
    "label out of range": (_with("y_test", np.array([0, 1, 2, 10], np.uint8)), "label 10"),
}


@pytest.mark.parametrize("case", sorted(BAD_CONTENT))
def test_wrong_npz_content_is_refused_naming_the_file(tmp_path, home, case):
    arrays, match = BAD_CONTENT[case]
    local = write_npz(tmp_path / "bad_mnist.npz", arrays)
    with pytest.raises(ValueError, match=match) as info:
        mnist.load_data(path=str(local))
    assert str(local) in str(info.value)


def test_object_arrays_are_refused_and_pickle_never_loaded(tmp_path, home):
    arrays = tiny_arrays()
    arrays["y_train"] = np.array([object()] * 6, dtype=object)
    local = write_npz(tmp_path / "pickled.npz", arrays)
    with pytest.raises(ValueError, match="y_train") as info:
        mnist.load_data(path=str(local))
    assert str(local) in str(info.value)


def test_pickle_file_is_refused(tmp_path, home):
    local = tmp_path / "mnist.pkl"
    local.write_bytes(pickle.dumps(tiny_arrays()))
    with pytest.raises(ValueError, match="cannot be read") as info:
        mnist.load_data(path=str(local))
    assert str(local) in str(info.value)


def test_not_an_npz_is_refused(tmp_path, home):
    local = tmp_path / "garbage.npz"
    local.write_bytes(b"PK\x03\x04 this is not really a zip file")
    with pytest.raises(ValueError, match="not a valid MNIST .npz file") as info:
        mnist.load_data(path=str(local))
    assert str(local) in str(info.value)


def test_single_npy_array_is_refused(tmp_path, home):
    local = tmp_path / "images.npy"
    np.save(local, np.zeros((2, 28, 28), np.uint8))
    with pytest.raises(ValueError, match="single array") as info:
        mnist.load_data(path=str(local))
    assert str(local) in str(info.value)


def test_truncated_npz_is_refused(tmp_path, home):
    good = write_npz(tmp_path / "good.npz", tiny_arrays())
    local = tmp_path / "truncated.npz"
    local.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ValueError, match="not a valid MNIST .npz file") as info:
        mnist.load_data(path=str(local))
    assert str(local) in str(info.value)


def test_missing_absolute_path(tmp_path, home):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        mnist.load_data(path=str(tmp_path / "nope.npz"))


def test_real_mnist_file():
    path = next((p for p in REAL_MNIST_CANDIDATES if p.is_file()), None)
    if path is None:
        pytest.skip("the real mnist.npz is not available on this machine")
    (x_train, y_train), (x_test, y_test) = mnist.load_data(path=str(path))
    assert x_train.shape == (60000, 28, 28) and y_train.shape == (60000,)
    assert x_test.shape == (10000, 28, 28) and y_test.shape == (10000,)
    for array in (x_train, y_train, x_test, y_test):
        assert array.dtype == np.uint8
    assert set(np.unique(y_train).tolist()) == set(range(10))
    assert set(np.unique(y_test).tolist()) == set(range(10))
    assert x_train.max() == 255 and x_train.min() == 0


def test_bare_name_means_the_cache_file_not_the_current_directory(tmp_path, home, monkeypatch):
    cached_arrays, local_arrays = tiny_arrays(), tiny_arrays(n_train=3, n_test=2)
    upstream = write_npz(tmp_path / "upstream.npz", cached_arrays)
    monkeypatch.setattr(mnist, "_ORIGIN", upstream.as_uri())
    monkeypatch.setattr(mnist, "_FILE_HASH", hashlib.sha256(upstream.read_bytes()).hexdigest())
    workdir = tmp_path / "work"
    workdir.mkdir()
    write_npz(workdir / "mnist.npz", local_arrays)  # a different file under the same name, here
    monkeypatch.chdir(workdir)
    assert_loaded(mnist.load_data("mnist.npz"), cached_arrays)
    assert_loaded(mnist.load_data(), cached_arrays)
    assert (home / "datasets" / "mnist.npz").read_bytes() == upstream.read_bytes()
    # The same file by its absolute path is read directly.
    assert_loaded(mnist.load_data(str(workdir / "mnist.npz")), local_arrays)


def test_relative_subpath_is_relative_to_the_cache(tmp_path, home, monkeypatch):
    arrays = tiny_arrays()
    cached = home / "datasets" / "mine" / "copy.npz"
    cached.parent.mkdir(parents=True)
    write_npz(cached, arrays)
    monkeypatch.setattr(mnist, "_FILE_HASH", hashlib.sha256(cached.read_bytes()).hexdigest())
    monkeypatch.setattr(_download, "_urlopen", lambda url, timeout=None: pytest.fail("no download expected"))
    monkeypatch.chdir(tmp_path)
    assert_loaded(mnist.load_data("mine/copy.npz"), arrays)
