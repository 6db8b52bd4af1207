"""``layerwise.datasets``: small ready-made datasets as NumPy arrays (Keras's ``keras.datasets``).

Keras's datasets, each a module with Keras's ``load_data()`` returning
``(x_train, y_train), (x_test, y_test)`` with Keras's shapes and dtypes: :mod:`mnist`,
:mod:`fashion_mnist`, :mod:`cifar10`, :mod:`cifar100`, :mod:`boston_housing`, :mod:`imdb` and
:mod:`reuters` (with ``get_word_index``). Their files are downloaded once, on first use, checked
against a known digest and cached in ``~/.layerwise/datasets`` (or ``$LAYERWISE_HOME/datasets``);
offline, the error says which file to get and where to put it, and the loaders that take a
``path`` read an absolute path to a local copy directly. No file is ever unpickled.

Always available offline:

- :mod:`digits`: scikit-learn's 1,797 handwritten 8x8 digits, split Keras-style;
- :mod:`playground`: the TensorFlow Playground's 2-D sets (``circle``, ``xor``, ``gaussian``,
  ``spiral``, ``plane``, ``multi_gaussian``), generated from a seed.

Example:
    >>> from layerwise.datasets import digits, playground
    >>> (x_train, y_train), (x_test, y_test) = digits.load_data(test_split=0.5)
    >>> len(x_train), len(x_test)
    (898, 899)
    >>> x, y = playground.load_playground("spiral", noise=10, seed=1)
    >>> x.shape, y.shape
    ((500, 2), (500,))
"""

from layerwise.datasets import (
    boston_housing,
    cifar10,
    cifar100,
    digits,
    fashion_mnist,
    imdb,
    mnist,
    playground,
    reuters,
)

__all__ = [
    "boston_housing",
    "cifar10",
    "cifar100",
    "digits",
    "fashion_mnist",
    "imdb",
    "mnist",
    "playground",
    "reuters",
]
