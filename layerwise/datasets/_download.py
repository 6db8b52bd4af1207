"""Fetch and cache the files behind ``layerwise.datasets`` (Keras's ``get_file``, for the loaders).

A file is downloaded once, on first use, into the cache directory:

- ``cache_dir/cache_subdir`` when ``cache_dir`` is given;
- otherwise ``$LAYERWISE_HOME/<cache_subdir>`` when the ``LAYERWISE_HOME`` variable is set;
- otherwise ``~/.layerwise/<cache_subdir>`` (``cache_subdir`` is ``"datasets"`` by default).

The download streams into a temporary file in the same directory, its SHA-256 is checked (or, for
the two files Keras publishes only an MD5 for, that MD5), and only then is it renamed onto its final
name (an atomic ``os.replace``). A broken, partial or corrupted
download is therefore never left under the name a later call reads, and a cached file whose hash
no longer matches is downloaded again. Without network access the error names the file, the URL to
get it from and the exact path to put it at.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import re
import secrets
import urllib.error
import urllib.request
from typing import IO, Any

_CHUNK_SIZE = 1 << 16
_TIMEOUT_S = 60.0
_HASH_RE = re.compile(r"^(?:[0-9a-fA-F]{64}|[0-9a-fA-F]{32})$")
_ALGORITHMS = {64: ("sha256", "SHA-256"), 32: ("md5", "MD5")}

# The URL opener; tests replace it to serve files without a network.
_urlopen = urllib.request.urlopen


class DownloadError(OSError):
    """A dataset file could not be downloaded (offline, server error, connection cut short)."""


def cache_directory(cache_dir: str | os.PathLike[str] | None = None, cache_subdir: str = "datasets") -> str:
    """The directory where downloaded dataset files are kept.

    Args:
        cache_dir: base directory; default ``$LAYERWISE_HOME``, or ``~/.layerwise`` when that
            variable is unset or empty.
        cache_subdir: sub-directory of the base directory.

    Returns:
        The absolute path of the directory (it is not created here).

    Example:
        >>> import os
        >>> cache_directory("/tmp/lw-cache") == os.path.abspath("/tmp/lw-cache/datasets")
        True
    """
    if cache_dir is None:
        cache_dir = os.environ.get("LAYERWISE_HOME") or os.path.join("~", ".layerwise")
    return os.path.abspath(os.path.join(os.path.expanduser(os.fspath(cache_dir)), cache_subdir))


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file, as 64 lowercase hex digits (read in chunks).

    Args:
        path: the file.

    Returns:
        The hex digest.

    Example:
        >>> import tempfile, os
        >>> with tempfile.TemporaryDirectory() as d:
        ...     p = os.path.join(d, "empty")
        ...     open(p, "wb").close()
        ...     file_sha256(p)
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK_SIZE), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _file_digest(path: str, algorithm: str) -> str:
    digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK_SIZE), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _algorithm(file_hash: str | None) -> tuple[str, str]:
    """``(hashlib name, display name)`` of a checked hash: 64 hex digits are SHA-256, 32 are MD5."""
    return _ALGORITHMS[len(file_hash) if file_hash else 64]


def _check_hash(file_hash: str | None) -> str | None:
    if file_hash is None:
        return None
    if not isinstance(file_hash, str) or not _HASH_RE.match(file_hash):
        raise ValueError(
            "`get_file` argument `file_hash` must be a SHA-256 given as 64 hex digits (or an MD5 as 32 hex "
            f"digits, as Keras accepts); received file_hash={file_hash!r}."
        )
    return file_hash.lower()


def _target_path(datadir: str, fname: str | os.PathLike[str]) -> str:
    name = os.fspath(fname)
    if not name or os.path.isabs(name):
        raise ValueError(f"`fname` must be a file name relative to the cache directory; received {name!r}.")
    target = os.path.normpath(os.path.join(datadir, name))
    if os.path.commonpath([datadir, target]) != datadir or target == datadir:
        raise ValueError(f"`fname` {name!r} points outside the cache directory {datadir}.")
    return target


def _how_to_fix(fname: str, origin: str, target: str, file_hash: str | None, path_hint: bool) -> str:
    expected = f"\n(expected {_algorithm(file_hash)[1]}: {file_hash})" if file_hash else ""
    hint = (
        "\nThe loader also reads a local copy directly when given its absolute path, "
        f"e.g. load_data(path='/path/to/{fname}')."
        if path_hint
        else ""
    )
    return (
        f"To work offline, get {fname!r} on a machine with network access from\n    {origin}\n"
        f"and put it at\n    {target}{expected}{hint}"
    )


def _stream(origin: str, out: IO[bytes], fname: str, fail: Any, algorithm: str) -> tuple[str, int]:
    """Write the body of ``origin`` to ``out``; return its digest and size. ``fail`` builds errors."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    try:
        response = _urlopen(origin, timeout=_TIMEOUT_S)
    except (OSError, http.client.HTTPException) as e:  # URLError, HTTPError, timeouts are OSErrors
        raise fail(e) from e
    digest, size = hashlib.new(algorithm), 0
    with response:
        headers = getattr(response, "headers", None)
        length = headers.get("Content-Length") if headers is not None else None
        total = int(length) if length is not None and str(length).isdigit() else None
        console = Console(stderr=True)
        console.print(f"Downloading data from {origin}", markup=False, highlight=False)
        columns = (
            TextColumn("{task.description}", markup=False),
            BarColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
        )
        with Progress(*columns, console=console) as progress:
            task = progress.add_task(fname, total=total)
            while True:
                try:
                    chunk = response.read(_CHUNK_SIZE)
                except (OSError, http.client.HTTPException) as e:
                    raise fail(e) from e
                if not chunk:
                    break
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
                progress.update(task, advance=len(chunk))
    if total is not None and size != total:
        raise fail(f"the connection closed after {size} of {total} bytes")
    return digest.hexdigest(), size


def _download(
    origin: str, target: str, fname: str, file_hash: str | None, stale_hash: str | None, path_hint: bool
) -> None:
    directory = os.path.dirname(target)
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as e:
        raise OSError(
            f"Cannot create the dataset cache directory {directory} ({e}). Set the LAYERWISE_HOME environment "
            "variable to a writable directory, or pass `cache_dir`."
        ) from e

    def fail(reason: Any) -> DownloadError:
        stale = (
            f"\nA file already at that path was not used: its {_algorithm(file_hash)[1]} is {stale_hash}, "
            "not the expected one."
            if stale_hash
            else ""
        )
        return DownloadError(
            f"Could not download {fname!r} from {origin}: {reason}.\n"
            f"{_how_to_fix(fname, origin, target, file_hash, path_hint)}{stale}"
        )

    # The temporary name lives in the same directory (so the final rename is atomic) and never
    # collides with a real file name; `open(..., "xb")` keeps the usual permissions (umask).
    tmp = os.path.join(directory, f".{os.path.basename(target)}.{secrets.token_hex(6)}.part")
    try:
        with open(tmp, "xb") as out:
            digest, _ = _stream(origin, out, fname, fail, _algorithm(file_hash)[0])
        if file_hash is not None and digest != file_hash:
            raise ValueError(
                f"The file downloaded from {origin} has {_algorithm(file_hash)[1]} {digest}, but {file_hash} was "
                "expected: the "
                f"download is incomplete or corrupted, or the file changed upstream. Nothing was written to "
                f"{target}. Try again, or get the file by hand and put it at that path."
            )
        os.replace(tmp, target)
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise


def get_file(
    fname: str | os.PathLike[str],
    origin: str,
    file_hash: str | None = None,
    cache_subdir: str = "datasets",
    cache_dir: str | os.PathLike[str] | None = None,
    path_hint: bool = False,
) -> str:
    """Return the path of a cached copy of ``origin``, downloading it first when needed.

    The file is ``cache_directory(cache_dir, cache_subdir)/fname``. A cached file is used as it
    is when ``file_hash`` is ``None`` or matches; otherwise (missing, or its hash differs) it is
    downloaded with a ``rich`` progress bar, checked and atomically moved into place.

    Args:
        fname: name of the file inside the cache directory (may contain sub-directories, but must
            stay inside it).
        origin: URL to download from (``https://``, ``http://`` or ``file://``).
        file_hash: expected SHA-256 of the file, as 64 hex digits (32 hex digits are read as an
            MD5, as Keras's ``get_file`` does); ``None`` skips the check.
        cache_subdir: sub-directory of the cache base directory.
        cache_dir: cache base directory (default ``$LAYERWISE_HOME`` or ``~/.layerwise``).
        path_hint: the offline error also says that ``load_data(path=...)`` reads a local copy
            (for loaders that take a ``path``).

    Returns:
        The absolute path of the verified file.

    Raises:
        DownloadError: the download failed (for example offline); the message says which file to
            get, from where, and the exact path to put it at.
        ValueError: the downloaded file does not have ``file_hash``; nothing is left in the cache.

    Example:
        >>> import hashlib, os, pathlib, tempfile
        >>> with tempfile.TemporaryDirectory() as d:
        ...     src = pathlib.Path(d, "hello.txt")
        ...     _ = src.write_bytes(b"hello")
        ...     sha = hashlib.sha256(b"hello").hexdigest()
        ...     path = get_file("hello.txt", src.as_uri(), file_hash=sha, cache_dir=os.path.join(d, "cache"))
        ...     print(os.path.relpath(path, d), pathlib.Path(path).read_bytes())
        cache/datasets/hello.txt b'hello'
    """
    file_hash = _check_hash(file_hash)
    datadir = cache_directory(cache_dir, cache_subdir)
    target = _target_path(datadir, fname)
    name = os.path.basename(target)
    stale_hash = None
    if os.path.isfile(target):
        if file_hash is None:
            return target
        stale_hash = _file_digest(target, _algorithm(file_hash)[0])
        if stale_hash == file_hash:
            return target
    _download(origin, target, name, file_hash, stale_hash, path_hint)
    return target


def resolve_path(
    path: str | os.PathLike[str] | None,
    fname: str,
    origin: str,
    file_hash: str | None = None,
    cache_subdir: str = "datasets",
    cache_dir: str | os.PathLike[str] | None = None,
) -> str:
    """Where a loader reads its file from: a user-given existing file, or the download cache.

    An absolute ``path`` (``~`` is expanded first) naming an existing file is used directly: no
    network and no hash check (the loader validates the content); an absolute path that does not
    name a file is an error. A relative ``path`` (a bare name such as ``"mnist.npz"``) is always a
    name in the cache, resolved (and downloaded if needed) by :func:`get_file`, as Keras does,
    even when a file of that name exists in the current directory.

    Args:
        path: what the user passed to ``load_data(path=...)``; ``None`` means ``fname``.
        fname: the dataset's usual file name (for example ``"mnist.npz"``).
        origin: URL the file is downloaded from.
        file_hash: SHA-256 the downloaded file must have (or Keras's MD5, as 32 hex digits).
        cache_subdir: sub-directory of the cache base directory.
        cache_dir: cache base directory (default ``$LAYERWISE_HOME`` or ``~/.layerwise``).

    Returns:
        The absolute path of the file to read.

    Example:
        >>> import os, tempfile
        >>> with tempfile.TemporaryDirectory() as d:
        ...     local = os.path.join(d, "my_copy.npz")
        ...     open(local, "wb").close()
        ...     resolve_path(local, "mnist.npz", "https://example.invalid/mnist.npz") == local
        True
    """
    if path is None:
        path = fname
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"`load_data` argument `path` must be a str or os.PathLike; received path={path!r}.")
    given = os.fspath(path)
    expanded = os.path.expanduser(given)
    if os.path.isabs(expanded):
        if os.path.isfile(expanded):
            return os.path.normpath(expanded)
        what = "is not a file" if os.path.exists(expanded) else "does not exist"
        raise FileNotFoundError(
            f"{expanded} {what}. The {fname!r} file can be downloaded from {origin}; or pass a bare name "
            f"such as {fname!r} to load it from the cache in {cache_directory(cache_dir, cache_subdir)} "
            "(downloading it there on first use)."
        )
    return get_file(
        given, origin, file_hash=file_hash, cache_subdir=cache_subdir, cache_dir=cache_dir, path_hint=True
    )
