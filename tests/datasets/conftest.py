"""Fixtures for the dataset tests: an empty cache home and a fake network, so no test goes online.

``server.files`` maps URLs to the bytes served for them; any other URL fails the way an offline
machine does (``URLError``). ``server.requested`` lists every URL asked for, in order.
"""

from __future__ import annotations

import io
import urllib.error
from pathlib import Path

import pytest

from layerwise.datasets import _download


class FakeServer:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.requested: list[str] = []

    def __call__(self, url: str, timeout: float | None = None) -> io.BytesIO:
        self.requested.append(url)
        if url not in self.files:
            raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")
        response = io.BytesIO(self.files[url])
        response.headers = {"Content-Length": str(len(self.files[url]))}
        return response


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache home, through the LAYERWISE_HOME variable; the current directory is elsewhere."""
    root = tmp_path / "home"
    monkeypatch.setenv("LAYERWISE_HOME", str(root))
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    return root


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> FakeServer:
    fake = FakeServer()
    monkeypatch.setattr(_download, "_urlopen", fake)
    return fake
