"""``layerwise.datasets.cifar100``: tiny archives in the binary distribution's layout, served offline."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import pathlib

import numpy as np
import pytest

import layerwise.datasets
from layerwise.api_export import get_public
from layerwise.datasets import cifar100
from layerwise.datasets._download import DownloadError

_spec = importlib.util.spec_from_file_location("cifar10_helpers", pathlib.Path(__file__).with_name("test_cifar10.py"))
_helpers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_helpers)
records, tar_gz = _helpers.records, _helpers.tar_gz

URL = "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz"
SHA256 = "58a81ae192c23a4be8b1804d68e518ed807d710a4eb253b1f2a199162a40d8ec"
FOLDER = "cifar-100-binary"


def tiny(n_train: int = 4, n_test: int = 3, seed: int = 0):
    rng = np.random.default_rng(seed)

    def part(n):
        labels = np.stack([rng.integers(0, 20, n), rng.integers(0, 100, n)], axis=1).astype(np.uint8)
        return labels, rng.integers(0, 256, (n, 3, 32, 32), dtype=np.uint8)

    return {"train.bin": part(n_train), "test.bin": part(n_test)}


def archive_bytes(parts, extra=(), skip=()) -> bytes:
    members = [(FOLDER, None), (FOLDER + "/coarse_label_names.txt", b"aquatic_mammals\n"),
               (FOLDER + "/fine_label_names.txt", b"apple\n")]
    members += [(FOLDER + "/" + name, records(*part)) for name, part in parts.items() if name not in skip]
    return tar_gz(members + list(extra))


def publish(server, monkeypatch, body: bytes) -> None:
    server.files[URL] = body
    monkeypatch.setattr(cifar100, "_FILE_HASH", hashlib.sha256(body).hexdigest())


def test_public_api_url_and_hash():
    assert layerwise.datasets.cifar100.load_data is cifar100.load_data
    assert get_public("layerwise.datasets.cifar100.load_data") is cifar100.load_data
    assert (cifar100._ORIGIN, cifar100._FILE_HASH) == (URL, SHA256)


@pytest.mark.parametrize("label_mode, column", [("fine", 1), ("coarse", 0)])
def test_labels_images_shapes_dtypes(home, server, monkeypatch, label_mode, column):
    parts = tiny()
    publish(server, monkeypatch, archive_bytes(parts))
    (x_train, y_train), (x_test, y_test) = cifar100.load_data(label_mode)
    assert x_train.shape == (4, 32, 32, 3) and x_test.shape == (3, 32, 32, 3)
    assert x_train.dtype == np.uint8
    # Keras's loader reshapes the pickled label lists: int64 arrays of shape (n, 1).
    assert y_train.shape == (4, 1) and y_test.shape == (3, 1) and y_train.dtype == np.int64
    for (x, y), name in (((x_train, y_train), "train.bin"), ((x_test, y_test), "test.bin")):
        np.testing.assert_array_equal(x, parts[name][1].transpose(0, 2, 3, 1))
        np.testing.assert_array_equal(y[:, 0], parts[name][0][:, column])


def test_default_is_fine_and_cache_is_reused(home, server, monkeypatch):
    parts = tiny()
    publish(server, monkeypatch, archive_bytes(parts))
    (_, y_train), _ = cifar100.load_data()
    np.testing.assert_array_equal(y_train[:, 0], parts["train.bin"][0][:, 1])
    cifar100.load_data("coarse")
    assert server.requested == [URL]
    assert os.listdir(home / "datasets") == ["cifar-100-binary.tar.gz"]


@pytest.mark.parametrize("label_mode", ["Fine", "medium", None, 1])
def test_bad_label_mode(home, server, label_mode):
    with pytest.raises(ValueError, match="`cifar100.load_data` argument `label_mode` must be one of 'fine', 'coarse'"):
        cifar100.load_data(label_mode)
    assert server.requested == []


def test_unexpected_member_is_refused(home, server, monkeypatch):
    publish(server, monkeypatch, archive_bytes(tiny(), extra=[(FOLDER + "/meta", b"pickled stuff")]))
    with pytest.raises(ValueError, match="unexpected member 'cifar-100-binary/meta'"):
        cifar100.load_data()


def test_cifar10_files_are_not_cifar100(home, server, monkeypatch):
    parts = tiny()
    members = [("cifar-10-batches-bin/train.bin", records(*parts["train.bin"]))]
    publish(server, monkeypatch, tar_gz(members))
    with pytest.raises(ValueError, match="unexpected member"):
        cifar100.load_data()


def test_missing_test_file(home, server, monkeypatch):
    publish(server, monkeypatch, archive_bytes(tiny(), skip=("test.bin",)))
    with pytest.raises(ValueError, match="lacks cifar-100-binary/test.bin"):
        cifar100.load_data()


@pytest.mark.parametrize("column, value, match", [(0, 20, "coarse label 20"), (1, 100, "fine label 100")])
def test_label_out_of_range(home, server, monkeypatch, column, value, match):
    parts = tiny()
    parts["test.bin"][0][1, column] = value
    publish(server, monkeypatch, archive_bytes(parts))
    with pytest.raises(ValueError, match=match):
        cifar100.load_data()


def test_record_size_is_that_of_two_label_bytes(home, server, monkeypatch):
    parts = tiny()
    one_label = np.concatenate([parts["train.bin"][0][:, :1], parts["train.bin"][1].reshape(4, -1)], axis=1)
    publish(server, monkeypatch, archive_bytes(parts, skip=("train.bin",),
                                               extra=[(FOLDER + "/train.bin", one_label.tobytes())]))
    with pytest.raises(ValueError, match="3074-byte record"):
        cifar100.load_data()


def test_offline_and_checksum(home, server):
    with pytest.raises(DownloadError, match="cifar-100-binary.tar.gz"):
        cifar100.load_data()
    server.files[URL] = archive_bytes(tiny())
    with pytest.raises(ValueError, match=SHA256):
        cifar100.load_data()
    assert os.listdir(home / "datasets") == []
