"""``Hashing``: strings or integers to a fixed number of bins by a stable hash.

The bins are Keras's, exactly: a value is turned into text (integers by their decimal digits,
floats after truncation to an integer), hashed with FarmHash's 64-bit fingerprint (or SipHash-2-4
keyed by ``salt``), and the bin is the hash modulo the number of bins; see :mod:`hash_utils`.
Hashing runs in Python on the CPU, one hash per distinct value of a batch.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from layerwise.api_export import export
from layerwise.graph.keras_tensor import KerasTensor
from layerwise.layers.layer import Layer
from layerwise.layers.preprocessing.encoding_utils import ENCODINGS, encode_categorical, encoded_shape
from layerwise.layers.preprocessing.hash_utils import hash_to_bins
from layerwise.layers.preprocessing.lookup_utils import check_salt, to_string_array
from layerwise.utils.argument_validation import one_of, positive_int


@export("layerwise.layers.Hashing")
class Hashing(Layer):
    """Hashes each string or integer into one of ``num_bins`` bins (a stable, vocabulary-free lookup).

    Args:
        num_bins: the number of bins, the mask bin included.
        mask_value: a value sent to bin 0; the others then go to bins ``1 .. num_bins - 1``.
        salt: ``None`` (FarmHash fingerprint), or an integer or a pair of integers that key SipHash.
        output_mode: ``"int"`` (bin indices), ``"one_hot"``, ``"multi_hot"`` or ``"count"``
            (float vectors of size ``num_bins``).
        sparse: return a torch sparse COO tensor (not with ``"int"``).
        dtype: the output dtype; ``"int64"`` (default) or ``"int32"`` in ``"int"`` mode.

    Call arguments:
        inputs: strings (a ``str``, a list or a NumPy array of str/bytes) or numbers (a tensor, an
            array or a list; floats are truncated to integers first).

    Output: bin indices of the input's shape, or ``(..., num_bins)`` vectors.

    Example:
        >>> import layerwise as keras
        >>> keras.layers.Hashing(num_bins=3)([["A"], ["B"], ["C"], ["D"], ["E"]]).tolist()
        [[1], [0], [1], [1], [2]]
        >>> keras.layers.Hashing(num_bins=3, mask_value="")([["A"], [""], ["E"]]).tolist()
        [[1], [0], [1]]
    """

    def __init__(self, num_bins: int, mask_value: Any = None, salt: Any = None, output_mode: str = "int",
                 sparse: bool = False, **kwargs):
        owner = type(self).__name__
        num_bins = positive_int(owner, "num_bins", num_bins)
        output_mode = one_of(owner, "output_mode", output_mode, ("int",) + ENCODINGS)
        if sparse and output_mode == "int":
            raise ValueError(f"`{owner}` argument `sparse` can be True only with output_mode 'one_hot', "
                             "'multi_hot' or 'count'; received sparse=True, output_mode='int'.")
        salt = check_salt(owner, salt)
        if mask_value is not None and not isinstance(mask_value, (str, bytes, int, float, np.generic)):
            raise ValueError(f"`{owner}` argument `mask_value` must be None, a string or a number; received "
                             f"mask_value={mask_value!r}.")
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else None
        super().__init__(**kwargs)
        if output_mode == "int" and self.compute_dtype not in ("int32", "int64"):
            raise ValueError(f"`{owner}` argument `dtype` must be 'int32' or 'int64' with output_mode='int'; "
                             f"received dtype={self.compute_dtype!r}.")
        self.num_bins = num_bins
        self.mask_value = mask_value.decode() if isinstance(mask_value, bytes) else mask_value
        self.salt = salt
        self.output_mode = output_mode
        self.sparse = bool(sparse)
        self.built = True

    def _convert_inputs(self, inputs: Any) -> Any:
        return inputs  # strings cannot become tensors; ``call`` converts

    def _texts(self, inputs: Any) -> tuple[np.ndarray, np.ndarray]:
        """The text of every value, and where the value equals ``mask_value``."""
        owner = type(self).__name__
        if not isinstance(inputs, torch.Tensor):
            array = np.asarray(inputs) if not isinstance(inputs, (str, bytes)) else None
            if array is None or array.dtype.kind in "USO":
                strings = to_string_array(owner, inputs)
                mask = strings == self.mask_value if isinstance(self.mask_value, str) else np.zeros(strings.shape, bool)
                return strings, np.asarray(mask, dtype=bool)
            inputs = torch.as_tensor(array)
        if inputs.is_complex() or inputs.dtype == torch.bool:
            raise TypeError(f"Layer '{self.name}' ({owner}) expects strings or numbers; received a tensor of dtype "
                            f"{inputs.dtype}.")
        values = inputs.detach().cpu()
        if isinstance(self.mask_value, (int, float, np.generic)) and not isinstance(self.mask_value, bool):
            mask = (values == self.mask_value).numpy()
        else:
            mask = np.zeros(tuple(values.shape), bool)
        integers = values.to(torch.int64).numpy()  # floats are truncated, as Keras casts them
        strings = np.asarray([str(v) for v in integers.reshape(-1).tolist()], dtype=object).reshape(integers.shape)
        return strings, mask

    def hash_bins(self, inputs: Any) -> torch.Tensor:
        """The int64 bin of each value of ``inputs``.

        Example:
            >>> import torch, layerwise as keras
            >>> keras.layers.Hashing(num_bins=4).hash_bins(torch.tensor([1, 2])).tolist()
            [1, 3]
        """
        strings, mask = self._texts(inputs)
        use_mask = self.mask_value is not None and self.num_bins > 1
        hash_bins = self.num_bins - 1 if use_mask else self.num_bins
        flat = [s.encode("utf-8") for s in strings.reshape(-1).tolist()]
        bins = hash_to_bins(flat, hash_bins, self.salt).reshape(strings.shape)
        if use_mask:
            bins = np.where(mask, 0, bins + 1)
        device = inputs.device if isinstance(inputs, torch.Tensor) else None
        return torch.as_tensor(bins, dtype=torch.int64, device=device)

    def call(self, inputs):
        bins = self.hash_bins(inputs)
        if self.output_mode == "int":
            return bins.to(self._dtype_policy.torch_compute_dtype)
        if bins.ndim > 2:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) accepts inputs of rank at most 2 with "
                             f"output_mode={self.output_mode!r}; received shape {tuple(bins.shape)}.")
        out = encode_categorical(bins, self.output_mode, self.num_bins, self._dtype_policy.torch_compute_dtype)
        return out.to_sparse() if self.sparse else out

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        return encoded_shape(input_shape, self.output_mode, self.num_bins)

    def compute_output_spec(self, inputs, *args, **kwargs):
        return KerasTensor(self.compute_output_shape(tuple(inputs.shape)), dtype=self.compute_dtype)

    def get_config(self) -> dict:
        return {**super().get_config(), "num_bins": self.num_bins,
                "salt": list(self.salt) if self.salt is not None else None, "mask_value": self.mask_value,
                "output_mode": self.output_mode, "sparse": self.sparse}
