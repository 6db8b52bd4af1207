"""CIFAR-100 small color images, as ``keras.datasets.cifar100`` gives them.

50,000 training and 10,000 test color images of 32x32 pixels, labelled with one of 100 "fine"
classes, grouped into 20 "coarse" superclasses.

The data comes from the dataset's *binary* distribution (no pickle),
https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz, downloaded on first use, checked
against its SHA-256 (as listed by TensorFlow Datasets) and cached in ``~/.layerwise/datasets``
(or ``$LAYERWISE_HOME/datasets``). It holds the same images, in the same order, as the Python
version Keras downloads.
"""

from __future__ import annotations

import numpy as np

from layerwise.api_export import export
from layerwise.datasets import _cifar
from layerwise.datasets._download import get_file
from layerwise.utils.argument_validation import one_of

_FNAME = "cifar-100-binary.tar.gz"
_ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz"
_FILE_HASH = "58a81ae192c23a4be8b1804d68e518ed807d710a4eb253b1f2a199162a40d8ec"
_FOLDER = "cifar-100-binary"
_OTHERS = ("coarse_label_names.txt", "fine_label_names.txt")
_LABEL_COLUMN = {"coarse": 0, "fine": 1}  # each record starts with its coarse then its fine label
_NUM_CLASSES = {"coarse": 20, "fine": 100}

_Split = tuple[np.ndarray, np.ndarray]


@export("layerwise.datasets.cifar100.load_data")
def load_data(label_mode: str = "fine") -> tuple[_Split, _Split]:
    """Load CIFAR-100: ``(x_train, y_train), (x_test, y_test)``.

    Args:
        label_mode: ``"fine"`` for the 100 classes, ``"coarse"`` for the 20 superclasses.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``uint8`` images of shape
        ``(50000, 32, 32, 3)`` and ``(10000, 32, 32, 3)`` (``(n, 3, 32, 32)`` when
        ``layerwise.config.image_data_format()`` is ``"channels_first"``), and labels of shape
        ``(50000, 1)`` and ``(10000, 1)``, ``int64`` as Keras's loader returns them.

    Raises:
        ValueError: ``label_mode`` is not ``"fine"`` or ``"coarse"``, or the archive is not
            CIFAR-100's binary distribution; the message names the file.
        layerwise.datasets._download.DownloadError: the archive is not cached and cannot be
            downloaded; the message says where to put a copy.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = load_data("coarse")  # doctest: +SKIP
        >>> x_train.shape, y_train.shape, int(y_train.max())  # doctest: +SKIP
        ((50000, 32, 32, 3), (50000, 1), 19)
        >>> load_data("medium")
        Traceback (most recent call last):
        ...
        ValueError: `cifar100.load_data` argument `label_mode` must be one of 'fine', 'coarse'; ...
    """
    label_mode = one_of("cifar100.load_data", "label_mode", label_mode, ("fine", "coarse"))
    path = get_file(_FNAME, _ORIGIN, file_hash=_FILE_HASH)
    files = _cifar.read_archive(path, "CIFAR-100", _FOLDER, ("train.bin", "test.bin"), _OTHERS, label_bytes=2)
    for name, (labels, _) in files.items():
        for mode, column in _LABEL_COLUMN.items():
            if int(labels[:, column].max()) >= _NUM_CLASSES[mode]:
                raise ValueError(
                    f"{path} is not a valid CIFAR-100 binary archive: {name} holds {mode} label "
                    f"{int(labels[:, column].max())}, expected 0..{_NUM_CLASSES[mode] - 1}."
                )
    column = _LABEL_COLUMN[label_mode]
    (y_train, x_train), (y_test, x_test) = files["train.bin"], files["test.bin"]
    y_train = y_train[:, column : column + 1].astype(np.int64)
    y_test = y_test[:, column : column + 1].astype(np.int64)
    return (_cifar.image_layout(x_train), y_train), (_cifar.image_layout(x_test), y_test)
