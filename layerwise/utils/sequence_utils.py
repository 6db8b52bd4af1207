"""``pad_sequences``: a list of variable-length sequences as one padded NumPy array (Keras's semantics)."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from layerwise.api_export import export
from layerwise.utils.argument_validation import one_of


@export("layerwise.utils.pad_sequences")
def pad_sequences(sequences: Any, maxlen: int | None = None, dtype: Any = "int32", padding: str = "pre",
                  truncating: str = "pre", value: Any = 0.0) -> np.ndarray:
    """Pad (or truncate) every sequence to the same length and stack them.

    Args:
        sequences: a list of sequences (lists or arrays; elements may themselves be arrays of one
            shape, which becomes the trailing shape of the result).
        maxlen: the output length (default: the longest sequence).
        dtype: the output dtype (a string dtype such as ``"object"`` or ``str`` for text).
        padding: ``"pre"`` or ``"post"``: pad before or after each sequence.
        truncating: ``"pre"`` or ``"post"``: drop values from the start or the end of longer sequences.
        value: the padding value.

    Returns:
        A NumPy array of shape ``(len(sequences), maxlen) + element_shape``.

    Example:
        >>> from layerwise.utils.sequence_utils import pad_sequences
        >>> pad_sequences([[1, 2, 3], [4, 5], [6]]).tolist()
        [[1, 2, 3], [0, 4, 5], [0, 0, 6]]
        >>> pad_sequences([[1, 2, 3], [4]], maxlen=2, padding="post", truncating="post").tolist()
        [[1, 2], [4, 0]]
    """
    owner = "pad_sequences"
    padding = one_of(owner, "padding", padding, ("pre", "post"))
    truncating = one_of(owner, "truncating", truncating, ("pre", "post"))
    if maxlen is not None and (isinstance(maxlen, bool) or not isinstance(maxlen, numbers.Integral) or maxlen < 0):
        raise ValueError(f"`{owner}` argument `maxlen` must be None or a non-negative integer; received "
                         f"maxlen={maxlen!r}.")
    if not hasattr(sequences, "__len__"):
        raise ValueError(f"`{owner}` argument `sequences` must be a list of sequences; received "
                         f"sequences of type {type(sequences).__name__}.")
    lengths = []
    sample_shape: tuple = ()
    found_shape = False
    for index, sequence in enumerate(sequences):
        try:
            lengths.append(len(sequence))
        except TypeError:
            raise ValueError(f"`{owner}` argument `sequences` must hold sequences; element {index} is "
                             f"{sequence!r} of type {type(sequence).__name__}.") from None
        if not found_shape and len(sequence):
            sample_shape = np.asarray(sequence).shape[1:]
            found_shape = True
    if maxlen is None:
        maxlen = max(lengths, default=0)
    is_text = np.issubdtype(np.dtype(dtype), np.str_) or np.issubdtype(np.dtype(dtype), np.object_)
    if isinstance(value, str) and dtype != object and not is_text:
        raise ValueError(f"`{owner}` argument `dtype` must be a string or object dtype to pad with the string "
                         f"value={value!r}; received dtype={dtype!r}.")
    out = np.full((len(lengths), int(maxlen)) + tuple(sample_shape), value, dtype=dtype)
    if maxlen == 0:
        return out
    for index, sequence in enumerate(sequences):
        if not len(sequence):
            continue
        kept = sequence[-maxlen:] if truncating == "pre" else sequence[:maxlen]
        kept = np.asarray(kept, dtype=dtype)
        if kept.shape[1:] != sample_shape:
            raise ValueError(f"`{owner}`: sequence {index} has elements of shape {kept.shape[1:]}, but the first "
                             f"non-empty sequence has elements of shape {sample_shape}.")
        if padding == "post":
            out[index, :len(kept)] = kept
        else:
            out[index, -len(kept):] = kept
    return out
