"""``IndexLookup``: the base of ``StringLookup`` and ``IntegerLookup`` (and, inside it,
``TextVectorization``): a vocabulary, the indices it gives, and ``adapt`` to learn it.

Index layout, as in Keras: in ``"int"`` mode with a ``mask_token`` index 0 is the mask; then come
``num_oov_indices`` out-of-vocabulary (OOV) indices, then the tokens. In the other output modes the
mask has no index (masked inputs are dropped). With several OOV indices a string goes to the OOV
index given by its FarmHash fingerprint (SipHash with a ``salt``), an integer by ``value %
num_oov_indices`` (or by the hash of its decimal text with ``oov_method="farmhash"``).

``adapt`` counts every token and keeps the most frequent ones, ties broken by the larger token
first; ``tf_idf`` weights are ``log(1 + num_documents / (1 + document_frequency))``, and the OOV
indices get the mean of the token weights. The vocabulary is plain data: ``get_config`` holds it
(with the IDF weights), so a saved layer needs no side file.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import torch

from layerwise.graph.keras_tensor import KerasTensor
from layerwise.layers.layer import Layer
from layerwise.layers.preprocessing.encoding_utils import encode_categorical, encoded_shape
from layerwise.layers.preprocessing.hash_utils import hash_to_bins
from layerwise.layers.preprocessing.lookup_utils import check_salt, ordered_vocabulary, read_vocabulary_file, rows_of
from layerwise.utils.argument_validation import non_negative_int, one_of

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
_ALIASES = {"binary": "multi_hot", "tf-idf": "tf_idf"}


def _listify(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().numpy()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return list(value) if isinstance(value, tuple) else value


class IndexLookup(Layer):
    """Maps tokens to indices through a vocabulary (not public: use ``StringLookup`` or
    ``IntegerLookup``, whose docstrings describe the arguments).

    Example:
        >>> import layerwise as keras
        >>> keras.layers.StringLookup(vocabulary=["a", "b"])(["b", "z"]).tolist()
        [2, 0]
    """

    _string_tokens = True

    def __init__(self, max_tokens: int | None, num_oov_indices: int, mask_token: Any, oov_token: Any,
                 vocabulary: Any = None, idf_weights: Any = None, invert: bool = False, output_mode: str = "int",
                 sparse: bool = False, pad_to_max_tokens: bool = False, oov_method: str = "floormod",
                 salt: Any = None, **kwargs):
        owner = type(self).__name__
        if max_tokens is not None and (isinstance(max_tokens, bool) or not isinstance(max_tokens, int)
                                       or max_tokens <= 1):
            raise ValueError(f"`{owner}` argument `max_tokens` must be None or an integer greater than 1; "
                             f"received max_tokens={max_tokens!r}.")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"`{owner}` argument `pad_to_max_tokens` needs `max_tokens`; received "
                             "pad_to_max_tokens=True, max_tokens=None.")
        num_oov_indices = non_negative_int(owner, "num_oov_indices", num_oov_indices)
        oov_method = one_of(owner, "oov_method", oov_method, ("floormod", "farmhash"))
        output_mode = one_of(owner, "output_mode", _ALIASES.get(output_mode, output_mode), OUTPUT_MODES)
        if salt is not None and not self._string_tokens and oov_method != "farmhash":
            raise ValueError(f"`{owner}` argument `salt` needs oov_method='farmhash'; received salt={salt!r}, "
                             f"oov_method={oov_method!r}.")
        salt = check_salt(owner, salt)
        if invert and output_mode != "int":
            raise ValueError(f"`{owner}` argument `invert` needs output_mode='int'; received invert=True, "
                             f"output_mode={output_mode!r}.")
        if sparse and output_mode == "int":
            raise ValueError(f"`{owner}` argument `sparse` can be True only with output_mode 'one_hot', 'multi_hot', "
                             "'count' or 'tf_idf'; received sparse=True, output_mode='int'.")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(f"`{owner}` argument `idf_weights` is used only with output_mode='tf_idf'; received "
                             f"output_mode={output_mode!r}.")
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        kwargs.pop("vocabulary_size", None)  # in Keras's configs; recomputed from the vocabulary here
        if output_mode == "tf_idf" and has_input_vocabulary and vocabulary is not None and idf_weights is None:
            raise ValueError(f"`{owner}` with output_mode='tf_idf' and a `vocabulary` also needs `idf_weights`; "
                             "received idf_weights=None.")
        super().__init__(**kwargs)
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.invert = bool(invert)
        self.output_mode = output_mode
        self.sparse = bool(sparse)
        self.pad_to_max_tokens = bool(pad_to_max_tokens)
        self.oov_method = oov_method
        self.salt = salt
        self._has_input_vocabulary = bool(has_input_vocabulary)
        self._tokens: list | None = None
        self._index: dict = {}
        self._idf: np.ndarray | None = None
        self._table_cache: dict = {}
        self._config_vocabulary: tuple[Any, Any] | None = None  # the constructor's vocabulary, as given
        self._reset_counts()
        self.built = True
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
            if self._has_input_vocabulary and not isinstance(vocabulary, str):
                self._config_vocabulary = (_listify(vocabulary), _listify(idf_weights))

    # ---- hooks of the token kinds ----------------------------------------------------------------
    def _standardize_token(self, token: Any) -> Any:
        raise NotImplementedError

    def _prepare(self, inputs: Any) -> Any:
        """The inputs as a NumPy object array of str (strings) or an int64 tensor (integers)."""
        raise NotImplementedError

    def _convert_inputs(self, inputs: Any) -> Any:
        return inputs  # ``call`` converts: strings cannot become tensors

    # ---- indices ---------------------------------------------------------------------------------
    def _oov_start_index(self) -> int:
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self) -> int:
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self) -> int:
        """The number of indices: the tokens plus the mask and OOV indices."""
        return len(self._tokens or ()) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        """The token of each index (the mask and OOV tokens first when ``include_special_tokens``)."""
        vocabulary = [self.oov_token] * self._token_start_index() + list(self._tokens or ())
        if self.mask_token is not None and self.output_mode == "int":
            vocabulary[0] = self.mask_token
        return vocabulary if include_special_tokens else vocabulary[self._token_start_index():]

    # ---- setting the vocabulary ------------------------------------------------------------------
    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        """Replace the vocabulary by ``vocabulary`` (a list, array, tensor, or the path of a text file
        with one token per line), which may start with the mask and OOV tokens in index order.
        ``idf_weights`` (same length) is needed exactly when ``output_mode="tf_idf"``."""
        owner = type(self).__name__
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(f"`{owner}.set_vocabulary` needs `idf_weights` with output_mode='tf_idf'.")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(f"`{owner}.set_vocabulary` argument `idf_weights` is used only with output_mode='tf_idf'; "
                             f"received output_mode={self.output_mode!r}.")
        if isinstance(vocabulary, str):
            if self.output_mode == "tf_idf":
                raise ValueError(f"`{owner}` cannot read a vocabulary file with output_mode='tf_idf'; pass the "
                                 "vocabulary and `idf_weights` as lists.")
            try:
                vocabulary = read_vocabulary_file(vocabulary, getattr(self, "encoding", "utf-8"))
            except OSError as error:
                raise ValueError(f"`{owner}` argument `vocabulary` names a file that cannot be read: {error}.") from None
            if not self._string_tokens:
                vocabulary = [int(line) for line in vocabulary]
        vocabulary = [self._standardize_token(t) for t in np.asarray(_listify(vocabulary), dtype=object).reshape(-1)]
        if not vocabulary:
            raise ValueError(f"`{owner}` cannot use an empty vocabulary; received vocabulary=[].")
        token_start = self._token_start_index()
        special = [self.mask_token] * self._oov_start_index() + [self.oov_token] * self.num_oov_indices
        found_special = bool(special) and vocabulary[:token_start] == special
        tokens = vocabulary[token_start:] if found_special else vocabulary
        repeated = [token for token, count in Counter(tokens).items() if count > 1]
        if repeated:
            raise ValueError(f"`{owner}` vocabulary must not repeat a token; repeated: {repeated}.")
        for kind, token, applies in (("mask", self.mask_token, True), ("OOV", self.oov_token, self.invert)):
            if applies and token is not None and token in tokens:
                raise ValueError(f"`{owner}` vocabulary holds the {kind} token {token!r} after its start; leave the "
                                 f"special tokens out, or put them first in this order: {special}.")
        if self.max_tokens is not None and token_start + len(tokens) > self.max_tokens:
            raise ValueError(f"`{owner}` vocabulary of size {token_start + len(tokens)} (with the mask and OOV "
                             f"indices) exceeds max_tokens={self.max_tokens}.")
        idf = None
        if idf_weights is not None:
            idf = np.asarray(_listify(idf_weights), dtype=np.float64)
            if idf.ndim != 1 or len(idf) != len(vocabulary):
                raise ValueError(f"`{owner}` argument `idf_weights` must be a 1-D list as long as the vocabulary "
                                 f"({len(vocabulary)}); received shape {idf.shape}.")
            if not found_special:  # the OOV (and mask) slots get the mean weight
                idf = np.concatenate([np.full(token_start, np.mean(idf)), idf])
            idf = self._pad_idf(idf.astype(np.float32))
        self._tokens = tokens
        self._index = {token: token_start + i for i, token in enumerate(tokens)}
        self._idf = idf
        self._table_cache = {}
        self._config_vocabulary = None

    def _pad_idf(self, idf: np.ndarray) -> np.ndarray:
        if self.pad_to_max_tokens and self.max_tokens is not None and len(idf) < self.max_tokens:
            idf = np.concatenate([idf, np.zeros(self.max_tokens - len(idf), dtype=idf.dtype)])
        return idf

    # ---- adapt -----------------------------------------------------------------------------------
    def _reset_counts(self) -> None:
        self._token_counts: Counter = Counter()
        self._document_counts: Counter = Counter()
        self._num_documents = 0

    def _update_counts(self, rows: list) -> None:
        """Count the tokens of ``rows`` (one flat list of tokens per document)."""
        for row in rows:
            self._token_counts.update(row)
            if self.output_mode == "tf_idf":
                self._document_counts.update(set(row))
        self._num_documents += len(rows)

    def _adapt_batches(self, data: Any, steps: int | None):
        """``(batch, from_iterator)`` pairs: an array, tensor, list or tuple is one batch."""
        owner = type(self).__name__
        if steps is not None:
            steps = non_negative_int(f"{owner}.adapt", "steps", steps)
        if isinstance(data, (np.ndarray, torch.Tensor, list, tuple, str, bytes)):
            yield data, False
            return
        if not hasattr(data, "__iter__"):
            raise TypeError(f"`{owner}.adapt` argument `data` must be an array, a tensor, a list or an iterable of "
                            f"batches; received data of type {type(data).__name__}.")
        for step, batch in enumerate(data):
            if steps is not None and step >= steps:
                break
            if isinstance(batch, tuple) and batch and not isinstance(batch[0], (str, bytes, int)):
                batch = batch[0]  # (x, y) pairs
            yield batch, True

    def adapt(self, data: Any, batch_size: int | None = None, steps: int | None = None) -> None:
        """Learn the vocabulary (and IDF weights) from ``data``: an array, tensor or list (each element
        along the first axis a document), or an iterable of batches, of which at most ``steps`` are
        read. ``batch_size`` is accepted for Keras compatibility; arrays are counted in one pass."""
        owner = type(self).__name__
        if batch_size is not None:
            non_negative_int(f"{owner}.adapt", "batch_size", batch_size)
        if self._has_input_vocabulary:
            raise ValueError(f"Layer '{self.name}' ({owner}) was given a `vocabulary` at construction and cannot be "
                             "adapted; create it without one to learn the vocabulary from data.")
        self._reset_counts()
        for batch, from_iterator in self._adapt_batches(data, steps):
            self._update_counts(self._adapt_rows(batch, from_iterator))
        self._finalize_counts()

    def _adapt_rows(self, batch: Any, from_iterator: bool) -> list:
        if (isinstance(batch, (list, tuple)) and batch and all(isinstance(r, (list, tuple)) for r in batch)
                and len({len(r) for r in batch}) > 1):  # ragged nested lists: one document per row
            return [self._prepare(list(row)).reshape(-1).tolist() for row in batch]
        return rows_of(self._prepare(batch), from_iterator)

    def _finalize_counts(self) -> None:
        counts = self._token_counts
        if not counts:
            self._reset_counts()
            return
        for special in (self.mask_token, self.oov_token):
            counts.pop(special, None)
        limit = None if self.max_tokens is None else self.max_tokens - self._token_start_index()
        tokens = ordered_vocabulary(counts, limit)
        self._tokens = tokens
        self._index = {token: self._token_start_index() + i for i, token in enumerate(tokens)}
        self._table_cache = {}
        self._config_vocabulary = None
        if self.output_mode == "tf_idf":
            frequency = np.asarray([self._document_counts[t] for t in tokens], dtype=np.float64)
            idf = np.log(1.0 + self._num_documents / (1.0 + frequency)).astype(np.float32)
            mean = np.float32(np.mean(idf)) if len(idf) else np.float32(0.0)
            self._idf = self._pad_idf(np.concatenate([np.full(self._token_start_index(), mean, np.float32), idf]))
        self._reset_counts()

    # ---- calling ---------------------------------------------------------------------------------
    def _depth(self) -> int:
        if self.pad_to_max_tokens:
            return self.max_tokens
        if self._tokens is None:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) has no vocabulary: with "
                             f"output_mode={self.output_mode!r} and pad_to_max_tokens=False, pass `vocabulary` or "
                             "call `adapt(data)` before calling it.")
        return self.vocabulary_size()

    def _oov_error(self, values: list) -> ValueError:
        return ValueError(f"Layer '{self.name}' ({type(self).__name__}) has num_oov_indices=0, so every input must be "
                          f"in the vocabulary; found {values[:10]}. Set num_oov_indices=1 to map unknown values to "
                          "an OOV index.")

    def _hash_oov(self, values: list) -> np.ndarray:
        """OOV indices of string values (as their UTF-8 bytes) by FarmHash, or SipHash with a salt."""
        data = [v.encode("utf-8") for v in values]
        return hash_to_bins(data, self.num_oov_indices, self.salt) + self._oov_start_index()

    def lookup_indices(self, inputs: Any) -> torch.Tensor:
        """The int64 index of every token of ``inputs`` (mask -> 0 in "int" mode, -1 otherwise)."""
        raise NotImplementedError

    def call(self, inputs):
        if self.invert:
            return self._invert(inputs)
        indices = self.lookup_indices(inputs)
        if self.output_mode == "int":
            return indices
        depth = self._depth()
        if indices.ndim > 2:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) accepts inputs of rank at most 2 with "
                             f"output_mode={self.output_mode!r}; received shape {tuple(indices.shape)}.")
        return self._encode(indices, depth)

    def _encode(self, indices: torch.Tensor, depth: int) -> torch.Tensor:
        """One-hot, multi-hot, count or TF-IDF vectors of ``indices`` (-1 entries are dropped)."""
        dtype = self._dtype_policy.torch_compute_dtype
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        out = encode_categorical(indices, mode, depth, dtype)
        if self.output_mode == "tf_idf":
            if self._idf is None:
                raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) has no IDF weights: with "
                                 "output_mode='tf_idf' call `adapt(data)` or `set_vocabulary(vocabulary, idf_weights)`.")
            out = out * torch.as_tensor(self._idf[:depth], dtype=dtype, device=out.device)
        return out.to_sparse() if self.sparse else out

    def _invert(self, inputs: Any) -> Any:
        raise NotImplementedError

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        return encoded_shape(input_shape, self.output_mode, self._depth())

    def compute_output_spec(self, inputs, *args, **kwargs):
        dtype = "int64" if self.output_mode == "int" else self.compute_dtype
        return KerasTensor(self.compute_output_shape(tuple(inputs.shape)), dtype=dtype)

    # ---- config ----------------------------------------------------------------------------------
    def _config_vocabulary_and_idf(self) -> tuple[Any, Any]:
        if self._config_vocabulary is not None:
            return self._config_vocabulary
        if self._tokens is None:
            return None, None
        if self.num_oov_indices and self.oov_token is None:
            start, vocabulary = self._token_start_index(), list(self._tokens)
        else:
            start, vocabulary = 0, self.get_vocabulary(include_special_tokens=True)
        idf = None
        if self._idf is not None:
            idf = [float(w) for w in self._idf[start:self.vocabulary_size()]]
        return vocabulary, idf

    def get_config(self) -> dict:
        vocabulary, idf = self._config_vocabulary_and_idf()
        config = {**super().get_config(), "invert": self.invert, "max_tokens": self.max_tokens,
                  "num_oov_indices": self.num_oov_indices, "oov_token": self.oov_token,
                  "mask_token": self.mask_token, "output_mode": self.output_mode, "sparse": self.sparse,
                  "pad_to_max_tokens": self.pad_to_max_tokens, "idf_weights": idf, "vocabulary": vocabulary,
                  "vocabulary_size": self.vocabulary_size() if self._tokens is not None else None,
                  "oov_method": self.oov_method, "salt": list(self.salt) if self.salt is not None else None}
        if vocabulary is not None and not self._has_input_vocabulary:
            config["has_input_vocabulary"] = False  # a learned vocabulary: the revived layer may adapt again
        return config
