"""``IntegerLookup``: integer tokens (ids, codes) to contiguous indices through a vocabulary.

The lookup runs on the input's device: the vocabulary is kept sorted and found with
``torch.searchsorted``.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import torch

from layerwise.api_export import export
from layerwise.layers.preprocessing.index_lookup import IndexLookup
from layerwise.layers.preprocessing.lookup_utils import to_int_tensor


@export("layerwise.layers.IntegerLookup")
class IntegerLookup(IndexLookup):
    """Maps integers to contiguous indices through a vocabulary given or learned with :meth:`adapt`.

    Indices, as in Keras: in ``"int"`` mode with a ``mask_token`` the mask is 0; then come
    ``num_oov_indices`` out-of-vocabulary indices (several: chosen by ``value % num_oov_indices``,
    or with ``oov_method="farmhash"`` by the FarmHash fingerprint of the value's decimal text, SipHash
    with ``salt``), then the vocabulary in order.

    Args:
        max_tokens: the largest vocabulary, mask and OOV indices included (``None``: no limit).
        num_oov_indices: the number of OOV indices (0: unknown values raise an error).
        mask_token: the integer that marks padding (``None``: no mask index).
        oov_token: the value ``invert`` returns for OOV indices.
        vocabulary: a list, array or tensor of integers, or the path of a text file with one per line.
        vocabulary_dtype: ``"int64"``, the only one (as in Keras).
        idf_weights: the inverse document frequencies of the vocabulary (``"tf_idf"`` mode only).
        invert: map indices back to vocabulary integers (``"int"`` mode only).
        output_mode: ``"int"`` (int64 indices), ``"one_hot"``, ``"multi_hot"``, ``"count"`` or
            ``"tf_idf"`` (float vectors as long as the vocabulary).
        sparse: return a torch sparse COO tensor (not with ``"int"``).
        pad_to_max_tokens: make the vectors ``max_tokens`` long.
        oov_method: ``"floormod"`` or ``"farmhash"``, how several OOV indices are chosen.
        salt: with ``oov_method="farmhash"``, hash with SipHash keyed by this integer or pair.

    Call arguments:
        inputs: an integer tensor, NumPy array or (nested) list.

    Output: an int64 tensor of the input's shape (``"int"``, and ``invert``); float vectors otherwise.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
        >>> layer(torch.tensor([[12, 1138, 42], [42, 1000, 36]])).tolist()
        [[1, 3, 4], [4, 0, 2]]
        >>> keras.layers.IntegerLookup(vocabulary=[12, 36, 1138, 42], invert=True)(torch.tensor([1, 0])).tolist()
        [12, -1]
    """

    _string_tokens = False

    def __init__(self, max_tokens: int | None = None, num_oov_indices: int = 1, mask_token: int | None = None,
                 oov_token: int = -1, vocabulary: Any = None, vocabulary_dtype: str = "int64", idf_weights: Any = None,
                 invert: bool = False, output_mode: str = "int", sparse: bool = False, pad_to_max_tokens: bool = False,
                 oov_method: str = "floormod", salt: Any = None, **kwargs):
        owner = type(self).__name__
        if vocabulary_dtype != "int64":
            raise ValueError(f"`{owner}` argument `vocabulary_dtype` must be 'int64' (the only one supported, as in "
                             f"Keras); received vocabulary_dtype={vocabulary_dtype!r}.")
        for arg, token in (("mask_token", mask_token), ("oov_token", oov_token)):
            if token is not None and (isinstance(token, bool) or not isinstance(token, numbers.Integral)):
                raise ValueError(f"`{owner}` argument `{arg}` must be None or an integer; received {arg}={token!r}.")
        if invert and oov_token is None:
            raise ValueError(f"`{owner}` with invert=True needs an integer `oov_token` to return for OOV indices; "
                             "received oov_token=None.")
        self.vocabulary_dtype = vocabulary_dtype
        super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices,
                         mask_token=None if mask_token is None else int(mask_token),
                         oov_token=None if oov_token is None else int(oov_token), vocabulary=vocabulary,
                         idf_weights=idf_weights, invert=invert, output_mode=output_mode, sparse=sparse,
                         pad_to_max_tokens=pad_to_max_tokens, oov_method=oov_method, salt=salt, **kwargs)

    def _standardize_token(self, token: Any) -> int:
        if isinstance(token, numbers.Integral) and not isinstance(token, bool):
            return int(token)
        if isinstance(token, float) and token.is_integer():
            return int(token)
        raise TypeError(f"`{type(self).__name__}` vocabulary must hold integers; received {token!r} of type "
                        f"{type(token).__name__}.")

    def _prepare(self, inputs: Any) -> torch.Tensor:
        return to_int_tensor(type(self).__name__, inputs)

    def _table(self, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
        """The vocabulary sorted, and the index of each, on ``device`` (cached)."""
        table = self._table_cache.get(device)
        if table is None:
            tokens = torch.as_tensor(list(self._index), dtype=torch.int64)
            values = torch.as_tensor(list(self._index.values()), dtype=torch.int64)
            order = torch.argsort(tokens)
            table = self._table_cache[device] = (tokens[order].to(device), values[order].to(device))
        return table

    def lookup_indices(self, inputs: Any) -> torch.Tensor:
        """The int64 index of each value (the mask gives 0 in "int" mode, -1 in the others).

        Example:
            >>> import torch, layerwise as keras
            >>> keras.layers.IntegerLookup(vocabulary=[7, 9]).lookup_indices(torch.tensor([9, 5])).tolist()
            [2, 0]
        """
        values = self._prepare(inputs)
        indices = torch.full_like(values, -1)
        if self._index:
            keys, positions = self._table(values.device)
            at = torch.searchsorted(keys, values).clamp(max=len(keys) - 1)
            indices = torch.where(keys[at] == values, positions[at], indices)
        is_mask = values == self.mask_token if self.mask_token is not None else torch.zeros_like(values, dtype=torch.bool)
        oov = (indices < 0) & ~is_mask
        if self.num_oov_indices == 0:
            if bool(oov.any()):
                raise self._oov_error(torch.unique(values[oov]).tolist())
        elif self.num_oov_indices == 1:
            indices = torch.where(oov, self._oov_start_index(), indices)
        elif self.oov_method == "floormod":
            indices = torch.where(oov, values.remainder(self.num_oov_indices) + self._oov_start_index(), indices)
        elif bool(oov.any()):
            unknown = values[oov].cpu().tolist()
            hashed = self._hash_oov([str(v) for v in unknown])
            indices = indices.clone()
            indices[oov] = torch.as_tensor(hashed, device=indices.device)
        return torch.where(is_mask, 0 if self.output_mode == "int" else -1, indices)

    def _invert(self, inputs: Any) -> torch.Tensor:
        indices = to_int_tensor(type(self).__name__, inputs)
        size = self.vocabulary_size()
        if size == 0:
            return torch.full_like(indices, self.oov_token)
        table = torch.as_tensor(np.asarray(self.get_vocabulary(include_special_tokens=True), dtype=np.int64),
                                device=indices.device)
        valid = (indices >= 0) & (indices < size)
        return torch.where(valid, table[indices.clamp(0, size - 1)], self.oov_token)

    def get_config(self) -> dict:
        return {**super().get_config(), "vocabulary_dtype": self.vocabulary_dtype}
