"""The download cache behind ``layerwise.datasets``: no test touches the network.

Files are served over ``file://`` URLs (urllib's real opener) or by a replaced opener.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import os
import urllib.error
from pathlib import Path

import pytest

from layerwise.datasets import _download
from layerwise.datasets._download import DownloadError, cache_directory, get_file, resolve_path

PAYLOAD = b"layerwise dataset payload\n" * 5000  # several read chunks
PAYLOAD_SHA = hashlib.sha256(PAYLOAD).hexdigest()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache home, through the LAYERWISE_HOME variable."""
    root = tmp_path / "home"
    monkeypatch.setenv("LAYERWISE_HOME", str(root))
    return root


@pytest.fixture
def origin(tmp_path: Path) -> str:
    src = tmp_path / "upstream" / "data.bin"
    src.parent.mkdir()
    src.write_bytes(PAYLOAD)
    return src.as_uri()


class FakeResponse(io.BytesIO):
    """What ``urlopen`` returns, enough for the downloader: ``read``, ``headers``, a context manager."""

    def __init__(self, body: bytes, length: int | None = None, fail_after: int | None = None):
        super().__init__(body)
        self.headers = {} if length is None else {"Content-Length": str(length)}
        self._fail_after = fail_after

    def read(self, size: int = -1) -> bytes:
        if self._fail_after is not None and self.tell() >= self._fail_after:
            raise ConnectionResetError("connection reset by peer")
        return super().read(size)


def serve(monkeypatch: pytest.MonkeyPatch, make_response) -> list[str]:
    """Replace the URL opener; return the list of URLs it was asked for."""
    requested: list[str] = []

    def opener(url, timeout=None):
        requested.append(url)
        return make_response()

    monkeypatch.setattr(_download, "_urlopen", opener)
    return requested


def forbid_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def opener(url, timeout=None):
        raise AssertionError(f"unexpected download of {url}")

    monkeypatch.setattr(_download, "_urlopen", opener)


def cache_entries(home: Path) -> list[str]:
    datadir = home / "datasets"
    return sorted(os.listdir(datadir)) if datadir.exists() else []


def test_cache_directory_precedence(tmp_path, monkeypatch):
    monkeypatch.delenv("LAYERWISE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "user"))
    assert cache_directory() == str(tmp_path / "user" / ".layerwise" / "datasets")
    monkeypatch.setenv("LAYERWISE_HOME", str(tmp_path / "lw"))
    assert cache_directory() == str(tmp_path / "lw" / "datasets")
    assert cache_directory(tmp_path / "explicit", "other") == str(tmp_path / "explicit" / "other")


def test_download_over_file_url_checks_hash_and_caches(home, origin, capsys):
    path = get_file("data.bin", origin, file_hash=PAYLOAD_SHA)
    assert path == str(home / "datasets" / "data.bin")
    assert Path(path).read_bytes() == PAYLOAD
    assert cache_entries(home) == ["data.bin"]  # no temporary file left behind
    assert "Downloading data from" in capsys.readouterr().err


def test_cached_file_is_used_without_network_or_progress(home, origin, monkeypatch, capsys):
    get_file("data.bin", origin, file_hash=PAYLOAD_SHA)
    capsys.readouterr()
    forbid_network(monkeypatch)
    assert Path(get_file("data.bin", origin, file_hash=PAYLOAD_SHA)).read_bytes() == PAYLOAD
    assert get_file("data.bin", origin) == str(home / "datasets" / "data.bin")
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_uppercase_hash_is_accepted(home, origin):
    assert Path(get_file("data.bin", origin, file_hash=PAYLOAD_SHA.upper())).read_bytes() == PAYLOAD


def test_cache_dir_and_subdir_arguments(tmp_path, origin, home):
    path = get_file("sub/data.bin", origin, file_hash=PAYLOAD_SHA, cache_subdir="mine", cache_dir=tmp_path / "c")
    assert path == str(tmp_path / "c" / "mine" / "sub" / "data.bin")
    assert Path(path).read_bytes() == PAYLOAD
    assert cache_entries(home) == []


def test_wrong_hash_raises_and_leaves_nothing_in_cache(home, origin):
    wrong = "0" * 64
    with pytest.raises(ValueError, match="SHA-256") as info:
        get_file("data.bin", origin, file_hash=wrong)
    assert PAYLOAD_SHA in str(info.value) and wrong in str(info.value)
    assert cache_entries(home) == []


def test_corrupted_cached_file_is_replaced(home, origin):
    target = home / "datasets" / "data.bin"
    target.parent.mkdir(parents=True)
    target.write_bytes(PAYLOAD[:100])  # a truncated copy
    assert Path(get_file("data.bin", origin, file_hash=PAYLOAD_SHA)).read_bytes() == PAYLOAD
    assert cache_entries(home) == ["data.bin"]


def test_corrupted_cached_file_kept_when_redownload_fails(home, monkeypatch):
    target = home / "datasets" / "data.bin"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"user's own copy")

    def opener(url, timeout=None):
        raise urllib.error.URLError("offline")

    monkeypatch.setattr(_download, "_urlopen", opener)
    with pytest.raises(DownloadError, match="was not used: its SHA-256 is"):
        get_file("data.bin", "https://example.invalid/data.bin", file_hash=PAYLOAD_SHA)
    assert target.read_bytes() == b"user's own copy"
    assert cache_entries(home) == ["data.bin"]


def test_offline_error_names_file_origin_and_target_path(home, monkeypatch):
    url = "https://example.invalid/datasets/data.bin"

    def opener(requested, timeout=None):
        assert requested == url
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(_download, "_urlopen", opener)
    with pytest.raises(DownloadError) as info:
        get_file("data.bin", url, file_hash=PAYLOAD_SHA)
    message = str(info.value)
    assert "'data.bin'" in message
    assert url in message
    assert str(home / "datasets" / "data.bin") in message
    assert PAYLOAD_SHA in message
    assert "name resolution" in message
    assert isinstance(info.value.__cause__, urllib.error.URLError)
    assert cache_entries(home) == []


def test_http_error_is_a_download_error(home, monkeypatch):
    def opener(url, timeout=None):
        raise urllib.error.HTTPError(url, 404, "Not Found", hdrs=None, fp=None)

    monkeypatch.setattr(_download, "_urlopen", opener)
    with pytest.raises(DownloadError, match="404"):
        get_file("data.bin", "https://example.invalid/data.bin")
    assert cache_entries(home) == []


def test_connection_cut_mid_download_leaves_nothing(home, monkeypatch):
    serve(monkeypatch, lambda: FakeResponse(PAYLOAD, len(PAYLOAD), fail_after=len(PAYLOAD) // 2))
    with pytest.raises(DownloadError, match="connection reset") as info:
        get_file("data.bin", "https://example.invalid/data.bin", file_hash=PAYLOAD_SHA)
    assert str(home / "datasets" / "data.bin") in str(info.value)
    assert cache_entries(home) == []


def test_short_body_without_hash_is_refused(home, monkeypatch):
    serve(monkeypatch, lambda: FakeResponse(PAYLOAD[:10], length=len(PAYLOAD)))
    with pytest.raises(DownloadError, match=f"after 10 of {len(PAYLOAD)} bytes"):
        get_file("data.bin", "https://example.invalid/data.bin")
    assert cache_entries(home) == []


def test_incomplete_read_is_a_download_error(home, monkeypatch):
    class Truncated(FakeResponse):
        def read(self, size=-1):
            raise http.client.IncompleteRead(b"partial", 100)

    serve(monkeypatch, lambda: Truncated(PAYLOAD))
    with pytest.raises(DownloadError):
        get_file("data.bin", "https://example.invalid/data.bin")
    assert cache_entries(home) == []


def test_interrupt_during_download_leaves_nothing(home, monkeypatch):
    class Interrupted(FakeResponse):
        def read(self, size=-1):
            if self.tell():
                raise KeyboardInterrupt
            return super().read(size)

    serve(monkeypatch, lambda: Interrupted(PAYLOAD))
    with pytest.raises(KeyboardInterrupt):
        get_file("data.bin", "https://example.invalid/data.bin")
    assert cache_entries(home) == []


def test_replaced_opener_download_without_content_length(home, monkeypatch):
    requested = serve(monkeypatch, lambda: FakeResponse(PAYLOAD))
    path = get_file("data.bin", "https://example.invalid/data.bin", file_hash=PAYLOAD_SHA)
    assert requested == ["https://example.invalid/data.bin"]
    assert Path(path).read_bytes() == PAYLOAD


@pytest.mark.parametrize("bad", ["abc", "g" * 64, 123, "0" * 40])
def test_bad_hash_argument(home, origin, bad):
    with pytest.raises(ValueError, match="file_hash"):
        get_file("data.bin", origin, file_hash=bad)


@pytest.mark.parametrize("fname", ["", "../escape.bin", "a/../../escape.bin", "."])
def test_fname_must_stay_inside_cache(home, origin, fname):
    with pytest.raises(ValueError, match="fname"):
        get_file(fname, origin)
    assert not (home / "escape.bin").exists()


def test_resolve_path_reads_existing_absolute_file_without_network_or_hash(tmp_path, home, monkeypatch):
    forbid_network(monkeypatch)
    local = tmp_path / "my copy.bin"
    local.write_bytes(b"not the upstream bytes")
    assert resolve_path(str(local), "data.bin", "https://example.invalid/data.bin", PAYLOAD_SHA) == str(local)
    assert resolve_path(local, "data.bin", "https://example.invalid/data.bin", PAYLOAD_SHA) == str(local)
    assert cache_entries(home) == []


def test_resolve_path_relative_name_is_a_cache_name_even_if_it_exists_here(tmp_path, home, monkeypatch, origin):
    (tmp_path / "rel").mkdir()
    (tmp_path / "rel" / "data.bin").write_bytes(b"a different local file")
    (tmp_path / "data.bin").write_bytes(b"another one")
    monkeypatch.chdir(tmp_path)
    # Only absolute paths are read directly: these relative names go to the cache (and download).
    path = resolve_path("rel/data.bin", "data.bin", origin, PAYLOAD_SHA)
    assert path == str(home / "datasets" / "rel" / "data.bin")
    assert Path(path).read_bytes() == PAYLOAD
    assert resolve_path("data.bin", "data.bin", origin, PAYLOAD_SHA) == str(home / "datasets" / "data.bin")
    assert Path(home / "datasets" / "data.bin").read_bytes() == PAYLOAD
    assert (tmp_path / "data.bin").read_bytes() == b"another one"


def test_resolve_path_offline_message_mentions_the_path_argument(home, monkeypatch):
    def opener(url, timeout=None):
        raise urllib.error.URLError("offline")

    monkeypatch.setattr(_download, "_urlopen", opener)
    with pytest.raises(DownloadError, match=r"load_data\(path="):
        resolve_path(None, "data.bin", "https://example.invalid/data.bin", PAYLOAD_SHA)
    with pytest.raises(DownloadError) as info:  # plain get_file: no path argument to mention
        get_file("data.bin", "https://example.invalid/data.bin", file_hash=PAYLOAD_SHA)
    assert "load_data(path=" not in str(info.value)


def test_resolve_path_rejects_non_paths(home):
    with pytest.raises(TypeError, match="`path`"):
        resolve_path(3, "data.bin", "https://example.invalid/data.bin")


def test_md5_hash_is_checked_like_keras(home, origin, monkeypatch):
    md5 = hashlib.md5(PAYLOAD).hexdigest()
    path = get_file("data.bin", origin, file_hash=md5)
    assert Path(path).read_bytes() == PAYLOAD
    forbid_network(monkeypatch)  # the cached copy matches the MD5: no download
    assert get_file("data.bin", origin, file_hash=md5) == path


def test_wrong_md5_is_refused_and_leaves_nothing(home, origin):
    with pytest.raises(ValueError, match="MD5") as info:
        get_file("data.bin", origin, file_hash="0" * 32)
    assert hashlib.md5(PAYLOAD).hexdigest() in str(info.value)
    assert cache_entries(home) == []


def test_resolve_path_expands_user(tmp_path, home, monkeypatch):
    forbid_network(monkeypatch)
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "data.bin").write_bytes(b"x")
    assert resolve_path("~/data.bin", "data.bin", "https://example.invalid/d") == str(tmp_path / "data.bin")


def test_resolve_path_missing_absolute_file(tmp_path, home, monkeypatch):
    forbid_network(monkeypatch)
    missing = tmp_path / "nowhere" / "data.bin"
    with pytest.raises(FileNotFoundError, match="does not exist") as info:
        resolve_path(str(missing), "data.bin", "https://example.invalid/data.bin", PAYLOAD_SHA)
    assert str(missing) in str(info.value) and "https://example.invalid/data.bin" in str(info.value)
    with pytest.raises(FileNotFoundError, match="is not a file"):
        resolve_path(str(tmp_path), "data.bin", "https://example.invalid/data.bin")


def test_resolve_path_name_goes_through_cache(home, origin, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no data.bin here
    path = resolve_path(None, "data.bin", origin, PAYLOAD_SHA)
    assert path == str(home / "datasets" / "data.bin")
    assert resolve_path("other.bin", "data.bin", origin, PAYLOAD_SHA) == str(home / "datasets" / "other.bin")
    assert cache_entries(home) == ["data.bin", "other.bin"]
