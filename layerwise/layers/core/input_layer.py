"""``Input`` and ``InputLayer``: the entry points of a functional model."""

from __future__ import annotations

from typing import Any

from layerwise import config
from layerwise.api_export import export
from layerwise.graph.keras_tensor import KerasTensor
from layerwise.graph.node import Node
from layerwise.layers.layer import Layer
from layerwise.utils.dtype_utils import standardize_dtype


@export("layerwise.layers.InputLayer")
class InputLayer(Layer):
    """The layer behind :func:`Input`: produces the symbolic tensor a model starts from.

    Args:
        shape: the shape of one sample (without the batch axis), e.g. ``(784,)``.
        batch_size: a fixed batch size, if any.
        dtype: the data dtype (``"float32"``, ``"int64"`` ...).
        batch_shape: the full shape including the batch axis (instead of ``shape``).
        name: the layer's (and the model input's) name.

    Example:
        >>> layer = InputLayer(shape=(3,))
        >>> layer.output.shape
        (None, 3)
    """

    def __init__(self, shape: Any = None, batch_size: int | None = None, dtype: Any = None, sparse: bool | None = None,
                 batch_shape: Any = None, input_tensor: Any = None, optional: bool = False, name: str | None = None,
                 **kwargs):
        # Keras-2 spellings
        if shape is None and "input_shape" in kwargs:
            shape = kwargs.pop("input_shape")
        if batch_shape is None and "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        kwargs.pop("ragged", None)
        super().__init__(name=name, **kwargs)
        if sparse:
            raise ValueError("`InputLayer` argument `sparse`: sparse inputs are not supported.")
        if input_tensor is not None:
            if not isinstance(input_tensor, KerasTensor):
                raise ValueError(f"`InputLayer` argument `input_tensor` must be a KerasTensor; received {input_tensor!r}.")
            batch_shape = input_tensor.shape
            dtype = dtype or input_tensor.dtype
        if batch_shape is not None:
            if shape is not None:
                raise ValueError("`InputLayer`: give `shape` or `batch_shape`, not both.")
            batch_shape = tuple(batch_shape)
        else:
            if shape is None:
                raise ValueError("`InputLayer` needs `shape` (the shape of one sample) or `batch_shape`.")
            if isinstance(shape, int):
                shape = (shape,)
            batch_shape = (batch_size,) + tuple(shape)
        self._batch_shape = tuple(None if d is None else int(d) for d in batch_shape)
        self._data_dtype = standardize_dtype(dtype if dtype is not None else config.floatx())
        self.optional = optional
        self.built = True
        output = input_tensor if input_tensor is not None else KerasTensor(self._batch_shape, dtype=self._data_dtype,
                                                                            name=self.name)
        Node(self, (), {}, output)
        self._output_tensor = output

    @property
    def batch_shape(self) -> tuple:
        return self._batch_shape

    @property
    def dtype(self) -> str:  # the data dtype, as in Keras
        return self._data_dtype

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return self._batch_shape

    def get_config(self) -> dict:
        return {"batch_shape": list(self._batch_shape), "dtype": self._data_dtype, "sparse": False,
                "name": self.name, "optional": self.optional}

    @classmethod
    def from_config(cls, config: dict) -> "InputLayer":
        config = dict(config)
        config.pop("ragged", None)
        return cls(**config)


@export("layerwise.layers.Input", "layerwise.Input")
def Input(shape: Any = None, batch_size: int | None = None, dtype: Any = None, sparse: bool | None = None,
          batch_shape: Any = None, name: str | None = None, tensor: Any = None, optional: bool = False) -> KerasTensor:
    """A symbolic input tensor: the start of a functional model.

    Args:
        shape: the shape of one sample, without the batch axis (``(28, 28, 1)``).
        batch_size: optional fixed batch size.
        dtype: the data dtype (default floatx).
        batch_shape: the full shape with the batch axis, instead of ``shape``.
        name: a unique name; inputs given as a dict to the model are matched by it.

    Example:
        >>> import layerwise as keras
        >>> x = keras.Input(shape=(784,), name="pixels")
        >>> x.shape, x.dtype
        ((None, 784), 'float32')
    """
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse, batch_shape=batch_shape,
                       name=name, input_tensor=tensor, optional=optional)
    return layer.output
