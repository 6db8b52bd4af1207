"""Add, Subtract, Multiply, Average, Maximum, Minimum, and their functional forms."""

from __future__ import annotations

import torch

from layerwise.api_export import export
from layerwise.layers.merging.base_merge import Merge


@export("layerwise.layers.Add")
class Add(Merge):
    """The element-wise sum of a list of inputs.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.Add()([torch.ones(1, 2), torch.ones(1, 2)])
        tensor([[2., 2.]])
    """

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out + x
        return out


@export("layerwise.layers.Subtract")
class Subtract(Merge):
    """``inputs[0] - inputs[1]`` (exactly two inputs).

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.Subtract()([torch.ones(1, 2), torch.ones(1, 2)])
        tensor([[0., 0.]])
    """

    min_inputs = 2

    def build(self, input_shape):
        shapes = self._check_list(input_shape)
        if len(shapes) != 2:
            raise ValueError(f"Layer '{self.name}' (Subtract) needs exactly 2 inputs; received {len(shapes)}.")
        super().build(input_shape)

    def _merge_function(self, inputs):
        if len(inputs) != 2:
            raise ValueError(f"Layer '{self.name}' (Subtract) needs exactly 2 inputs; received {len(inputs)}.")
        return inputs[0] - inputs[1]


@export("layerwise.layers.Multiply")
class Multiply(Merge):
    """The element-wise product of a list of inputs.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.Multiply()([torch.full((1, 2), 2.0), torch.full((1, 2), 3.0)])
        tensor([[6., 6.]])
    """

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out * x
        return out


@export("layerwise.layers.Average")
class Average(Merge):
    """The element-wise mean of a list of inputs.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.Average()([torch.zeros(1, 2), torch.full((1, 2), 4.0)])
        tensor([[2., 2.]])
    """

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = out + x
        return out / len(inputs)


@export("layerwise.layers.Maximum")
class Maximum(Merge):
    """The element-wise maximum of a list of inputs.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.Maximum()([torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]])])
        tensor([[3., 5.]])
    """

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = torch.maximum(out, x)
        return out


@export("layerwise.layers.Minimum")
class Minimum(Merge):
    """The element-wise minimum of a list of inputs.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.Minimum()([torch.tensor([[1.0, 5.0]]), torch.tensor([[3.0, 2.0]])])
        tensor([[1., 2.]])
    """

    def _merge_function(self, inputs):
        out = inputs[0]
        for x in inputs[1:]:
            out = torch.minimum(out, x)
        return out


def _functional(layer_cls, name):
    def merge(inputs, **kwargs):
        return layer_cls(**kwargs)(inputs)

    merge.__name__ = name
    merge.__qualname__ = name
    merge.__doc__ = f"""Functional form of :class:`{layer_cls.__name__}`: ``{name}([a, b], **kwargs)``.

    Example:
        >>> import torch, layerwise as keras
        >>> keras.layers.{name}([torch.ones(1, 2), torch.ones(1, 2)]).shape
        torch.Size([1, 2])
    """
    return export(f"layerwise.layers.{name}")(merge)


add = _functional(Add, "add")
subtract = _functional(Subtract, "subtract")
multiply = _functional(Multiply, "multiply")
average = _functional(Average, "average")
maximum = _functional(Maximum, "maximum")
minimum = _functional(Minimum, "minimum")
