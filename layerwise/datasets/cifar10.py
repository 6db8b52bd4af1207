"""CIFAR-10 small color images, as ``keras.datasets.cifar10`` gives them.

50,000 training and 10,000 test color images of 32x32 pixels in 10 classes: 0 airplane,
1 automobile, 2 bird, 3 cat, 4 deer, 5 dog, 6 frog, 7 horse, 8 ship, 9 truck.

The data comes from the dataset's *binary* distribution (no pickle),
https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz, downloaded on first use, checked
against its SHA-256 (as listed by TensorFlow Datasets) and cached in ``~/.layerwise/datasets``
(or ``$LAYERWISE_HOME/datasets``). It holds the same images, in the same order, as the Python
version Keras downloads. Like the original, a small share of the labels are known to be wrong.
"""

from __future__ import annotations


import numpy as np

from layerwise.api_export import export
from layerwise.datasets import _cifar
from layerwise.datasets._download import get_file

_FNAME = "cifar-10-binary.tar.gz"
_ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
_FILE_HASH = "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd"
_FOLDER = "cifar-10-batches-bin"
_TRAIN = tuple(f"data_batch_{i}.bin" for i in range(1, 6))
_TEST = "test_batch.bin"
_OTHERS = ("batches.meta.txt", "readme.html")

_Split = tuple[np.ndarray, np.ndarray]


@export("layerwise.datasets.cifar10.load_data")
def load_data() -> tuple[_Split, _Split]:
    """Load CIFAR-10: ``(x_train, y_train), (x_test, y_test)``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``, all ``uint8``: images of shape
        ``(50000, 32, 32, 3)`` and ``(10000, 32, 32, 3)`` (``(n, 3, 32, 32)`` when
        ``layerwise.config.image_data_format()`` is ``"channels_first"``), labels 0..9 of shape
        ``(50000, 1)`` and ``(10000, 1)``.

    Raises:
        ValueError: the archive is not CIFAR-10's binary distribution (for example it holds a
            member that is not one of its files); the message names the file.
        layerwise.datasets._download.DownloadError: the archive is not cached and cannot be
            downloaded; the message says where to put a copy.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = load_data()  # doctest: +SKIP
        >>> x_train.shape, x_train.dtype, y_train.shape, y_train.dtype  # doctest: +SKIP
        ((50000, 32, 32, 3), dtype('uint8'), (50000, 1), dtype('uint8'))

        Offline, the archive can be copied by hand to this path:

        >>> import os
        >>> from layerwise.datasets._download import cache_directory
        >>> os.path.join(cache_directory(), _FNAME)  # doctest: +ELLIPSIS
        '.../datasets/cifar-10-binary.tar.gz'
    """
    path = get_file(_FNAME, _ORIGIN, file_hash=_FILE_HASH)
    files = _cifar.read_archive(path, "CIFAR-10", _FOLDER, _TRAIN + (_TEST,), _OTHERS, label_bytes=1)
    for name, (labels, _) in files.items():
        if int(labels.max()) >= 10:
            raise ValueError(f"{path} is not a valid CIFAR-10 binary archive: {name} holds label {int(labels.max())}.")
    x_train = np.concatenate([files[name][1] for name in _TRAIN])
    y_train = np.concatenate([files[name][0] for name in _TRAIN])
    x_test, y_test = files[_TEST][1], files[_TEST][0]
    return (_cifar.image_layout(x_train), y_train), (_cifar.image_layout(x_test), y_test)
