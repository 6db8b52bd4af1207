"""``OpLayer``: the graph node recorded when a ``layerwise.ops`` function meets a symbolic tensor.

``x + y`` or ``ops.concatenate([a, b])`` between ``Input`` and ``Model`` becomes an ``OpLayer``
holding the op's name; the op's other arguments live in the graph node, so the model saves and
loads like any other.
"""

from __future__ import annotations

from layerwise.api_export import export
from layerwise.layers.layer import Layer
from layerwise.utils.naming import auto_name


@export("layerwise.layers.OpLayer")
class OpLayer(Layer):
    """Wraps one op of :mod:`layerwise.ops` so it can sit in a functional graph.

    Args:
        op: the op's name in ``layerwise.ops`` (``"add"``, ``"concatenate"``...).

    Example:
        >>> import layerwise as keras
        >>> x = keras.Input((3,))
        >>> y = x * 2.0
        >>> type(y._keras_history.operation).__name__, y.shape
        ('OpLayer', (None, 3))
    """

    def __init__(self, op: str, **kwargs):
        from layerwise.ops.symbolic import OPS

        if op not in OPS:
            raise ValueError(f"`OpLayer` argument `op` must name a layerwise op; received op={op!r}.")
        kwargs.setdefault("name", auto_name(op))
        kwargs["autocast"] = False
        super().__init__(**kwargs)
        self.op = op
        self._fn = OPS[op].raw
        self.built = True

    def call(self, *args, **kwargs):
        return self._fn(*args, **kwargs)

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("autocast", None)
        return {**config, "op": self.op}
