"""Layers that combine several inputs: Add, Subtract, Multiply, Average, Maximum, Minimum,
Concatenate, Dot, and their functional shortcuts (``add([a, b])``...).

Each layer package lists its public layers in ``__all__``; ``layerwise.layers`` re-exports them."""


from layerwise.layers.merging.concatenate import Concatenate, concatenate
from layerwise.layers.merging.dot import Dot, dot
from layerwise.layers.merging.elementwise_merge import (
    Add,
    Average,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    maximum,
    minimum,
    multiply,
    subtract,
)

__all__ = ["Concatenate", "concatenate", "Dot", "dot", "Add", "Average", "Maximum", "Minimum", "Multiply", "Subtract", "add", "average", "maximum", "minimum", "multiply", "subtract"]
