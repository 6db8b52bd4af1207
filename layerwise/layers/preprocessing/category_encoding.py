"""``CategoryEncoding``: integer category ids as one-hot, multi-hot or count vectors."""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.layers.preprocessing.encoding_utils import ENCODINGS, encode_categorical, encoded_shape
from layerwise.utils.argument_validation import one_of, positive_int


@export("layerwise.layers.CategoryEncoding")
class CategoryEncoding(Layer):
    """Encodes integer ids in ``[0, num_tokens)`` as dense vectors of size ``num_tokens``.

    Inputs have rank 0, 1 or 2. ``"one_hot"`` adds an axis (or replaces a last axis of size 1);
    ``"multi_hot"`` marks every id present along the last axis; ``"count"`` counts them (weighted
    by ``count_weights`` when given). Ids outside the range are ignored.

    Args:
        num_tokens: the number of categories.
        output_mode: ``"multi_hot"`` (default), ``"one_hot"`` or ``"count"`` (``"binary"`` is an
            alias of ``"multi_hot"``).
        sparse: return a torch sparse COO tensor.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.CategoryEncoding(4)(torch.tensor([[0, 1], [3, 3]])).tolist()
        [[1.0, 1.0, 0.0, 0.0], [0.0, 0.0, 0.0, 1.0]]
        >>> keras.layers.CategoryEncoding(3, output_mode="one_hot")(torch.tensor([2, 0])).tolist()
        [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    """

    def __init__(self, num_tokens: int | None = None, output_mode: str = "multi_hot", sparse: bool = False,
                 **kwargs):
        owner = type(self).__name__
        if output_mode == "binary":
            output_mode = "multi_hot"
        output_mode = one_of(owner, "output_mode", output_mode, ENCODINGS)
        if num_tokens is None:
            raise ValueError(f"`{owner}` argument `num_tokens` must be a positive integer (use IntegerLookup when the "
                             "number of categories is not known); received num_tokens=None.")
        num_tokens = positive_int(owner, "num_tokens", num_tokens)
        super().__init__(**kwargs)
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = bool(sparse)
        self.built = True

    def call(self, inputs, count_weights: Any = None):
        if inputs.is_floating_point() or inputs.is_complex():
            raise TypeError(f"Layer '{self.name}' ({type(self).__name__}) expects integer ids; received a tensor of "
                            f"dtype {inputs.dtype}.")
        if inputs.ndim > 2:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) accepts inputs of rank 0, 1 or 2; "
                             f"received an input of shape {tuple(inputs.shape)}.")
        if count_weights is not None and self.output_mode != "count":
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) uses `count_weights` only with "
                             f"output_mode='count'; received output_mode={self.output_mode!r}.")
        out = encode_categorical(inputs, self.output_mode, self.num_tokens, self._dtype_policy.torch_compute_dtype,
                                 count_weights)
        return out.to_sparse() if self.sparse else out

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_tokens)

    def get_config(self) -> dict:
        return {**super().get_config(), "num_tokens": self.num_tokens, "output_mode": self.output_mode,
                "sparse": self.sparse}
