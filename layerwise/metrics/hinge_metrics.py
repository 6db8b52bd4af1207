"""Hinge metrics: running means of the hinge losses (Keras 3's ``Hinge``, ``SquaredHinge``,
``CategoricalHinge``). Labels 0/1 are turned into -1/1 as the losses do.
"""

from __future__ import annotations

from typing import Any

from layerwise.api_export import export
from layerwise.losses.hinge import categorical_hinge, hinge, squared_hinge
from layerwise.metrics.reduction_metrics import MeanMetricWrapper


@export("layerwise.metrics.Hinge")
class Hinge(MeanMetricWrapper):
    """The mean hinge loss ``max(1 - y_true * y_pred, 0)`` over all samples seen.

    Args:
        name: the name in logs (default ``"hinge"``).
        dtype: dtype of the state (default floatx).

    Example:
        >>> m = Hinge()
        >>> m.update_state([[1.0], [-1.0]], [[0.25], [0.5]]); float(m.result())
        1.125
    """

    def __init__(self, name: str = "hinge", dtype: Any = None):
        super().__init__(hinge, name=name, dtype=dtype)
        self._direction = "down"


@export("layerwise.metrics.SquaredHinge")
class SquaredHinge(MeanMetricWrapper):
    """The mean squared hinge loss ``max(1 - y_true * y_pred, 0) ** 2`` over all samples seen.

    Example:
        >>> m = SquaredHinge()
        >>> m.update_state([[1.0], [-1.0]], [[0.25], [0.5]]); float(m.result())
        1.40625
    """

    def __init__(self, name: str = "squared_hinge", dtype: Any = None):
        super().__init__(squared_hinge, name=name, dtype=dtype)
        self._direction = "down"


@export("layerwise.metrics.CategoricalHinge")
class CategoricalHinge(MeanMetricWrapper):
    """The mean categorical hinge loss (one-hot labels) over all samples seen.

    Example:
        >>> m = CategoricalHinge()
        >>> m.update_state([[0.0, 1.0]], [[0.3, 0.8]]); float(m.result())
        0.5
    """

    def __init__(self, name: str = "categorical_hinge", dtype: Any = None):
        super().__init__(categorical_hinge, name=name, dtype=dtype)
        self._direction = "down"
