"""Core layers: Input, Dense, Activation, Identity, Lambda, Embedding, Masking, and the op layer
behind symbolic ops.

Each layer package lists its public layers in ``__all__``; ``layerwise.layers`` re-exports them."""


from layerwise.layers.core.activation import Activation
from layerwise.layers.core.dense import Dense
from layerwise.layers.core.embedding import Embedding
from layerwise.layers.core.identity import Identity
from layerwise.layers.core.input_layer import Input, InputLayer
from layerwise.layers.core.lambda_layer import Lambda
from layerwise.layers.core.masking import Masking
from layerwise.layers.core.op_layer import OpLayer

__all__ = ["Activation", "Dense", "Embedding", "Identity", "Input", "InputLayer", "Lambda", "Masking", "OpLayer"]
