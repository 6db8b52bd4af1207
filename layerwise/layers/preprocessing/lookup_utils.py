"""What the lookup layers (``StringLookup``, ``IntegerLookup``, ``TextVectorization``, ``Hashing``)
share: turning their inputs into NumPy string arrays or integer tensors, reading vocabulary files,
checking a ``salt``, and ordering an adapted vocabulary as Keras does.

PyTorch has no string tensors, so strings travel as NumPy arrays of Python ``str`` (dtype
``object``); bytes are decoded with the layer's ``encoding``.
"""

from __future__ import annotations

import codecs
import numbers
from collections import Counter
from typing import Any

import numpy as np
import torch


def check_encoding(owner: str, encoding: Any) -> str:
    """``encoding`` if Python knows the codec.

    Example:
        >>> check_encoding("StringLookup", "utf-8")
        'utf-8'
    """
    try:
        codecs.lookup(encoding)
    except (LookupError, TypeError):
        raise ValueError(f"`{owner}` argument `encoding` must be the name of a text encoding such as 'utf-8'; "
                         f"received encoding={encoding!r}.") from None
    return encoding


def check_salt(owner: str, salt: Any) -> tuple[int, int] | None:
    """``None``, or the two 64-bit SipHash key words from an integer (used twice) or a pair.

    Example:
        >>> check_salt("Hashing", 7), check_salt("Hashing", [1, 2])
        ((7, 7), (1, 2))
    """
    if salt is None:
        return None
    if isinstance(salt, numbers.Integral) and not isinstance(salt, bool):
        salt = (salt, salt)
    if (isinstance(salt, (tuple, list)) and len(salt) == 2
            and all(isinstance(s, numbers.Integral) and not isinstance(s, bool) and 0 <= s < 2 ** 64 for s in salt)):
        return int(salt[0]), int(salt[1])
    raise ValueError(f"`{owner}` argument `salt` must be None, a non-negative integer or a pair of them (below 2**64); "
                     f"received salt={salt!r}.")


def _decode(value: Any, encoding: str) -> Any:
    if isinstance(value, bytes):
        return value.decode(encoding)
    if isinstance(value, np.str_):
        return str(value)
    return value


def to_string_array(owner: str, inputs: Any, encoding: str = "utf-8") -> np.ndarray:
    """A NumPy ``object`` array of ``str`` from a string, bytes, nested lists or a NumPy array.

    Example:
        >>> to_string_array("StringLookup", [["a", b"b"]]).tolist()
        [['a', 'b']]
    """
    if isinstance(inputs, torch.Tensor):
        raise TypeError(f"`{owner}` expects strings (a NumPy array of str, a list or a string); received a torch "
                        f"tensor of dtype {inputs.dtype}, and torch tensors cannot hold strings.")
    if isinstance(inputs, (str, bytes)):
        array = np.empty((), dtype=object)
        array[()] = _decode(inputs, encoding)
        return array
    array = np.asarray(inputs, dtype=object) if not isinstance(inputs, np.ndarray) else inputs
    if array.dtype.kind == "S" or array.dtype.kind == "U" or array.dtype == object:
        array = array.astype(object)
        flat = array.reshape(-1)
        for i, value in enumerate(flat):
            value = _decode(value, encoding)
            if not isinstance(value, str):
                raise TypeError(f"`{owner}` expects strings; received an element of type {type(value).__name__} "
                                f"({value!r}). Nested lists must be rectangular.")
            flat[i] = value
        return flat.reshape(array.shape)
    raise TypeError(f"`{owner}` expects strings; received an array of dtype {array.dtype}.")


def to_int_tensor(owner: str, inputs: Any, device: Any = None) -> torch.Tensor:
    """An int64 tensor from integer tensors, arrays or lists (floats are truncated, as Keras casts them).

    Example:
        >>> to_int_tensor("IntegerLookup", [[3, 4]])
        tensor([[3, 4]])
    """
    if not isinstance(inputs, torch.Tensor):
        array = np.asarray(inputs)
        if array.dtype.kind not in "biuf":
            raise TypeError(f"`{owner}` expects integers; received an array of dtype {array.dtype}.")
        inputs = torch.as_tensor(array, device=device)
    if inputs.is_complex() or inputs.dtype == torch.bool:
        raise TypeError(f"`{owner}` expects integers; received a tensor of dtype {inputs.dtype}.")
    return inputs.long()


def read_vocabulary_file(path: str, encoding: str) -> list[str]:
    """The lines of a vocabulary file, one token per line (a final empty line is ignored)."""
    with open(path, encoding=encoding, newline="") as handle:
        lines = handle.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def ordered_vocabulary(counts: Counter, limit: int | None) -> list:
    """Tokens by decreasing count, ties broken by decreasing token (code point order for strings,
    which is the UTF-8 byte order Keras sorts by), at most ``limit`` of them.

    Example:
        >>> ordered_vocabulary(Counter({"a": 2, "b": 1, "c": 2}), None)
        ['c', 'a', 'b']
    """
    ordered = [token for token, _ in sorted(counts.items(), key=lambda item: (item[1], item[0]), reverse=True)]
    return ordered if limit is None else ordered[:max(limit, 0)]


def rows_of(array: np.ndarray | torch.Tensor, from_iterator: bool) -> list:
    """The documents of one ``adapt`` batch as flat rows, with Keras's rank rules: a scalar is one
    token; a rank-1 array passed whole to ``adapt`` holds one token per document, but a rank-1 batch
    from an iterable is a single document; higher ranks are documents along the first axis."""
    if isinstance(array, torch.Tensor):
        array = array.detach().cpu().numpy()
    if array.ndim == 0:
        array = array.reshape(1, 1)
    elif array.ndim == 1:
        array = array.reshape(1, -1) if from_iterator else array.reshape(-1, 1)
    return [row.reshape(-1).tolist() for row in array]
