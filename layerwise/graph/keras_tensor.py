"""``KerasTensor``: a symbolic placeholder (shape and dtype, no data) that flows between
``Input`` and ``Model``. Calling a layer on one records a :class:`~layerwise.graph.node.Node`.

This module imports no ops at import time: operators import them lazily.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from layerwise.utils.dtype_utils import standardize_dtype
from layerwise.utils.naming import auto_name


class KerasHistory(NamedTuple):
    """Where a symbolic tensor came from: the operation, which call of it, which output."""

    operation: Any
    node_index: int
    tensor_index: int


class KerasTensor:
    """A symbolic tensor with a known shape (``None`` for unknown sizes) and dtype.

    Example:
        >>> import layerwise as keras
        >>> x = keras.Input((4,))
        >>> x.shape, x.dtype
        ((None, 4), 'float32')
    """

    def __init__(self, shape, dtype: Any = "float32", sparse: bool = False, name: str | None = None):
        try:
            self._shape = tuple(None if d is None else int(d) for d in shape)
        except TypeError:
            raise ValueError(f"A KerasTensor shape must be a tuple of ints or None; received shape={shape!r}.") from None
        self._dtype = standardize_dtype(dtype)
        if sparse:
            raise ValueError("Sparse symbolic tensors are not supported.")
        self.name = name or auto_name("keras_tensor")
        self._keras_history: KerasHistory | None = None

    @property
    def shape(self) -> tuple:
        return self._shape

    @property
    def dtype(self) -> str:
        return self._dtype

    @property
    def ndim(self) -> int:
        return len(self._shape)

    @property
    def sparse(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"<KerasTensor shape={self._shape}, dtype={self._dtype}, sparse=False, name={self.name}>"

    # A symbolic tensor has no value: refuse every attempt to read one, with the reason.
    def _no_value(self, what: str):
        raise TypeError(
            f"A KerasTensor is symbolic (a placeholder for shape {self._shape} and dtype {self._dtype}); "
            f"it has no value, so {what} is not possible. Use it as input to layers or `layerwise.ops` "
            "functions to build a model, then call the model on real data."
        )

    def __bool__(self):
        self._no_value("converting it to a Python bool")

    def __array__(self, *args, **kwargs):
        self._no_value("converting it to a NumPy array")

    def numpy(self):
        self._no_value("calling `.numpy()`")

    def __len__(self):
        self._no_value("calling `len()`")

    def __iter__(self):
        self._no_value("iterating over it")

    # Operators record op nodes, as Keras 3 does (the ops are imported lazily).
    def _op(self, name, *args, **kwargs):
        from layerwise import ops

        return getattr(ops, name)(*args, **kwargs)

    def __add__(self, other):
        return self._op("add", self, other)

    def __radd__(self, other):
        return self._op("add", other, self)

    def __sub__(self, other):
        return self._op("subtract", self, other)

    def __rsub__(self, other):
        return self._op("subtract", other, self)

    def __mul__(self, other):
        return self._op("multiply", self, other)

    def __rmul__(self, other):
        return self._op("multiply", other, self)

    def __truediv__(self, other):
        return self._op("divide", self, other)

    def __rtruediv__(self, other):
        return self._op("divide", other, self)

    def __pow__(self, other):
        return self._op("power", self, other)

    def __rpow__(self, other):
        return self._op("power", other, self)

    def __matmul__(self, other):
        return self._op("matmul", self, other)

    def __rmatmul__(self, other):
        return self._op("matmul", other, self)

    def __neg__(self):
        return self._op("negative", self)

    def __abs__(self):
        return self._op("absolute", self)

    def __lt__(self, other):
        return self._op("less", self, other)

    def __le__(self, other):
        return self._op("less_equal", self, other)

    def __gt__(self, other):
        return self._op("greater", self, other)

    def __ge__(self, other):
        return self._op("greater_equal", self, other)

    def __getitem__(self, key):
        return self._op("get_item", self, key)

    # Identity semantics for == and hashing: a graph must be able to find a tensor in a list.
    __hash__ = object.__hash__


def is_keras_tensor(x: Any) -> bool:  # exported as layerwise.utils.is_keras_tensor
    """True for a symbolic tensor.

    Example:
        >>> import layerwise as keras
        >>> keras.utils.is_keras_tensor(keras.Input((2,)))
        True
    """
    return isinstance(x, KerasTensor)
