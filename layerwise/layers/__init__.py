"""``layerwise.layers``: every layer, by its Keras name."""

from layerwise.layers.convolutional.conv2d import Conv2D
from layerwise.layers.core.activation import Activation
from layerwise.layers.core.dense import Dense
from layerwise.layers.core.identity import Identity
from layerwise.layers.core.input_layer import Input, InputLayer
from layerwise.layers.core.lambda_layer import Lambda
from layerwise.layers.core.op_layer import OpLayer
from layerwise.layers.input_spec import InputSpec
from layerwise.layers.layer import Layer
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
from layerwise.layers.pooling.max_pooling2d import MaxPooling2D
from layerwise.layers.regularization.dropout import Dropout
from layerwise.layers.reshaping.flatten import Flatten
from layerwise.layers.reshaping.permute import Permute
from layerwise.layers.reshaping.repeat_vector import RepeatVector
from layerwise.layers.reshaping.reshape import Reshape

__all__ = [
    "Activation", "Add", "Conv2D", "MaxPooling2D", "Average", "Concatenate", "Dense", "Dot", "Dropout", "Flatten", "Identity", "Input",
    "InputLayer", "InputSpec", "Lambda", "Layer", "Maximum", "Minimum", "Multiply", "OpLayer", "Permute",
    "RepeatVector", "Reshape", "Subtract", "add", "average", "concatenate", "dot", "maximum", "minimum",
    "multiply", "subtract",
]
