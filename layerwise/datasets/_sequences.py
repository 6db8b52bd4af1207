"""What IMDB and Reuters share: Keras's word-index filtering on ragged integer sequences.

Sequences are kept as one flat ``int64`` array plus the length of each sequence, so the shifts,
filters and out-of-vocabulary replacements below are whole-array NumPy operations.
"""

from __future__ import annotations

import json
import math
import numbers
import os
from typing import Any

import numpy as np

from layerwise.datasets._download import resolve_path


class Ragged:
    """Integer sequences of different lengths: ``flat`` holds them one after the other."""

    def __init__(self, flat: np.ndarray, lengths: np.ndarray) -> None:
        self.flat, self.lengths = flat, lengths

    @classmethod
    def from_sequences(cls, sequences: list[np.ndarray]) -> Ragged:
        lengths = np.fromiter(map(len, sequences), np.int64, count=len(sequences))
        flat = np.concatenate(sequences).astype(np.int64) if sequences else np.zeros(0, np.int64)
        return cls(flat, lengths)

    def __len__(self) -> int:
        return len(self.lengths)

    def starts(self) -> np.ndarray:
        return np.cumsum(self.lengths) - self.lengths

    def take(self, indices: np.ndarray) -> Ragged:
        """The sequences at ``indices`` (an index array or a boolean mask), in that order."""
        lengths = self.lengths[indices]
        starts = self.starts()[indices]
        # Position of every kept element: its sequence's start plus its rank inside the sequence.
        rank = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        return Ragged(self.flat[np.repeat(starts, lengths) + rank], lengths)

    def split(self, index: int) -> tuple[Ragged, Ragged]:
        cut = int(self.lengths[:index].sum())
        return Ragged(self.flat[:cut], self.lengths[:index]), Ragged(self.flat[cut:], self.lengths[index:])

    @staticmethod
    def concatenate(first: Ragged, second: Ragged) -> Ragged:
        return Ragged(np.concatenate([first.flat, second.flat]), np.concatenate([first.lengths, second.lengths]))

    def to_object_array(self) -> np.ndarray:
        """A 1-d object array of Python lists of ints, as Keras returns (one list per sequence)."""
        out = np.empty(len(self), dtype=object)
        pieces = np.split(self.flat, np.cumsum(self.lengths)[:-1]) if len(self) else []
        for i, piece in enumerate(pieces):
            out[i] = piece.tolist()
        return out


def as_sequences(value: Any, key: str, bad: str) -> list[np.ndarray]:
    """The sequences of a member read by ``_object_npz.read_npz`` (a list, or a 2-d integer array)."""
    if isinstance(value, list):
        return value
    if isinstance(value, np.ndarray) and value.ndim == 2 and value.dtype.kind in "iu":
        return list(value.astype(np.int64))
    raise ValueError(f"{bad}: {key} is not an array of integer sequences.")


def as_labels(value: Any, key: str, count: int, bad: str) -> np.ndarray:
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "iu" or value.shape != (count,):
        shape = getattr(value, "shape", None)
        raise ValueError(f"{bad}: {key} must be {count} integer labels; it has shape {shape}.")
    return value


def prepare(seqs: Ragged, start_char: int | None, index_from: int) -> Ragged:
    """Shift every word index by ``index_from`` and put ``start_char`` in front of each sequence."""
    flat = seqs.flat + index_from
    if start_char is None:
        return Ragged(flat, seqs.lengths)
    return Ragged(np.insert(flat, seqs.starts(), start_char), seqs.lengths + 1)


def drop_long(seqs: Ragged, labels: np.ndarray, maxlen: int | None) -> tuple[Ragged, np.ndarray]:
    """Keep the sequences shorter than ``maxlen`` (Keras's rule: ``len < maxlen``; falsy keeps all)."""
    if not maxlen:
        return seqs, labels
    keep = seqs.lengths < maxlen
    return seqs.take(keep), labels[keep]


def limit_vocabulary(seqs: Ragged, num_words: int | None, skip_top: int, oov_char: int | None) -> Ragged:
    """Replace (or, with ``oov_char=None``, drop) indices outside ``[skip_top, num_words)``.

    As in Keras, a falsy ``num_words`` means the largest index present, which is itself therefore
    outside the range.
    """
    if not num_words:
        num_words = int(seqs.flat.max()) if seqs.flat.size else 0
    inside = (seqs.flat >= skip_top) & (seqs.flat < num_words)
    if oov_char is not None:
        return Ragged(np.where(inside, seqs.flat, oov_char), seqs.lengths)
    owner = np.repeat(np.arange(len(seqs)), seqs.lengths)
    return Ragged(seqs.flat[inside], np.bincount(owner[inside], minlength=len(seqs)).astype(np.int64))


def shuffled(
    sequences: list[np.ndarray], labels: np.ndarray, rng: np.random.RandomState
) -> tuple[Ragged, np.ndarray]:
    indices = np.arange(len(sequences))
    rng.shuffle(indices)
    return Ragged.from_sequences([sequences[i] for i in indices]), labels[indices]


def check_int(owner: str, arg: str, value: Any, optional: bool = False, upper: int | None = None) -> int | None:
    """``value`` as a non-negative int (``None`` allowed when ``optional``); errors name the argument."""
    if value is None and optional:
        return None
    expected = "a non-negative integer" + (" or None" if optional else "")
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"`{owner}` argument `{arg}` must be {expected}; received {arg}={value!r}.")
    if value < 0:
        raise ValueError(f"`{owner}` argument `{arg}` must be {expected}; received {arg}={value!r}.")
    if upper is not None and value >= upper:
        raise ValueError(f"`{owner}` argument `{arg}` must be below {upper}; received {arg}={value!r}.")
    return int(value)


def check_split(owner: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"`{owner}` argument `test_split` must be a float in [0, 1); received test_split={value!r}.")
    if not (math.isfinite(value) and 0 <= value < 1):
        raise ValueError(f"`{owner}` argument `test_split` must be in [0, 1); received test_split={value!r}.")
    return float(value)


def read_word_index(
    owner: str, path: str | os.PathLike[str], fname: str, origin: str, file_hash: str
) -> dict[str, int]:
    """Load a word-index JSON file (``{"word": index}``), checking it is exactly that."""
    file = resolve_path(path, fname, origin, file_hash=file_hash)
    bad = f"{file} is not a valid word index for `{owner}`"
    try:
        with open(file, encoding="utf-8") as f:
            index = json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"{bad}: it cannot be read as JSON ({e}).") from e
    if not isinstance(index, dict):
        raise ValueError(f"{bad}: it holds a {type(index).__name__}, not an object mapping words to indices.")
    for word, value in index.items():
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{bad}: the index of {word!r} is {value!r}, not an integer.")
    return index
