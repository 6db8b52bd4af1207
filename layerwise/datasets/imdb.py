"""IMDB movie reviews labelled by sentiment, as ``keras.datasets.imdb`` gives them.

25,000 training and 25,000 test reviews, each a list of word indices (words ranked by frequency,
so index 3 is the third most frequent word), labelled 1 (positive) or 0 (negative). The file is
Keras's ``imdb.npz``, checked against Keras's SHA-256 and cached in ``~/.layerwise/datasets`` (or
``$LAYERWISE_HOME/datasets``).

Keras stores the reviews as NumPy object arrays, which ``.npz`` can only hold as pickle streams.
They are read here without unpickling: :mod:`layerwise.datasets._object_npz` interprets the
stream as data and accepts nothing but the array-of-integer-lists layout (no import, no call).
"""

from __future__ import annotations

import os

import numpy as np

from layerwise.api_export import export
from layerwise.datasets import _object_npz, _sequences
from layerwise.datasets._download import resolve_path
from layerwise.datasets._sequences import Ragged

_FNAME = "imdb.npz"
_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz"
_FILE_HASH = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
_INDEX_FNAME = "imdb_word_index.json"
_INDEX_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb_word_index.json"
# Keras publishes only this MD5 for the word index; no SHA-256 of the file could be found.
_INDEX_HASH = "bfafd718b763782e994055a2d397834f"
_OWNER = "imdb.load_data"

_Split = tuple[np.ndarray, np.ndarray]


@export("layerwise.datasets.imdb.load_data")
def load_data(
    path: str | os.PathLike[str] = _FNAME,
    num_words: int | None = None,
    skip_top: int = 0,
    maxlen: int | None = None,
    seed: int = 113,
    start_char: int | None = 1,
    oov_char: int | None = 2,
    index_from: int = 3,
) -> tuple[_Split, _Split]:
    """Load the IMDB reviews: ``(x_train, y_train), (x_test, y_test)``, filtered as Keras does.

    Each set is shuffled (``np.random.RandomState(seed)``, training set first, then the test set
    with the same generator). Every word index is then shifted by ``index_from`` and
    ``start_char`` is put in front of each review; with ``maxlen``, only reviews shorter than
    ``maxlen`` (counting the start character) are kept. Last, indices outside
    ``[skip_top, num_words)`` become ``oov_char`` (or are removed when ``oov_char`` is ``None``).
    As in Keras, ``num_words=None`` stands for the largest index present, which is therefore
    itself replaced, and ``skip_top`` compares shifted indices.

    Args:
        path: the absolute path of a local copy of ``imdb.npz``, read with no network; or a
            name relative to the cache directory, downloaded from Keras's URL on first use.
        num_words: keep the indices below this (``None`` or 0: all of them).
        skip_top: replace the indices below this (the most frequent words).
        maxlen: drop the reviews of ``maxlen`` entries or more (``None`` or 0: keep all).
        seed: seed of the shuffles, in ``[0, 2**32)``.
        start_char: index put in front of every review (``None``: nothing).
        oov_char: index that replaces the filtered-out words (``None``: remove them).
        index_from: added to every word index.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x`` are 1-d object arrays of Python lists of
        ints (25,000 each for the real file), ``y`` the integer labels (0 or 1).

    Raises:
        ValueError: the file is not a valid IMDB ``.npz``, or ``maxlen`` leaves a set empty.
        layerwise.datasets._download.DownloadError: no cached copy and no network; the message
            says where to put the file.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = load_data(num_words=10000)  # doctest: +SKIP
        >>> len(x_train), x_train[0][:3], y_train[:3]  # doctest: +SKIP
        (25000, [1, 13, 586], array([0, 0, 1]))

        A local file in Keras's layout is read directly, with no network access:

        >>> import os, tempfile
        >>> reviews = np.empty(2, dtype=object)
        >>> reviews[0], reviews[1] = [1, 2, 3], [4, 5]
        >>> with tempfile.TemporaryDirectory() as d:
        ...     tiny = os.path.join(d, "tiny_imdb.npz")
        ...     np.savez(tiny, x_train=reviews, y_train=np.array([1, 0]), x_test=reviews[:1], y_test=np.array([1]))
        ...     (x_train, y_train), (x_test, y_test) = load_data(tiny, num_words=100, seed=0)
        >>> x_train.tolist(), y_train.tolist(), x_test.tolist()
        ([[1, 7, 8], [1, 4, 5, 6]], [0, 1], [[1, 4, 5, 6]])
    """
    num_words = _sequences.check_int(_OWNER, "num_words", num_words, optional=True)
    skip_top = _sequences.check_int(_OWNER, "skip_top", skip_top)
    maxlen = _sequences.check_int(_OWNER, "maxlen", maxlen, optional=True)
    seed = _sequences.check_int(_OWNER, "seed", seed, upper=2**32)
    start_char = _sequences.check_int(_OWNER, "start_char", start_char, optional=True)
    oov_char = _sequences.check_int(_OWNER, "oov_char", oov_char, optional=True)
    index_from = _sequences.check_int(_OWNER, "index_from", index_from)

    file = resolve_path(path, _FNAME, _ORIGIN, file_hash=_FILE_HASH)
    bad = f"{file} is not a valid IMDB .npz file"
    arrays = _object_npz.read_npz(file, "IMDB")
    missing = [key for key in ("x_train", "y_train", "x_test", "y_test") if key not in arrays]
    if missing:
        raise ValueError(f"{bad}: it lacks {', '.join(missing)} (it holds: {', '.join(arrays) or 'nothing'}).")

    rng = np.random.RandomState(seed)
    parts = []
    for part in ("train", "test"):
        sequences = _sequences.as_sequences(arrays[f"x_{part}"], f"x_{part}", bad)
        labels = _sequences.as_labels(arrays[f"y_{part}"], f"y_{part}", len(sequences), bad)
        seqs, labels = _sequences.shuffled(sequences, labels, rng)
        seqs = _sequences.prepare(seqs, start_char, index_from)
        seqs, labels = _sequences.drop_long(seqs, labels, maxlen)
        parts.append((seqs, labels))
    (train, y_train), (test, y_test) = parts
    if maxlen and (not len(train) or not len(test)):
        raise ValueError(
            f"`{_OWNER}` argument `maxlen` leaves no review shorter than it in the "
            f"{'training' if not len(train) else 'test'} set; received maxlen={maxlen}. Increase maxlen."
        )
    both = _sequences.limit_vocabulary(Ragged.concatenate(train, test), num_words, skip_top, oov_char)
    train, test = both.split(len(train))
    labels = np.concatenate([y_train, y_test])
    return (train.to_object_array(), labels[: len(train)]), (test.to_object_array(), labels[len(train) :])


@export("layerwise.datasets.imdb.get_word_index")
def get_word_index(path: str | os.PathLike[str] = _INDEX_FNAME) -> dict[str, int]:
    """The dictionary from words to their index in the IMDB data (before ``index_from``).

    Args:
        path: the absolute path of a local copy of ``imdb_word_index.json``; or a name relative
            to the cache directory, downloaded from Keras's URL on first use and checked against
            the MD5 Keras publishes for it (the only digest of that file that could be found).

    Returns:
        A ``dict`` mapping each word to its index (1 is the most frequent word).

    Example:
        >>> word_index = get_word_index()  # doctest: +SKIP
        >>> word_index["the"], len(word_index)  # doctest: +SKIP
        (1, 88584)

        Decoding a review loaded with the default ``start_char=1, oov_char=2, index_from=3``:

        >>> word_index = {"the": 1, "movie": 2, "great": 3}  # get_word_index() on the real data
        >>> words = {index + 3: word for word, index in word_index.items()}
        >>> " ".join(words.get(i, "?") for i in [1, 4, 5, 6])
        '? the movie great'
    """
    return _sequences.read_word_index("imdb.get_word_index", path, _INDEX_FNAME, _INDEX_ORIGIN, _INDEX_HASH)
