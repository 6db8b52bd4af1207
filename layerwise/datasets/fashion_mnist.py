"""Fashion-MNIST (Zalando's article images), as ``keras.datasets.fashion_mnist`` gives them.

60,000 training and 10,000 test grayscale images of 28x28 pixels (``uint8``) in 10 classes:

====  ===========  ====  ==========
0     T-shirt/top  5     Sandal
1     Trouser      6     Shirt
2     Pullover     7     Sneaker
3     Dress        8     Bag
4     Coat         9     Ankle boot
====  ===========  ====  ==========

The four gzip-compressed IDX files are downloaded from Keras's URLs on first use into
``~/.layerwise/datasets/fashion-mnist/`` (or ``$LAYERWISE_HOME/datasets/fashion-mnist/``) and
checked against the SHA-256 digests of Zalando's published files (the same bytes Keras serves:
identical sizes and MD5s).

License: the copyright for Fashion-MNIST is held by Zalando SE; it is licensed under the MIT
license (https://github.com/zalandoresearch/fashion-mnist/blob/master/LICENSE).
"""

from __future__ import annotations

import gzip
import zlib

import numpy as np

from layerwise.api_export import export
from layerwise.datasets._download import get_file

_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
_SUBDIR = "fashion-mnist"
# (file name, SHA-256); Zalando's digests, also listed by TensorFlow Datasets' checksums.
_FILES = {
    "y_train": ("train-labels-idx1-ubyte.gz", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
    "x_train": ("train-images-idx3-ubyte.gz", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
    "y_test": ("t10k-labels-idx1-ubyte.gz", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
    "x_test": ("t10k-images-idx3-ubyte.gz", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
}
_LABEL_MAGIC, _IMAGE_MAGIC = 0x00000801, 0x00000803  # unsigned bytes, 1 and 3 dimensions
_NUM_CLASSES = 10

_Split = tuple[np.ndarray, np.ndarray]


@export("layerwise.datasets.fashion_mnist.load_data")
def load_data() -> tuple[_Split, _Split]:
    """Load Fashion-MNIST: ``(x_train, y_train), (x_test, y_test)``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``uint8`` arrays of shapes
        ``(60000, 28, 28)``, ``(60000,)``, ``(10000, 28, 28)`` and ``(10000,)``; pixels 0..255,
        labels 0..9 (see the module docstring for the class names).

    Raises:
        ValueError: a file is not a valid gzip-compressed IDX file of the expected kind (the
            message names it).
        layerwise.datasets._download.DownloadError: a file is not cached and cannot be
            downloaded; the message says where to put a copy.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = load_data()  # doctest: +SKIP
        >>> x_train.shape, x_train.dtype, y_test.shape  # doctest: +SKIP
        ((60000, 28, 28), dtype('uint8'), (10000,))

        The files are kept in (and, offline, can be copied by hand into) this directory:

        >>> import os
        >>> from layerwise.datasets._download import cache_directory
        >>> cache_directory(cache_subdir=os.path.join("datasets", "fashion-mnist"))  # doctest: +ELLIPSIS
        '...datasets/fashion-mnist'
    """
    arrays = {}
    for key, (fname, file_hash) in _FILES.items():
        path = get_file(f"{_SUBDIR}/{fname}", _ORIGIN + fname, file_hash=file_hash)
        arrays[key] = _read_idx(path, images=key.startswith("x"))
    for part in ("train", "test"):
        x, y = arrays[f"x_{part}"], arrays[f"y_{part}"]
        if len(x) != len(y):
            raise ValueError(f"Fashion-MNIST's {part} files disagree: {len(x)} images but {len(y)} labels.")
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _read_idx(path: str, images: bool) -> np.ndarray:
    """Read a gzip-compressed IDX file of unsigned bytes: 28x28 images, or labels 0..9."""
    kind = "image" if images else "label"
    bad = f"{path} is not a valid Fashion-MNIST {kind} file"
    try:
        with gzip.open(path, "rb") as f:
            data = f.read()
    except (OSError, EOFError, zlib.error) as e:
        raise ValueError(f"{bad}: it cannot be decompressed ({e}).") from e
    ndim = 3 if images else 1
    header = 4 + 4 * ndim
    magic, expected_magic = int.from_bytes(data[:4], "big"), _IMAGE_MAGIC if images else _LABEL_MAGIC
    if len(data) >= 4 and magic != expected_magic:
        raise ValueError(f"{bad}: its IDX magic number is {magic:#010x}, expected {expected_magic:#010x}.")
    if len(data) < header:
        raise ValueError(f"{bad}: it holds only {len(data)} bytes.")
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    if images and shape[1:] != (28, 28):
        raise ValueError(f"{bad}: its images are {shape[1]}x{shape[2]}, expected 28x28.")
    expected = header + int(np.prod(shape))
    if len(data) != expected:
        raise ValueError(f"{bad}: it holds {len(data)} bytes, but its header {shape} needs {expected}.")
    array = np.frombuffer(data, np.uint8, offset=header).reshape(shape).copy()
    if not images and array.size and int(array.max()) >= _NUM_CLASSES:
        raise ValueError(f"{bad}: it holds label {int(array.max())}, expected labels 0..9.")
    return array
