"""``layerwise.datasets.fashion_mnist``: tiny gzip IDX files in Keras's layout, served offline."""

from __future__ import annotations

import gzip
import hashlib

import numpy as np
import pytest

import layerwise.datasets
from layerwise.api_export import get_public
from layerwise.datasets import fashion_mnist
from layerwise.datasets._download import DownloadError

BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
NAMES = {
    "y_train": "train-labels-idx1-ubyte.gz",
    "x_train": "train-images-idx3-ubyte.gz",
    "y_test": "t10k-labels-idx1-ubyte.gz",
    "x_test": "t10k-images-idx3-ubyte.gz",
}


def idx_bytes(array: np.ndarray) -> bytes:
    magic = 0x0800 | array.ndim  # unsigned bytes
    header = magic.to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in array.shape)
    return gzip.compress(header + array.astype(np.uint8).tobytes())


def tiny_arrays() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(1)
    return {
        "x_train": rng.integers(0, 256, (5, 28, 28), dtype=np.uint8),
        "y_train": np.array([9, 0, 3, 3, 7], np.uint8),
        "x_test": rng.integers(0, 256, (3, 28, 28), dtype=np.uint8),
        "y_test": np.array([1, 8, 2], np.uint8),
    }


def publish(server, monkeypatch, arrays, tamper: str | None = None) -> dict[str, bytes]:
    """Serve ``arrays`` at Keras's URLs and make the loader expect their SHA-256s."""
    files, hashes = {}, {}
    for key, name in NAMES.items():
        body = idx_bytes(arrays[key])
        files[key] = body
        hashes[key] = (name, hashlib.sha256(body).hexdigest())
        server.files[BASE + name] = body + (b"tampered" if key == tamper else b"")
    monkeypatch.setattr(fashion_mnist, "_FILES", hashes)
    return files


def check(result, arrays) -> None:
    (x_train, y_train), (x_test, y_test) = result
    for key, got in zip(("x_train", "y_train", "x_test", "y_test"), (x_train, y_train, x_test, y_test)):
        assert isinstance(got, np.ndarray) and got.dtype == np.uint8
        np.testing.assert_array_equal(got, arrays[key])


def test_public_api_urls_and_hashes():
    assert layerwise.datasets.fashion_mnist.load_data is fashion_mnist.load_data
    assert get_public("layerwise.datasets.fashion_mnist.load_data") is fashion_mnist.load_data
    assert fashion_mnist._ORIGIN == BASE
    assert {key: name for key, (name, _) in fashion_mnist._FILES.items()} == NAMES
    assert fashion_mnist._FILES["x_train"][1] == "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"


def test_download_parse_and_cache_reuse(home, server, monkeypatch):
    arrays = tiny_arrays()
    files = publish(server, monkeypatch, arrays)
    check(fashion_mnist.load_data(), arrays)
    assert sorted(server.requested) == sorted(BASE + name for name in NAMES.values())
    for key, name in NAMES.items():
        assert (home / "datasets" / "fashion-mnist" / name).read_bytes() == files[key]
    server.requested.clear()
    check(fashion_mnist.load_data(), arrays)
    assert server.requested == []


def test_same_arrays_as_keras_reading_the_same_files(home, server, monkeypatch, keras_oracle):
    from keras.src.datasets import fashion_mnist as keras_fashion

    arrays = tiny_arrays()
    publish(server, monkeypatch, arrays)
    ours = fashion_mnist.load_data()
    folder = home / "datasets" / "fashion-mnist"
    monkeypatch.setattr(keras_fashion, "get_file", lambda fname, origin, cache_subdir: str(folder / fname))
    theirs = keras_fashion.load_data()
    for part_ours, part_theirs in zip(ours, theirs):
        for a, b in zip(part_ours, part_theirs):
            assert a.shape == b.shape and a.dtype == b.dtype
            np.testing.assert_array_equal(a, b)


def test_tampered_download_is_refused_and_not_cached(home, server, monkeypatch):
    publish(server, monkeypatch, tiny_arrays(), tamper="x_train")
    with pytest.raises(ValueError, match="SHA-256"):
        fashion_mnist.load_data()
    folder = home / "datasets" / "fashion-mnist"
    assert not (folder / NAMES["x_train"]).exists()
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []  # no partial file left


def test_real_hashes_refuse_other_bytes(home, server):
    for name in NAMES.values():
        server.files[BASE + name] = idx_bytes(np.zeros(1, np.uint8))
    with pytest.raises(ValueError, match="a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"):
        fashion_mnist.load_data()


def test_offline_error_names_file_url_and_place(home, server):
    with pytest.raises(DownloadError) as info:
        fashion_mnist.load_data()
    message = str(info.value)
    assert BASE + "train-labels-idx1-ubyte.gz" in message
    assert str(home / "datasets" / "fashion-mnist" / "train-labels-idx1-ubyte.gz") in message
    assert "load_data(path=" not in message  # this loader takes no path


def bad_cached_file(home, monkeypatch, key: str, body: bytes) -> None:
    arrays = tiny_arrays()
    folder = home / "datasets" / "fashion-mnist"
    folder.mkdir(parents=True)
    hashes = {}
    for k, name in NAMES.items():
        data = body if k == key else idx_bytes(arrays[k])
        (folder / name).write_bytes(data)
        hashes[k] = (name, hashlib.sha256(data).hexdigest())
    monkeypatch.setattr(fashion_mnist, "_FILES", hashes)


def raw_gz(magic: int, dims: tuple[int, ...], payload: bytes) -> bytes:
    return gzip.compress(magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in dims) + payload)


BAD_FILES = {
    "not gzip": ("x_train", b"plain bytes", "cannot be decompressed"),
    "truncated gzip": ("x_train", idx_bytes(np.zeros((2, 28, 28), np.uint8))[:40], "cannot be decompressed"),
    "label magic for images": ("x_train", raw_gz(0x801, (2,), b"\x00\x01"), "magic number is 0x00000801"),
    "wrong image size": ("x_test", raw_gz(0x803, (1, 27, 28), bytes(27 * 28)), "27x28"),
    "short payload": ("x_train", raw_gz(0x803, (5, 28, 28), bytes(28 * 28 * 4)), "needs"),
    "label out of range": ("y_test", raw_gz(0x801, (3,), bytes([1, 10, 2])), "label 10"),
    "count mismatch": ("y_train", raw_gz(0x801, (4,), bytes(4)), "5 images but 4 labels"),
    "empty": ("y_train", gzip.compress(b""), "only 0 bytes"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_are_refused_naming_them(home, server, monkeypatch, case):
    key, body, match = BAD_FILES[case]
    bad_cached_file(home, monkeypatch, key, body)
    with pytest.raises(ValueError, match=match) as info:
        fashion_mnist.load_data()
    if case != "count mismatch":
        assert NAMES[key] in str(info.value)
    assert server.requested == []
