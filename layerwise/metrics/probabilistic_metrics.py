"""Probabilistic metrics: running means of the cross-entropies, KL divergence and Poisson loss.

The formulas are the losses' (:mod:`layerwise.losses.probabilistic`, :mod:`layerwise.losses.divergence`),
so probabilities of exactly 0 or 1 stay finite. Values match Keras 3's metrics of the same names.
"""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.losses.divergence import kl_divergence, poisson
from layerwise.losses.probabilistic import (
    binary_crossentropy,
    categorical_crossentropy,
    check_crossentropy_args,
    sparse_categorical_crossentropy,
)
from layerwise.metrics.reduction_metrics import MeanMetricWrapper


@export("layerwise.metrics.KLDivergence")
class KLDivergence(MeanMetricWrapper):
    """The mean Kullback-Leibler divergence ``KL(y_true || y_pred)`` over all samples seen.

    Args:
        name: the name in logs (default ``"kl_divergence"``).
        dtype: dtype of the state (default floatx).

    Example:
        >>> m = KLDivergence()
        >>> m.update_state([[0.5, 0.5]], [[0.25, 0.75]]); round(float(m.result()), 4)
        0.1438
    """

    def __init__(self, name: str = "kl_divergence", dtype: Any = None):
        super().__init__(kl_divergence, name=name, dtype=dtype)
        self._direction = "down"


@export("layerwise.metrics.Poisson")
class Poisson(MeanMetricWrapper):
    """The mean Poisson loss ``y_pred - y_true * log(y_pred)`` over all samples seen.

    Example:
        >>> m = Poisson()
        >>> m.update_state([[1.0], [0.0]], [[1.0], [2.0]]); round(float(m.result()), 4)
        1.5
    """

    def __init__(self, name: str = "poisson", dtype: Any = None):
        super().__init__(poisson, name=name, dtype=dtype)
        self._direction = "down"


@export("layerwise.metrics.BinaryCrossentropy")
class BinaryCrossentropy(MeanMetricWrapper):
    """The mean binary cross-entropy over all samples seen.

    Args:
        name: the name in logs.
        dtype: dtype of the state (default floatx).
        from_logits: ``y_pred`` are logits rather than probabilities.
        label_smoothing: move labels towards 0.5 by this amount, in [0, 1].

    Example:
        >>> m = BinaryCrossentropy()
        >>> m.update_state([[0.0], [1.0]], [[0.1], [0.9]]); round(float(m.result()), 4)
        0.1054
    """

    def __init__(self, name: str = "binary_crossentropy", dtype: Any = None, from_logits: bool = False,
                 label_smoothing: float = 0):
        check_crossentropy_args(type(self).__name__, from_logits, label_smoothing, -1)
        super().__init__(binary_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self._direction = "down"


@export("layerwise.metrics.CategoricalCrossentropy")
class CategoricalCrossentropy(MeanMetricWrapper):
    """The mean categorical cross-entropy (one-hot labels) over all samples seen.

    Args:
        name: the name in logs.
        dtype: dtype of the state (default floatx).
        from_logits: ``y_pred`` are logits rather than probabilities.
        label_smoothing: mix the labels with the uniform distribution by this amount, in [0, 1].
        axis: the class axis.

    Example:
        >>> m = CategoricalCrossentropy()
        >>> m.update_state([[0.0, 1.0]], [[0.2, 0.8]]); round(float(m.result()), 4)
        0.2231
    """

    def __init__(self, name: str = "categorical_crossentropy", dtype: Any = None, from_logits: bool = False,
                 label_smoothing: float = 0, axis: int = -1):
        check_crossentropy_args(type(self).__name__, from_logits, label_smoothing, axis)
        super().__init__(categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self._direction = "down"


@export("layerwise.metrics.SparseCategoricalCrossentropy")
class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """The mean cross-entropy for integer labels over all samples seen.

    Args:
        name: the name in logs.
        dtype: dtype of the state (default floatx).
        from_logits: ``y_pred`` are logits rather than probabilities.
        ignore_class: a label value whose entries count 0 (with a sample weight, they are left out).
        axis: the class axis.

    Example:
        >>> m = SparseCategoricalCrossentropy()
        >>> m.update_state([1, 0], [[0.2, 0.8], [0.5, 0.5]]); round(float(m.result()), 4)
        0.4581
    """

    def __init__(self, name: str = "sparse_categorical_crossentropy", dtype: Any = None, from_logits: bool = False,
                 ignore_class: int | None = None, axis: int = -1):
        owner = type(self).__name__
        check_crossentropy_args(owner, from_logits, 0.0, axis)
        if ignore_class is not None and (isinstance(ignore_class, bool) or not isinstance(ignore_class, int)):
            raise ValueError(f"`{owner}` argument `ignore_class` must be an integer or None; "
                             f"received ignore_class={ignore_class!r}.")
        super().__init__(sparse_categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits,
                         ignore_class=ignore_class, axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class
        self.axis = axis
        self._direction = "down"
