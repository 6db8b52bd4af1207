"""``TextVectorization``: raw text to token indices or bag-of-words vectors.

The pipeline is Keras's: standardize (ASCII lower-casing, as TensorFlow's ``strings.lower`` does,
and removal of ASCII punctuation), split (on ASCII whitespace runs, or into Unicode characters),
n-grams joined by a space (all 1-grams, then all 2-grams... of each text), then a
``StringLookup`` whose mask token ``""`` is the padding index 0 and whose index 1 is OOV.

PyTorch has no ragged tensors, so ``ragged=True`` is refused: the ``"int"`` output is padded with
0 to the longest text of the batch (or to ``output_sequence_length``), which ``Embedding(...,
mask_zero=True)`` masks. Raw strings cannot enter a symbolic ``Input`` (there is no string dtype);
call the layer on the texts (a list or NumPy array) and feed its tensor to the model.
"""

from __future__ import annotations

import re
import string
from typing import Any

import numpy as np
import torch

from layerwise.api_export import export
from layerwise.graph.keras_tensor import KerasTensor
from layerwise.layers.layer import Layer
from layerwise.layers.preprocessing.encoding_utils import encoded_shape
from layerwise.layers.preprocessing.index_lookup import OUTPUT_MODES
from layerwise.layers.preprocessing.lookup_utils import check_encoding, rows_of, to_string_array
from layerwise.layers.preprocessing.string_lookup import StringLookup
from layerwise.saving.serialization_lib import deserialize_keras_object, serialize_keras_object
from layerwise.utils.argument_validation import one_of

STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
SPLIT = ("whitespace", "character")
_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_NO_PUNCTUATION = str.maketrans("", "", string.punctuation)
_WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")


def _map_strings(function, strings: np.ndarray) -> np.ndarray:
    if not strings.size:
        return strings
    result = np.frompyfunc(function, 1, 1)(strings)
    if strings.ndim == 0:  # frompyfunc returns a bare str for a 0-d array
        scalar = np.empty((), dtype=object)
        scalar[()] = result
        return scalar
    return result


def _ngrams(tokens: list, widths: tuple | None) -> list:
    if widths is None:
        return tokens
    return [" ".join(tokens[i:i + w]) for w in widths for i in range(len(tokens) - w + 1)]


@export("layerwise.layers.TextVectorization")
class TextVectorization(Layer):
    """Turns texts into sequences of token indices (``"int"``) or into bag-of-words vectors.

    Args:
        max_tokens: the largest vocabulary, padding and OOV indices included.
        standardize: ``"lower_and_strip_punctuation"`` (default), ``"lower"``, ``"strip_punctuation"``,
            ``None``, or a callable taking and returning a NumPy array of str.
        split: ``"whitespace"`` (default), ``"character"``, ``None`` (each input is one token), or a
            callable taking a 1-D NumPy array of str and returning one list of tokens per text.
        ngrams: ``None``, an integer ``n`` (all 1- to n-grams) or a tuple of n-gram widths.
        output_mode: ``"int"``, ``"multi_hot"``, ``"count"``, ``"tf_idf"``, or ``"one_hot"``
            (with ``split=None`` only, as in Keras).
        output_sequence_length: pad or truncate ``"int"`` outputs to this length.
        pad_to_max_tokens: make the vectors ``max_tokens`` long.
        vocabulary: a list or array of tokens, or the path of a text file with one per line.
        idf_weights: the inverse document frequencies of the vocabulary (``"tf_idf"`` mode only).
        ragged: must be False (torch has no ragged tensors).
        sparse: return a torch sparse COO tensor (not with ``"int"``).
        encoding: the text encoding of bytes inputs and vocabulary files.

    Call arguments:
        inputs: texts: a list, or a NumPy array of shape ``(batch,)`` or ``(batch, 1)``.

    Output: int64 ``(batch, sequence_length)`` with 0 for padding; or float ``(batch, vocabulary)``
    vectors (Keras's torch backend gives int64 counts; floats here, as Keras's output spec says).

    Example:
        >>> import layerwise as keras
        >>> layer = keras.layers.TextVectorization(vocabulary=["earth", "wind", "and", "fire"])
        >>> layer(["Earth wind, and FIRE!", "fire  water"]).tolist()
        [[2, 3, 4, 5], [5, 1, 0, 0]]
        >>> layer.get_vocabulary()
        ['', '[UNK]', 'earth', 'wind', 'and', 'fire']
    """

    def __init__(self, max_tokens: int | None = None, standardize: Any = "lower_and_strip_punctuation",
                 split: Any = "whitespace", ngrams: Any = None, output_mode: str = "int",
                 output_sequence_length: int | None = None, pad_to_max_tokens: bool = False, vocabulary: Any = None,
                 idf_weights: Any = None, sparse: bool = False, ragged: bool = False, encoding: str = "utf-8",
                 **kwargs):
        owner = type(self).__name__
        if not (standardize is None or callable(standardize)):
            standardize = one_of(owner, "standardize", standardize, STANDARDIZE)
        if not (split is None or callable(split)):
            split = one_of(owner, "split", split, SPLIT)
        if isinstance(ngrams, list):
            ngrams = tuple(ngrams)
        if not (ngrams is None or (isinstance(ngrams, int) and not isinstance(ngrams, bool) and ngrams > 0)
                or (isinstance(ngrams, tuple) and ngrams
                    and all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in ngrams))):
            raise ValueError(f"`{owner}` argument `ngrams` must be None, a positive integer or a tuple of positive "
                             f"integers; received ngrams={ngrams!r}.")
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        output_mode = one_of(owner, "output_mode", output_mode, OUTPUT_MODES)
        if output_mode == "one_hot" and split is not None:
            raise ValueError(f"`{owner}` argument `output_mode` can be 'one_hot' only with split=None (each text one "
                             f"token); received split={split!r}. Use 'multi_hot' or 'count' for split texts.")
        if output_sequence_length is not None:
            if output_mode != "int":
                raise ValueError(f"`{owner}` argument `output_sequence_length` is used only with output_mode='int'; "
                                 f"received output_mode={output_mode!r}.")
            if isinstance(output_sequence_length, bool) or not isinstance(output_sequence_length, int) \
                    or output_sequence_length < 1:
                raise ValueError(f"`{owner}` argument `output_sequence_length` must be None or a positive integer; "
                                 f"received output_sequence_length={output_sequence_length!r}.")
        if ragged:
            raise ValueError(f"`{owner}` argument `ragged` must be False: torch has no ragged tensors. The 'int' "
                             "output is padded with 0 instead (use `output_sequence_length` for a fixed length, and "
                             "`Embedding(..., mask_zero=True)` to mask the padding); received ragged=True.")
        encoding = check_encoding(owner, encoding)
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        kwargs.pop("vocabulary_size", None)
        super().__init__(**kwargs)
        self.max_tokens = max_tokens
        self.standardize = standardize
        self.split = split
        self.ngrams = ngrams
        self.output_mode = output_mode
        self.output_sequence_length = output_sequence_length
        self.pad_to_max_tokens = bool(pad_to_max_tokens)
        self.sparse = bool(sparse)
        self.ragged = False
        self.encoding = encoding
        self._ngram_widths = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._lookup_layer = StringLookup(max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights,
                                          pad_to_max_tokens=pad_to_max_tokens, mask_token="", output_mode=output_mode,
                                          sparse=sparse, encoding=encoding, has_input_vocabulary=has_input_vocabulary,
                                          dtype=self._dtype_policy, name=f"{self.name}_lookup")
        self.built = True

    def _convert_inputs(self, inputs: Any) -> Any:
        return inputs  # strings cannot become tensors; ``call`` converts

    # ---- the vocabulary (held by the inner StringLookup) -------------------------------------------
    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        """The token of each index (padding ``""`` and OOV ``"[UNK]"`` first when asked)."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        """Replace the vocabulary (and IDF weights, needed with ``"tf_idf"``); see ``StringLookup``."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    def vocabulary_size(self) -> int:
        """The number of indices, padding and OOV included."""
        return self._lookup_layer.vocabulary_size()

    # ---- text processing -------------------------------------------------------------------------
    def _standardize(self, strings: np.ndarray) -> np.ndarray:
        if callable(self.standardize):
            result = self.standardize(strings.astype(str))
            return to_string_array(type(self).__name__, result, self.encoding)
        if self.standardize in ("lower", "lower_and_strip_punctuation"):
            strings = _map_strings(lambda s: s.translate(_LOWER), strings)
        if self.standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
            strings = _map_strings(lambda s: s.translate(_NO_PUNCTUATION), strings)
        return strings

    def _split(self, strings: np.ndarray) -> list:
        if strings.ndim > 1:
            if strings.shape[-1] != 1 or strings.ndim > 2:
                raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) splits texts of shape (batch,) or "
                                 f"(batch, 1); received shape {strings.shape}.")
            strings = strings[:, 0]
        if self.split == "whitespace":
            return [[t for t in _WHITESPACE.split(s) if t] for s in strings.tolist()]
        if self.split == "character":
            return [list(s) for s in strings.tolist()]
        result = self.split(strings.astype(str))
        return [[str(t) for t in row] for row in result]

    def _preprocess(self, inputs: Any) -> tuple[Any, bool]:
        """``(tokens, is_list)``: one list of tokens per text, or (``split=None``, no n-grams) the array."""
        strings = self._standardize(to_string_array(type(self).__name__, inputs, self.encoding))
        if self.split is None:
            if self._ngram_widths is None or strings.ndim == 0:
                return strings, False
            return [_ngrams(row.tolist(), self._ngram_widths) for row in strings.reshape(-1, strings.shape[-1])], True
        scalar = strings.ndim == 0
        docs = [_ngrams(tokens, self._ngram_widths) for tokens in self._split(strings.reshape(1) if scalar else strings)]
        return (docs[0] if scalar else docs), not scalar

    def adapt(self, data: Any, batch_size: int | None = None, steps: int | None = None) -> None:
        """Learn the vocabulary (and IDF weights) from texts: a list or array (one text per element),
        or an iterable of batches, of which at most ``steps`` are read. ``batch_size`` is accepted for
        Keras compatibility; arrays are processed in one pass."""
        lookup = self._lookup_layer
        if lookup._has_input_vocabulary:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) was given a `vocabulary` at construction "
                             "and cannot be adapted; create it without one to learn the vocabulary from data.")
        lookup._reset_counts()
        for batch, from_iterator in lookup._adapt_batches(data, steps):
            strings = to_string_array(type(self).__name__, batch, self.encoding)
            if not from_iterator and strings.ndim == 1:
                strings = strings[:, None]  # a whole array: each element is a document
            tokens, is_list = self._preprocess(strings)
            if is_list:
                lookup._update_counts(tokens)
            elif isinstance(tokens, list):  # a scalar text, split
                lookup._update_counts([tokens])
            else:
                lookup._update_counts(rows_of(tokens, from_iterator))
        lookup._finalize_counts()

    def call(self, inputs):
        tokens, is_list = self._preprocess(inputs)
        lookup = self._lookup_layer
        if not is_list:
            if isinstance(tokens, list):  # one scalar text, split: a 1-D sequence
                tokens = np.asarray(tokens, dtype=object).reshape(len(tokens))
            return self._fit_length(lookup(tokens)) if self.output_mode == "int" else lookup(tokens)
        lengths = [len(doc) for doc in tokens]
        flat = np.asarray([t for doc in tokens for t in doc], dtype=object).reshape(-1)
        indices = lookup.lookup_indices(flat) if flat.size else torch.zeros(0, dtype=torch.int64)
        width = max(lengths, default=0)
        if self.output_mode == "int" and self.output_sequence_length is not None:
            width = self.output_sequence_length
        pad = 0 if self.output_mode == "int" else -1
        padded = torch.full((len(tokens), width), pad, dtype=torch.int64)
        rows = torch.repeat_interleave(torch.arange(len(tokens)), torch.as_tensor(lengths, dtype=torch.int64))
        columns = torch.cat([torch.arange(n) for n in lengths]) if lengths else torch.zeros(0, dtype=torch.int64)
        keep = columns < width  # truncation to output_sequence_length
        padded[rows[keep], columns[keep]] = indices[keep]
        if self.output_mode == "int":
            return padded
        return lookup._encode(padded, lookup._depth())

    def _fit_length(self, indices: torch.Tensor) -> torch.Tensor:
        """Truncate or zero-pad the last axis to ``output_sequence_length`` (``split=None``)."""
        length = self.output_sequence_length
        if length is None or indices.ndim == 0:
            return indices
        indices = indices[..., :length]
        return torch.nn.functional.pad(indices, (0, length - indices.shape[-1]))

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self.output_mode == "int":
            if self.split is None and self._ngram_widths is None:
                return input_shape if self.output_sequence_length is None else input_shape[:-1] + (
                    self.output_sequence_length,)
            return input_shape[:1] + (self.output_sequence_length,)
        depth = self._lookup_layer._depth()
        if self.split is None and self._ngram_widths is None:
            return encoded_shape(input_shape, self.output_mode, depth)
        return input_shape[:1] + (depth,)

    def compute_output_spec(self, inputs, *args, **kwargs):
        dtype = "int64" if self.output_mode == "int" else self.compute_dtype
        return KerasTensor(self.compute_output_shape(tuple(inputs.shape)), dtype=dtype)

    # ---- config ----------------------------------------------------------------------------------
    def get_config(self) -> dict:
        vocabulary, idf = self._lookup_layer._config_vocabulary_and_idf()
        config = {**super().get_config(), "max_tokens": self.max_tokens,
                  "standardize": self.standardize if not callable(self.standardize)
                  else serialize_keras_object(self.standardize),
                  "split": self.split if not callable(self.split) else serialize_keras_object(self.split),
                  "ngrams": self.ngrams, "output_mode": self.output_mode,
                  "output_sequence_length": self.output_sequence_length, "pad_to_max_tokens": self.pad_to_max_tokens,
                  "sparse": self.sparse, "ragged": self.ragged, "vocabulary": vocabulary, "idf_weights": idf,
                  "encoding": self.encoding, "vocabulary_size": self.vocabulary_size()}
        if vocabulary is not None and not self._lookup_layer._has_input_vocabulary:
            config["has_input_vocabulary"] = False  # a learned vocabulary: the revived layer may adapt again
        return config

    @classmethod
    def from_config(cls, config: dict) -> TextVectorization:
        config = dict(config)
        for key in ("standardize", "split"):
            if isinstance(config.get(key), dict):
                config[key] = deserialize_keras_object(config[key])
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        return cls(**config)
