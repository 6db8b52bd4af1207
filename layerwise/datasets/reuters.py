"""Reuters newswires labelled by topic, as ``keras.datasets.reuters`` gives them.

11,228 newswires, each a list of word indices (words ranked by frequency), labelled with one of
46 topics. The file is Keras's ``reuters.npz``, checked against Keras's SHA-256 and cached in
``~/.layerwise/datasets`` (or ``$LAYERWISE_HOME/datasets``). Like IMDB, its sequences are object
arrays read without unpickling (:mod:`layerwise.datasets._object_npz`).
"""

from __future__ import annotations

import os

import numpy as np

from layerwise.api_export import export
from layerwise.datasets import _object_npz, _sequences
from layerwise.datasets._download import resolve_path

_FNAME = "reuters.npz"
_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/reuters.npz"
_FILE_HASH = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
_INDEX_FNAME = "reuters_word_index.json"
_INDEX_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/reuters_word_index.json"
# Keras publishes only this MD5 for the word index; no SHA-256 of the file could be found.
_INDEX_HASH = "4d44cc38712099c9e383dc6e5f11a921"
_OWNER = "reuters.load_data"

_LABEL_NAMES = (
    "cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing", "money-supply", "coffee",
    "sugar", "trade", "reserves", "ship", "cotton", "carcass", "crude", "nat-gas", "cpi", "money-fx",
    "interest", "gnp", "meal-feed", "alum", "oilseed", "gold", "tin", "strategic-metal", "livestock",
    "retail", "ipi", "iron-steel", "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange", "pet-chem",
    "dlr", "gas", "silver", "wpi", "hog", "lead",
)  # fmt: skip

_Split = tuple[np.ndarray, np.ndarray]


@export("layerwise.datasets.reuters.load_data")
def load_data(
    path: str | os.PathLike[str] = _FNAME,
    num_words: int | None = None,
    skip_top: int = 0,
    maxlen: int | None = None,
    test_split: float = 0.2,
    seed: int = 113,
    start_char: int | None = 1,
    oov_char: int | None = 2,
    index_from: int = 3,
) -> tuple[_Split, _Split]:
    """Load the Reuters newswires: ``(x_train, y_train), (x_test, y_test)``, filtered as Keras does.

    All newswires are shuffled with ``np.random.RandomState(seed)``; every word index is shifted
    by ``index_from`` and ``start_char`` is put in front; with ``maxlen`` only the newswires
    shorter than ``maxlen`` (counting the start character) are kept; indices outside
    ``[skip_top, num_words)`` become ``oov_char`` (or are removed when it is ``None``; as in
    Keras, ``num_words=None`` stands for the largest index present). The first
    ``int(n * (1 - test_split))`` newswires are the training set.

    Args:
        path: the absolute path of a local copy of ``reuters.npz``, read with no network; or a
            name relative to the cache directory, downloaded from Keras's URL on first use.
        num_words: keep the indices below this (``None`` or 0: all of them).
        skip_top: replace the indices below this (the most frequent words).
        maxlen: drop the newswires of ``maxlen`` entries or more (``None`` or 0: keep all).
        test_split: fraction of the newswires in the test set, in ``[0, 1)``.
        seed: seed of the shuffle, in ``[0, 2**32)``.
        start_char: index put in front of every newswire (``None``: nothing).
        oov_char: index that replaces the filtered-out words (``None``: remove them).
        index_from: added to every word index.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x`` are 1-d object arrays of Python lists of
        ints (8,982 and 2,246 for the real file), ``y`` the topic labels 0..45.

    Raises:
        ValueError: the file is not a valid Reuters ``.npz``.
        layerwise.datasets._download.DownloadError: no cached copy and no network; the message
            says where to put the file.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = load_data(num_words=10000)  # doctest: +SKIP
        >>> len(x_train), len(x_test), get_label_names()[y_train[0]]  # doctest: +SKIP
        (8982, 2246, 'earn')

        A local file in Keras's layout is read directly, with no network access:

        >>> import os, tempfile
        >>> wires = np.empty(3, dtype=object)
        >>> wires[0], wires[1], wires[2] = [1, 2], [3], [4, 5, 6]
        >>> with tempfile.TemporaryDirectory() as d:
        ...     tiny = os.path.join(d, "tiny_reuters.npz")
        ...     np.savez(tiny, x=wires, y=np.array([3, 4, 19]))
        ...     (x_train, y_train), (x_test, y_test) = load_data(tiny, num_words=100, test_split=0.3, seed=0)
        >>> x_train.tolist(), y_train.tolist(), x_test.tolist(), y_test.tolist()
        ([[1, 7, 8, 9], [1, 6]], [19, 4], [[1, 4, 5]], [3])
    """
    num_words = _sequences.check_int(_OWNER, "num_words", num_words, optional=True)
    skip_top = _sequences.check_int(_OWNER, "skip_top", skip_top)
    maxlen = _sequences.check_int(_OWNER, "maxlen", maxlen, optional=True)
    test_split = _sequences.check_split(_OWNER, test_split)
    seed = _sequences.check_int(_OWNER, "seed", seed, upper=2**32)
    start_char = _sequences.check_int(_OWNER, "start_char", start_char, optional=True)
    oov_char = _sequences.check_int(_OWNER, "oov_char", oov_char, optional=True)
    index_from = _sequences.check_int(_OWNER, "index_from", index_from)

    file = resolve_path(path, _FNAME, _ORIGIN, file_hash=_FILE_HASH)
    bad = f"{file} is not a valid Reuters .npz file"
    arrays = _object_npz.read_npz(file, "Reuters")
    missing = [key for key in ("x", "y") if key not in arrays]
    if missing:
        raise ValueError(f"{bad}: it lacks {', '.join(missing)} (it holds: {', '.join(arrays) or 'nothing'}).")
    sequences = _sequences.as_sequences(arrays["x"], "x", bad)
    labels = _sequences.as_labels(arrays["y"], "y", len(sequences), bad)

    seqs, labels = _sequences.shuffled(sequences, labels, np.random.RandomState(seed))
    seqs = _sequences.prepare(seqs, start_char, index_from)
    seqs, labels = _sequences.drop_long(seqs, labels, maxlen)
    seqs = _sequences.limit_vocabulary(seqs, num_words, skip_top, oov_char)
    split = int(len(seqs) * (1 - test_split))
    train, test = seqs.split(split)
    return (train.to_object_array(), labels[:split]), (test.to_object_array(), labels[split:])


@export("layerwise.datasets.reuters.get_word_index")
def get_word_index(path: str | os.PathLike[str] = _INDEX_FNAME) -> dict[str, int]:
    """The dictionary from words to their index in the Reuters data (before ``index_from``).

    Args:
        path: the absolute path of a local copy of ``reuters_word_index.json``; or a name
            relative to the cache directory, downloaded from Keras's URL on first use and checked
            against the MD5 Keras publishes for it (the only digest of that file that could be
            found).

    Returns:
        A ``dict`` mapping each word to its index (1 is the most frequent word).

    Example:
        >>> word_index = get_word_index()  # doctest: +SKIP
        >>> word_index["the"]  # doctest: +SKIP
        1
        >>> import json, os, tempfile
        >>> with tempfile.TemporaryDirectory() as d:
        ...     local = os.path.join(d, "words.json")
        ...     with open(local, "w") as f:
        ...         json.dump({"the": 1, "of": 2}, f)
        ...     get_word_index(local)
        {'the': 1, 'of': 2}
    """
    return _sequences.read_word_index("reuters.get_word_index", path, _INDEX_FNAME, _INDEX_ORIGIN, _INDEX_HASH)


@export("layerwise.datasets.reuters.get_label_names")
def get_label_names() -> tuple[str, ...]:
    """The names of the 46 Reuters topics, indexed by label.

    Returns:
        A tuple of 46 strings; ``get_label_names()[y]`` names the topic of label ``y``.

    Example:
        >>> names = get_label_names()
        >>> len(names), names[3], names[4]
        (46, 'earn', 'acq')
    """
    return _LABEL_NAMES
