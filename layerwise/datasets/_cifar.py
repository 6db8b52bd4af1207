"""What CIFAR-10 and CIFAR-100 share: reading their *binary* distributions, straight from the tar.gz.

The binary versions (``cifar-10-binary.tar.gz``, ``cifar-100-binary.tar.gz`` from
https://www.cs.toronto.edu/~kriz/cifar.html) hold fixed-size records: the label byte(s), then
3,072 pixel bytes (1,024 red, 1,024 green, 1,024 blue, each a 32x32 image in row-major order).
They hold the same images, in the same order, as the pickled Python versions Keras downloads,
without any pickle.

The archive is read member by member in memory: nothing is extracted to disk, and a member that
is not one of the expected files (or is a link, a device, a duplicate...) makes the whole archive
refused.
"""

from __future__ import annotations

import tarfile
import zlib

import numpy as np

from layerwise import config

_PIXELS = 3 * 32 * 32


def read_archive(
    path: str, dataset: str, folder: str, wanted: tuple[str, ...], others: tuple[str, ...], label_bytes: int
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Read the record files ``wanted`` from the archive's ``folder``.

    ``others`` are the archive's other known files, accepted and skipped. Returns, per wanted
    file, ``(labels, images)``: labels ``uint8`` of shape ``(n, label_bytes)``, images ``uint8``
    of shape ``(n, 3, 32, 32)``.
    """
    bad = f"{path} is not a valid {dataset} binary archive"
    record = label_bytes + _PIXELS
    contents: dict[str, bytes] = {}
    seen: set[str] = set()
    try:
        with tarfile.open(path, mode="r|gz") as archive:
            for member in archive:
                name = member.name[2:] if member.name.startswith("./") else member.name
                if name.rstrip("/") == folder and member.isdir():
                    continue
                base = name[len(folder) + 1 :] if name.startswith(folder + "/") else None
                if base not in wanted and base not in others:
                    expected = ", ".join(f"{folder}/{n}" for n in wanted + others)
                    raise ValueError(
                        f"{bad}: it holds an unexpected member {member.name!r} (expected only {folder}/ and "
                        f"{expected}). Nothing was read from it or extracted."
                    )
                if not member.isfile():
                    raise ValueError(f"{bad}: its member {member.name!r} is not a regular file.")
                if base in seen:
                    raise ValueError(f"{bad}: its member {member.name!r} appears twice.")
                seen.add(base)
                if base in wanted:
                    if member.size == 0 or member.size % record:
                        raise ValueError(
                            f"{bad}: its member {member.name!r} has {member.size} bytes, not a positive "
                            f"multiple of the {record}-byte record."
                        )
                    handle = archive.extractfile(member)
                    data = handle.read() if handle is not None else b""
                    if len(data) != member.size:
                        raise ValueError(f"{bad}: its member {member.name!r} is truncated.")
                    contents[base] = data
    except (tarfile.TarError, OSError, EOFError, zlib.error) as e:
        raise ValueError(f"{bad}: it cannot be read as a tar.gz archive ({e}).") from e
    missing = [name for name in wanted if name not in contents]
    if missing:
        raise ValueError(f"{bad}: it lacks {', '.join(f'{folder}/{n}' for n in missing)}.")
    result = {}
    for name, data in contents.items():
        records = np.frombuffer(data, np.uint8).reshape(-1, record)
        result[name] = (records[:, :label_bytes].copy(), records[:, label_bytes:].reshape(-1, 3, 32, 32))
    return result


def image_layout(images: np.ndarray) -> np.ndarray:
    """``(n, 3, 32, 32)`` images in the layout of ``layerwise.config.image_data_format()``."""
    if config.image_data_format() == "channels_last":
        return np.ascontiguousarray(images.transpose(0, 2, 3, 1))
    return np.ascontiguousarray(images)
