"""MNIST handwritten digits, as ``keras.datasets.mnist`` gives them.

60,000 training and 10,000 test grayscale images of 28x28 pixels (``uint8``, 0..255) with their
labels (``uint8``, 0..9). The file is the one Keras downloads (``mnist.npz``, checked against
Keras's SHA-256) and is cached in ``~/.layerwise/datasets`` (or ``$LAYERWISE_HOME/datasets``).

License: Yann LeCun and Corinna Cortes hold the copyright of the MNIST dataset, a derivative work
of the original NIST datasets, made available under the terms of the Creative Commons
Attribution-Share Alike 3.0 license (https://creativecommons.org/licenses/by-sa/3.0/).
"""

from __future__ import annotations

import os
import zipfile

import numpy as np

from layerwise.api_export import export
from layerwise.datasets._download import resolve_path

_FNAME = "mnist.npz"
_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
_FILE_HASH = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"
_KEYS = ("x_train", "y_train", "x_test", "y_test")
_IMAGE_SHAPE = (28, 28)
_NUM_CLASSES = 10

_Split = tuple[np.ndarray, np.ndarray]


@export("layerwise.datasets.mnist.load_data")
def load_data(path: str | os.PathLike[str] = _FNAME) -> tuple[_Split, _Split]:
    """Load the MNIST dataset: ``(x_train, y_train), (x_test, y_test)``.

    Args:
        path: the absolute path (``~`` is expanded) of an existing ``.npz`` file in Keras's MNIST
            layout, read directly with no network access and no hash check; or a name relative
            to the cache directory (default ``"mnist.npz"``; a file of that name in the current
            directory is not used), downloaded from Keras's URL on first use and checked against
            Keras's SHA-256. Either way the content is validated: the four arrays must be
            present, ``uint8``, images ``(n, 28, 28)`` and labels ``(n,)`` in 0..9.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``uint8`` NumPy arrays of shapes
        ``(60000, 28, 28)``, ``(60000,)``, ``(10000, 28, 28)`` and ``(10000,)`` for the real
        dataset; pixels are 0..255 and labels 0..9.

    Raises:
        ValueError: the file is not a valid MNIST ``.npz`` (the message names the file).
        layerwise.datasets._download.DownloadError: the file is not cached and cannot be
            downloaded; the message says where to put a copy.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = load_data()  # doctest: +SKIP
        >>> x_train.shape, x_train.dtype, y_test.shape  # doctest: +SKIP
        ((60000, 28, 28), dtype('uint8'), (10000,))
        >>> load_data("/work/shared/data/mnist.npz")[1][0].shape  # doctest: +SKIP
        (10000, 28, 28)

        A local file in the same layout is read directly, with no network access:

        >>> import os, tempfile
        >>> with tempfile.TemporaryDirectory() as d:
        ...     tiny = os.path.join(d, "tiny_mnist.npz")
        ...     images, labels = np.zeros((3, 28, 28), np.uint8), np.array([0, 7, 9], np.uint8)
        ...     np.savez(tiny, x_train=images, y_train=labels, x_test=images[:1], y_test=labels[:1])
        ...     (x_train, y_train), (x_test, y_test) = load_data(path=tiny)
        >>> x_train.shape, y_train.tolist(), x_test.shape
        ((3, 28, 28), [0, 7, 9], (1, 28, 28))
    """
    file = resolve_path(path, _FNAME, _ORIGIN, file_hash=_FILE_HASH)
    return _read_npz(file)


def _read_npz(file: str) -> tuple[_Split, _Split]:
    """Read and validate an MNIST ``.npz`` (pickle stays disabled)."""
    bad = f"{file} is not a valid MNIST .npz file"
    try:
        npz = np.load(file, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as e:
        raise ValueError(f"{bad}: it cannot be read as .npz ({e}).") from e
    if not isinstance(npz, np.lib.npyio.NpzFile):
        raise ValueError(f"{bad}: it holds a single array, not the arrays {', '.join(_KEYS)}.")
    with npz:
        missing = [key for key in _KEYS if key not in npz.files]
        if missing:
            raise ValueError(f"{bad}: it lacks {', '.join(missing)} (it holds: {', '.join(npz.files) or 'nothing'}).")
        arrays = {}
        for key in _KEYS:
            try:
                arrays[key] = npz[key]
            except (OSError, ValueError, EOFError, zipfile.BadZipFile) as e:
                raise ValueError(f"{bad}: its array {key!r} cannot be read ({e}).") from e
    for part in ("train", "test"):
        x, y = arrays[f"x_{part}"], arrays[f"y_{part}"]
        for key, array in ((f"x_{part}", x), (f"y_{part}", y)):
            if array.dtype != np.uint8:
                raise ValueError(f"{bad}: {key} has dtype {array.dtype}, expected uint8.")
        if x.ndim != 3 or x.shape[1:] != _IMAGE_SHAPE:
            raise ValueError(f"{bad}: x_{part} has shape {x.shape}, expected (n, 28, 28).")
        if y.shape != (x.shape[0],):
            raise ValueError(f"{bad}: y_{part} has shape {y.shape}, expected ({x.shape[0]},) to match x_{part}.")
        if y.size and int(y.max()) >= _NUM_CLASSES:
            raise ValueError(f"{bad}: y_{part} holds label {int(y.max())}, expected labels 0..9.")
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])
