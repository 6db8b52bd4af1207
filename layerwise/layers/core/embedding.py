"""``Embedding``: integer indices to dense vectors, a lookup in an ``(input_dim, output_dim)`` table."""

from __future__ import annotations

from typing import Any

import torch
import torch.nn.functional as F

from layerwise import constraints, initializers, regularizers
from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.utils.argument_validation import positive_int


@export("layerwise.layers.Embedding")
class Embedding(Layer):
    """Turns indices in ``[0, input_dim)`` into rows of the ``embeddings`` table.

    Args:
        input_dim: the size of the vocabulary (largest index + 1).
        output_dim: the size of each embedding vector.
        embeddings_initializer: initializer of the table (Keras's ``"uniform"``: U(-0.05, 0.05)).
        embeddings_regularizer, activity_regularizer: penalties.
        embeddings_constraint: projection of the table after each optimizer step.
        mask_zero: index 0 is padding: the output carries a mask ``inputs != 0`` that recurrent
            layers, losses and metrics downstream skip (so index 0 cannot be a real token and
            ``input_dim`` should count it).
        input_length: Keras 2's sequence length; accepted and ignored, as in Keras 3 (give the
            model an ``Input(shape=(length,))`` instead).

    Weights:
        ``embeddings``: ``(input_dim, output_dim)``.

    Input shape:
        ``(batch, ...)`` integers (floats are truncated to integers).
    Output shape:
        ``(batch, ..., output_dim)``.

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.Embedding(10, 4, mask_zero=True)
        >>> y = layer(torch.tensor([[3, 1, 0]]))
        >>> tuple(y.shape), y._keras_mask.tolist()
        ((1, 3, 4), [[True, True, False]])
    """

    def __init__(self, input_dim: int, output_dim: int, embeddings_initializer: Any = "uniform",
                 embeddings_regularizer: Any = None, embeddings_constraint: Any = None, mask_zero: bool = False,
                 **kwargs):
        kwargs.pop("input_length", None)
        kwargs.pop("lora_rank", None)
        kwargs.pop("lora_alpha", None)
        kwargs.pop("quantization_config", None)
        weights = kwargs.pop("weights", None)
        input_dim = positive_int("Embedding", "input_dim", input_dim)
        output_dim = positive_int("Embedding", "output_dim", output_dim)
        if weights is not None and not (isinstance(weights, list) and len(weights) == 1):
            weights = [weights]
        super().__init__(weights=weights, **kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = bool(mask_zero)
        self.supports_masking = self.mask_zero
        self.autocast = False
        if weights is not None:
            self._build_with_shapes(None)

    def build(self, input_shape: Any = None) -> None:
        self.embeddings = self.add_weight(shape=(self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint, name="embeddings")

    def call(self, inputs):
        if inputs.dtype not in (torch.int64, torch.int32):
            inputs = inputs.to(torch.int64)
        table = self.embeddings
        compute = self.dtype_policy.torch_compute_dtype
        if table.dtype != compute:
            table = table.to(compute)
        return F.embedding(inputs, table)

    def compute_mask(self, inputs: Any, previous_mask: Any = None) -> Any:
        if not self.mask_zero:
            return None
        return inputs != 0

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(self.embeddings_initializer),
            "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
        }
