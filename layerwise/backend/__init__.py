"""``layerwise.backend``: Keras 2's ``keras.backend`` functions, for code written as ``K.sum(x, axis=1)``.

``from layerwise import backend as K`` (or ``from keras import backend as K`` with
``import layerwise as keras``) gives the familiar names with Keras 2's signatures and formulas,
computed with :mod:`layerwise.ops` on torch tensors. Modules by responsibility:

* :mod:`~layerwise.backend.session`: clearing the session, the learning phase, symbolic tests
  (settings such as ``floatx`` and ``epsilon`` come from :mod:`layerwise.config`);
* :mod:`~layerwise.backend.values`: shapes, dtypes, creation, variables, reading/writing values;
* :mod:`~layerwise.backend.reductions` and :mod:`~layerwise.backend.elementwise`: maths;
* :mod:`~layerwise.backend.arrays`: reshaping, joining, indexing, ``dot`` and ``batch_dot``;
* :mod:`~layerwise.backend.nn`: activations, cross-entropies, ``dropout``, ``switch``.

Not provided: Keras 2's graph-mode tools (``K.function``, ``K.gradients``, placeholders); use
``model(x)`` and ``torch.autograd`` instead.
"""

from layerwise.config import (  # noqa: F401  (exported under layerwise.backend.* in config.py)
    backend, epsilon, floatx, image_data_format, set_epsilon, set_floatx, set_image_data_format,
)
from layerwise.ops.core import cast, is_tensor  # noqa: F401  (exported under layerwise.backend.* in ops)
from layerwise.variables import Variable  # noqa: F401  (exported as layerwise.backend.Variable)

from layerwise.backend.arrays import (
    batch_dot, batch_flatten, concatenate, dot, expand_dims, flatten, gather, one_hot, permute_dimensions,
    repeat_elements, reshape, squeeze, stack, tile, transpose,
)
from layerwise.backend.elementwise import (  # noqa: A004  (Keras 2's names shadow builtins here)
    abs, clip, equal, exp, greater, greater_equal, less, less_equal, log, maximum, minimum, not_equal, pow,
    round, sign, sqrt, square,
)
from layerwise.backend.nn import (
    binary_crossentropy, categorical_crossentropy, dropout, elu, hard_sigmoid, l2_normalize, relu, sigmoid,
    softmax, softplus, softsign, sparse_categorical_crossentropy, stop_gradient, switch, tanh,
)
from layerwise.backend.reductions import (  # noqa: A004
    all, any, argmax, argmin, max, mean, min, prod, std, sum, var,
)
from layerwise.backend.session import clear_session, is_keras_tensor, learning_phase, set_learning_phase
from layerwise.backend.values import (  # noqa: A004
    batch_get_value, batch_set_value, constant, dtype, eval, eye, get_value, int_shape, ndim, ones, ones_like,
    random_normal, random_uniform, set_value, shape, variable, zeros, zeros_like,
)

__all__ = [
    "Variable", "abs", "all", "any", "argmax", "argmin", "backend", "batch_dot", "batch_flatten",
    "batch_get_value", "batch_set_value", "binary_crossentropy", "cast", "categorical_crossentropy", "clear_session",
    "clip", "concatenate", "constant", "dot", "dropout", "dtype", "elu", "epsilon", "equal", "eval", "exp",
    "expand_dims", "eye", "flatten", "floatx", "gather", "get_value", "greater", "greater_equal", "hard_sigmoid",
    "image_data_format", "int_shape", "is_keras_tensor", "is_tensor", "l2_normalize", "learning_phase", "less",
    "less_equal", "log", "max", "maximum", "mean", "min", "minimum", "ndim", "not_equal", "one_hot", "ones",
    "ones_like", "permute_dimensions", "pow", "prod", "random_normal", "random_uniform", "relu", "repeat_elements",
    "reshape", "round", "set_epsilon", "set_floatx", "set_image_data_format", "set_learning_phase", "set_value",
    "shape", "sigmoid", "sign", "softmax", "softplus", "softsign", "sparse_categorical_crossentropy", "sqrt",
    "square", "squeeze", "stack", "std", "stop_gradient", "sum", "switch", "tanh", "tile", "transpose", "var",
    "variable", "zeros", "zeros_like",
]
