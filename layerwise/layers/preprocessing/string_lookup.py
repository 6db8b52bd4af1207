"""``StringLookup``: strings to integer indices through a vocabulary (and back with ``invert``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from layerwise.api_export import export
from layerwise.layers.preprocessing.index_lookup import IndexLookup
from layerwise.layers.preprocessing.lookup_utils import check_encoding, to_string_array


@export("layerwise.layers.StringLookup")
class StringLookup(IndexLookup):
    """Maps strings to integer indices through a vocabulary given or learned with :meth:`adapt`.

    Indices, as in Keras: in ``"int"`` mode with a ``mask_token`` the mask is 0; then come
    ``num_oov_indices`` out-of-vocabulary indices (several: chosen by the FarmHash fingerprint of the
    string, or SipHash with ``salt``, exactly as Keras does), then the vocabulary in order.

    Args:
        max_tokens: the largest vocabulary, mask and OOV indices included (``None``: no limit).
        num_oov_indices: the number of OOV indices (0: unknown strings raise an error).
        mask_token: the string that marks padding (``None``: no mask index).
        oov_token: the string ``invert`` returns for OOV indices.
        vocabulary: a list, array or tensor of strings, or the path of a text file with one per line.
        idf_weights: the inverse document frequencies of the vocabulary (``"tf_idf"`` mode only).
        invert: map indices back to strings (``"int"`` mode only).
        output_mode: ``"int"`` (int64 indices), ``"one_hot"``, ``"multi_hot"``, ``"count"`` or
            ``"tf_idf"`` (float vectors as long as the vocabulary).
        pad_to_max_tokens: make the vectors ``max_tokens`` long.
        sparse: return a torch sparse COO tensor (not with ``"int"``).
        encoding: the text encoding of bytes inputs and vocabulary files.
        salt: with ``num_oov_indices > 1``, hash OOV strings with SipHash keyed by this integer or pair.

    Call arguments:
        inputs: strings: a ``str``, a (nested) list, or a NumPy array of str, bytes or objects.
            With ``invert=True``: integer indices.

    Output: an int64 tensor of the input's shape (``"int"``); float vectors otherwise (Keras's torch
    backend returns int64 counts here; floats, as Keras's docs and output spec say, feed ``Dense``);
    with ``invert=True`` a NumPy array of str (torch has no strings).

    Example:
        >>> import layerwise as keras
        >>> layer = keras.layers.StringLookup(vocabulary=["a", "b", "c"])
        >>> layer([["a", "c"], ["d", "b"]]).tolist()
        [[1, 3], [0, 2]]
        >>> keras.layers.StringLookup(vocabulary=["a", "b", "c"], invert=True)([[1, 3], [0, 2]]).tolist()
        [['a', 'c'], ['[UNK]', 'b']]
    """

    _string_tokens = True

    def __init__(self, max_tokens: int | None = None, num_oov_indices: int = 1, mask_token: str | None = None,
                 oov_token: str = "[UNK]", vocabulary: Any = None, idf_weights: Any = None, invert: bool = False,
                 output_mode: str = "int", pad_to_max_tokens: bool = False, sparse: bool = False,
                 encoding: str = "utf-8", salt: Any = None, **kwargs):
        owner = type(self).__name__
        self.encoding = check_encoding(owner, encoding)  # set first: a vocabulary file is read with it
        kwargs.pop("vocabulary_dtype", None)  # strings only; Keras leaves it out of the config
        for arg, token in (("mask_token", mask_token), ("oov_token", oov_token)):
            if token is not None and not isinstance(token, (str, bytes)):
                raise ValueError(f"`{owner}` argument `{arg}` must be None or a string; received {arg}={token!r}.")
        mask_token = mask_token.decode(encoding) if isinstance(mask_token, bytes) else mask_token
        oov_token = oov_token.decode(encoding) if isinstance(oov_token, bytes) else oov_token
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                         oov_token=oov_token, vocabulary=vocabulary, idf_weights=idf_weights, invert=invert,
                         output_mode=output_mode, sparse=sparse, pad_to_max_tokens=pad_to_max_tokens, salt=salt,
                         **kwargs)

    def _standardize_token(self, token: Any) -> str:
        if isinstance(token, bytes):
            return token.decode(self.encoding)
        if isinstance(token, str):
            return str(token)
        raise TypeError(f"`{type(self).__name__}` vocabulary must hold strings; received {token!r} of type "
                        f"{type(token).__name__}.")

    def _prepare(self, inputs: Any) -> np.ndarray:
        return to_string_array(type(self).__name__, inputs, self.encoding)

    def lookup_indices(self, inputs: Any) -> torch.Tensor:
        """The int64 index of each string (the mask gives 0 in "int" mode, -1 in the others).

        Example:
            >>> import layerwise as keras
            >>> keras.layers.StringLookup(vocabulary=["x"]).lookup_indices(["x", "y"]).tolist()
            [1, 0]
        """
        strings = self._prepare(inputs)
        flat = strings.reshape(-1)
        if flat.size == 0:
            return torch.zeros(strings.shape, dtype=torch.int64)
        unique, inverse = np.unique(flat, return_inverse=True)
        indices = np.fromiter((self._index.get(s, -1) for s in unique), dtype=np.int64, count=len(unique))
        is_mask = (unique == self.mask_token) if self.mask_token is not None else np.zeros(len(unique), bool)
        oov = (indices < 0) & ~is_mask
        if oov.any():
            if self.num_oov_indices == 0:
                raise self._oov_error(unique[oov].tolist())
            if self.num_oov_indices == 1:
                indices[oov] = self._oov_start_index()
            else:
                indices[oov] = self._hash_oov(unique[oov].tolist())
        indices[is_mask] = 0 if self.output_mode == "int" else -1
        return torch.from_numpy(indices[inverse.reshape(-1)].reshape(strings.shape))

    def _invert(self, inputs: Any) -> np.ndarray:
        indices = inputs.detach().cpu().numpy() if isinstance(inputs, torch.Tensor) else np.asarray(inputs)
        if indices.dtype.kind not in "iu":
            raise TypeError(f"Layer '{self.name}' ({type(self).__name__}) with invert=True expects integer indices; "
                            f"received dtype {indices.dtype}.")
        table = np.empty(self.vocabulary_size() + 1, dtype=object)
        table[:-1] = self.get_vocabulary(include_special_tokens=True)
        table[-1] = self.oov_token  # every index outside the vocabulary
        position = np.where((indices >= 0) & (indices < self.vocabulary_size()), indices, self.vocabulary_size())
        return table[position]

    def get_config(self) -> dict:
        return {**super().get_config(), "encoding": self.encoding}
