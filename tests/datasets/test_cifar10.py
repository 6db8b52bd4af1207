"""``layerwise.datasets.cifar10``: tiny archives in the binary distribution's layout, served offline."""

from __future__ import annotations

import hashlib
import io
import os
import tarfile

import numpy as np
import pytest

import layerwise
import layerwise.datasets
from layerwise.api_export import get_public
from layerwise.datasets import cifar10
from layerwise.datasets._download import DownloadError

URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
SHA256 = "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd"
FOLDER = "cifar-10-batches-bin"
BATCH_SIZES = {"data_batch_1.bin": 2, "data_batch_2.bin": 1, "data_batch_3.bin": 3, "data_batch_4.bin": 1,
               "data_batch_5.bin": 2, "test_batch.bin": 3}


def records(labels: np.ndarray, images: np.ndarray) -> bytes:
    """CIFAR binary records: the label byte(s), then the 3x32x32 pixels, channel by channel."""
    labels = labels.reshape(len(labels), -1).astype(np.uint8)
    return np.concatenate([labels, images.reshape(len(images), -1).astype(np.uint8)], axis=1).tobytes()


def tar_gz(members: list[tuple[str, bytes | None]], links: tuple[str, ...] = ()) -> bytes:
    """A tar.gz of ``(name, content)`` members (``None`` content: a directory), plus symlinks."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in members:
            info = tarfile.TarInfo(name)
            if content is None:
                info.type = tarfile.DIRTYPE
                archive.addfile(info)
            else:
                info.size = len(content)
                archive.addfile(info, io.BytesIO(content))
        for name in links:
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = "/etc/passwd"
            archive.addfile(info)
    return buffer.getvalue()


def tiny_batches(seed: int = 0) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    return {
        name: (rng.integers(0, 10, n, dtype=np.uint8), rng.integers(0, 256, (n, 3, 32, 32), dtype=np.uint8))
        for name, n in BATCH_SIZES.items()
    }


def archive_bytes(batches, prefix: str = "", extra=(), skip=(), links=()) -> bytes:
    members = [(prefix + FOLDER, None), (prefix + FOLDER + "/batches.meta.txt", b"airplane\nautomobile\n")]
    members += [(prefix + FOLDER + "/" + name, records(*batch)) for name, batch in batches.items() if name not in skip]
    members += [(prefix + FOLDER + "/readme.html", b"<html></html>")] + list(extra)
    return tar_gz(members, links)


def publish(server, monkeypatch, body: bytes) -> None:
    server.files[URL] = body
    monkeypatch.setattr(cifar10, "_FILE_HASH", hashlib.sha256(body).hexdigest())


def expected(batches, names):
    images = np.concatenate([batches[n][1] for n in names])
    labels = np.concatenate([batches[n][0] for n in names])
    return images.transpose(0, 2, 3, 1), labels.reshape(-1, 1)


TRAIN = [f"data_batch_{i}.bin" for i in range(1, 6)]


def test_public_api_url_and_hash():
    assert layerwise.datasets.cifar10.load_data is cifar10.load_data
    assert get_public("layerwise.datasets.cifar10.load_data") is cifar10.load_data
    assert (cifar10._ORIGIN, cifar10._FILE_HASH, cifar10._FNAME) == (URL, SHA256, "cifar-10-binary.tar.gz")


@pytest.mark.parametrize("prefix", ["", "./"])
def test_download_parse_shapes_dtypes_and_cache(home, server, monkeypatch, prefix):
    batches = tiny_batches()
    publish(server, monkeypatch, archive_bytes(batches, prefix))
    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    assert x_train.shape == (9, 32, 32, 3) and x_test.shape == (3, 32, 32, 3)
    assert y_train.shape == (9, 1) and y_test.shape == (3, 1)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}
    x_exp, y_exp = expected(batches, TRAIN)
    np.testing.assert_array_equal(x_train, x_exp)
    np.testing.assert_array_equal(y_train, y_exp)
    x_exp, y_exp = expected(batches, ["test_batch.bin"])
    np.testing.assert_array_equal(x_test, x_exp)
    np.testing.assert_array_equal(y_test, y_exp)
    assert server.requested == [URL]
    assert sorted(os.listdir(home / "datasets")) == ["cifar-10-binary.tar.gz"]  # nothing extracted
    cifar10.load_data()
    assert server.requested == [URL]  # the second call reads the cache


def test_record_layout_by_hand(home, server, monkeypatch):
    """Byte 1 + c*1024 + row*32 + col of a record is channel c of pixel (row, col)."""
    batches = tiny_batches(3)
    body = archive_bytes(batches)
    publish(server, monkeypatch, body)
    (x_train, y_train), _ = cifar10.load_data()
    raw = records(*batches["data_batch_3.bin"])
    first = sum(BATCH_SIZES[n] for n in TRAIN[:2])  # data_batch_3's first image in x_train
    for i in range(3):
        record = raw[i * 3073 : (i + 1) * 3073]
        assert y_train[first + i, 0] == record[0]
        for row, col, channel in [(0, 0, 0), (5, 17, 1), (31, 31, 2), (12, 3, 2)]:
            assert x_train[first + i, row, col, channel] == record[1 + channel * 1024 + row * 32 + col]


def test_channels_first(home, server, monkeypatch):
    batches = tiny_batches()
    publish(server, monkeypatch, archive_bytes(batches))
    layerwise.config.set_image_data_format("channels_first")
    try:
        (x_train, _), (x_test, _) = cifar10.load_data()
    finally:
        layerwise.config.set_image_data_format("channels_last")
    assert x_train.shape == (9, 3, 32, 32) and x_test.shape == (3, 3, 32, 32)
    np.testing.assert_array_equal(x_train, np.concatenate([batches[n][1] for n in TRAIN]))


def test_tampered_download_is_refused_and_not_cached(home, server, monkeypatch):
    server.files[URL] = archive_bytes(tiny_batches())  # not the real archive: its hash differs
    with pytest.raises(ValueError, match=SHA256):
        cifar10.load_data()
    assert os.listdir(home / "datasets") == []


def test_offline_error(home, server):
    with pytest.raises(DownloadError) as info:
        cifar10.load_data()
    assert URL in str(info.value) and str(home / "datasets" / "cifar-10-binary.tar.gz") in str(info.value)
    assert SHA256 in str(info.value)


def listing(*roots) -> list[str]:
    return sorted(os.path.relpath(os.path.join(d, f), r) for r in roots for d, _, fs in os.walk(r) for f in fs)


UNEXPECTED = {
    "extra file in the folder": dict(extra=[(FOLDER + "/run_me.sh", b"rm -rf /")]),
    "file outside the folder": dict(extra=[("notes.txt", b"hello")]),
    "path escaping upward": dict(extra=[("../../evil.bin", b"x")]),
    "absolute path": dict(extra=[("/tmp/evil.bin", b"x")]),
    "nested folder": dict(extra=[(FOLDER + "/sub/data_batch_1.bin", b"x")]),
    "symlink": dict(links=(FOLDER + "/data_batch_6.bin",)),
}


@pytest.mark.parametrize("case", sorted(UNEXPECTED))
def test_unexpected_member_refuses_the_archive_without_extracting(home, server, monkeypatch, tmp_path, case):
    publish(server, monkeypatch, archive_bytes(tiny_batches(), **UNEXPECTED[case]))
    before = listing(tmp_path)
    with pytest.raises(ValueError, match="unexpected member") as info:
        cifar10.load_data()
    assert "cifar-10-binary.tar.gz" in str(info.value)
    # The verified download is the only new file: nothing was extracted, anywhere under tmp_path.
    assert listing(tmp_path) == sorted(before + ["home/datasets/cifar-10-binary.tar.gz"])


def test_link_under_an_expected_name_is_refused(home, server, monkeypatch):
    publish(server, monkeypatch, archive_bytes(tiny_batches(), skip=("test_batch.bin",),
                                               links=(FOLDER + "/test_batch.bin",)))
    with pytest.raises(ValueError, match="not a regular file"):
        cifar10.load_data()


def test_duplicate_member_is_refused(home, server, monkeypatch):
    batches = tiny_batches()
    extra = [(FOLDER + "/data_batch_1.bin", records(*batches["data_batch_2.bin"]))]
    publish(server, monkeypatch, archive_bytes(batches, extra=extra))
    with pytest.raises(ValueError, match="appears twice"):
        cifar10.load_data()


def test_missing_batch_is_refused(home, server, monkeypatch):
    publish(server, monkeypatch, archive_bytes(tiny_batches(), skip=("data_batch_4.bin",)))
    with pytest.raises(ValueError, match="lacks cifar-10-batches-bin/data_batch_4.bin"):
        cifar10.load_data()


def test_partial_record_is_refused(home, server, monkeypatch):
    batches = tiny_batches()
    extra = [(FOLDER + "/test_batch.bin", records(*batches["test_batch.bin"])[:-1])]
    publish(server, monkeypatch, archive_bytes(batches, skip=("test_batch.bin",), extra=extra))
    with pytest.raises(ValueError, match="3073-byte record"):
        cifar10.load_data()


def test_label_out_of_range_is_refused(home, server, monkeypatch):
    batches = tiny_batches()
    batches["data_batch_2.bin"][0][0] = 10
    publish(server, monkeypatch, archive_bytes(batches))
    with pytest.raises(ValueError, match="data_batch_2.bin holds label 10"):
        cifar10.load_data()


@pytest.mark.parametrize("body", [b"not a gzip file", b"\x1f\x8b\x08\x00garbage"])
def test_not_an_archive_is_refused(home, server, monkeypatch, body):
    publish(server, monkeypatch, body)
    with pytest.raises(ValueError, match="cannot be read as a tar.gz archive"):
        cifar10.load_data()
