"""``Discretization``: bucket continuous values by boundaries, given or adapted from quantiles.

``adapt`` keeps Keras's streaming quantile summary: each batch is summarized by every
``step``-th sorted value (``step = max(n * epsilon, 1)``) weighted by ``step``; summaries are merged
by sorting and re-sampled at the cumulative-weight percentiles ``epsilon, 2 epsilon, ...`` by linear
interpolation, and the boundaries are the summary re-sampled at ``1/num_bins, 2/num_bins, ...``
(without the last). With ``epsilon`` small relative to the data these are the data's quantiles.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
import torch

from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.layers.preprocessing.encoding_utils import ENCODINGS, encode_categorical, encoded_shape
from layerwise.layers.preprocessing.preprocessing_utils import adapt_batches, to_numpy
from layerwise.utils.argument_validation import number_in_range, one_of


def _summarize(values: np.ndarray, epsilon: float) -> np.ndarray:
    values = np.sort(values.reshape(-1))
    step = max(values.size * epsilon, 1)
    picked = values[int(step - 1)::int(step)]
    return np.stack([picked, np.full_like(picked, step)])


def _compress(summary: np.ndarray, epsilon: float) -> np.ndarray:
    if summary.shape[1] * epsilon < 1:
        return summary
    percents = np.arange(0.0, 1.0, epsilon) + epsilon
    cumulative = np.cumsum(summary[1])
    fractions = cumulative / cumulative[-1]
    values = np.interp(percents, fractions, summary[0])
    cumulative = np.interp(percents, fractions, cumulative)
    weights = np.diff(cumulative, prepend=0.0)
    return np.stack([values, weights]).astype("float32")


@export("layerwise.layers.Discretization")
class Discretization(Layer):
    """Maps each value to the index of its bucket: bucket ``i`` holds
    ``bin_boundaries[i - 1] <= x < bin_boundaries[i]`` (``len(bin_boundaries) + 1`` buckets).

    Args:
        bin_boundaries: sorted boundaries; or leave ``None`` and give ``num_bins`` and call
            :meth:`adapt` to place them at the data's quantiles.
        num_bins: the number of buckets ``adapt`` creates.
        epsilon: the error tolerance of the quantile summary (smaller: more exact, more memory).
        output_mode: ``"int"`` (bucket indices, int32) or ``"one_hot"``, ``"multi_hot"``,
            ``"count"`` (float vectors of size ``len(bin_boundaries) + 1``).
        sparse: return a torch sparse tensor (not with ``"int"``).

    Example:
        >>> import torch, layerwise as keras
        >>> layer = keras.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
        >>> layer(torch.tensor([[-1.5, 1.0, 0.5, 9.0]])).tolist()
        [[0, 2, 1, 3]]
    """

    def __init__(self, bin_boundaries: Any = None, num_bins: int | None = None, epsilon: float = 0.01,
                 output_mode: str = "int", sparse: bool = False, **kwargs):
        owner = type(self).__name__
        output_mode = one_of(owner, "output_mode", output_mode, ("int",) + ENCODINGS)
        if sparse and output_mode == "int":
            raise ValueError(f"`{owner}` argument `sparse` can be True only with output_mode 'one_hot', "
                             f"'multi_hot' or 'count'; received sparse=True, output_mode='int'.")
        if num_bins is not None and (isinstance(num_bins, bool) or not isinstance(num_bins, numbers.Integral)
                                     or num_bins < 0):
            raise ValueError(f"`{owner}` argument `num_bins` must be None or a non-negative integer; "
                             f"received num_bins={num_bins!r}.")
        if (num_bins is None) == (bin_boundaries is None):
            raise ValueError(f"`{owner}` needs exactly one of `bin_boundaries` and `num_bins`; received "
                             f"bin_boundaries={bin_boundaries!r}, num_bins={num_bins!r}.")
        if bin_boundaries is not None:
            bin_boundaries = [float(b) for b in np.asarray(bin_boundaries, dtype=np.float64).reshape(-1)]
            if any(b > a for b, a in zip(bin_boundaries, bin_boundaries[1:])):
                raise ValueError(f"`{owner}` argument `bin_boundaries` must be sorted; received "
                                 f"bin_boundaries={bin_boundaries}.")
        epsilon = number_in_range(owner, "epsilon", epsilon, 0, 1, low_inclusive=False)
        kwargs.pop("input_dtype", None)
        super().__init__(**kwargs)
        self.bin_boundaries = bin_boundaries
        self.num_bins = None if num_bins is None else int(num_bins)
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = bool(sparse)
        self.summary = np.zeros((2, 0), dtype="float32")
        self.built = True

    def adapt(self, data: Any) -> None:
        """Place ``num_bins - 1`` boundaries at the quantiles of ``data`` (an array, a tensor or an
        iterable of batches)."""
        owner = type(self).__name__
        if self.num_bins is None:
            raise ValueError(f"Layer '{self.name}' ({owner}) was given `bin_boundaries`; create it with `num_bins` "
                             "to adapt it.")
        _, batches = adapt_batches(owner, data)
        summary = np.zeros((2, 0), dtype="float32")
        for batch in batches:
            values = to_numpy(batch).astype("float32")
            merged = np.concatenate([_summarize(values, self.epsilon), summary], axis=1)
            summary = _compress(merged[:, np.argsort(merged[0])], self.epsilon)
        if summary.shape[1] == 0:
            raise ValueError(f"`{owner}.adapt` argument `data` must hold at least one value; received no values.")
        self.summary = summary
        self.bin_boundaries = _compress(summary, 1.0 / self.num_bins)[0, :-1].tolist()

    @property
    def _depth(self) -> int:
        return len(self.bin_boundaries) + 1 if self.bin_boundaries is not None else self.num_bins

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) has no bin boundaries: pass "
                             "`bin_boundaries` or call `adapt(data)` before using it.")
        values = inputs if inputs.is_floating_point() else inputs.to(torch.float64)
        boundaries = torch.as_tensor(self.bin_boundaries, dtype=values.dtype, device=values.device)
        indices = torch.bucketize(values, boundaries, right=True)
        if self.output_mode == "int":
            return indices.to(torch.int32)
        if indices.ndim > 2:
            raise ValueError(f"Layer '{self.name}' ({type(self).__name__}) accepts inputs of rank at most 2 with "
                             f"output_mode={self.output_mode!r}; received shape {tuple(inputs.shape)}.")
        out = encode_categorical(indices, self.output_mode, self._depth, self._dtype_policy.torch_compute_dtype)
        return out.to_sparse() if self.sparse else out

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        return encoded_shape(input_shape, self.output_mode, self._depth)

    def get_config(self) -> dict:
        return {**super().get_config(), "bin_boundaries": self.bin_boundaries, "num_bins": self.num_bins,
                "epsilon": self.epsilon, "output_mode": self.output_mode, "sparse": self.sparse}

    @classmethod
    def from_config(cls, config: dict) -> Discretization:
        config = dict(config)
        boundaries = config.pop("bin_boundaries", None)
        if config.get("num_bins") is None:
            return cls(bin_boundaries=boundaries, **config)
        layer = cls(**config)
        layer.bin_boundaries = boundaries
        return layer
