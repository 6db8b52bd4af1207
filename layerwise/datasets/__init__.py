"""``layerwise.datasets``: small ready-made datasets as NumPy arrays (Keras's ``keras.datasets``).

Each submodule has a ``load_data()`` returning ``(x_train, y_train), (x_test, y_test)``:

- :mod:`layerwise.datasets.mnist`: 70,000 handwritten digits, 28x28 ``uint8`` images (Keras's
  ``mnist.npz``, downloaded once and cached in ``~/.layerwise/datasets`` or
  ``$LAYERWISE_HOME/datasets``; ``load_data(path=...)`` reads a local copy with no network).
- :mod:`layerwise.datasets.digits`: 1,797 handwritten digits, 8x8 ``uint8`` images with values
  0..16, read offline from scikit-learn.

Example:
    >>> from layerwise.datasets import digits, mnist
    >>> (x_train, y_train), (x_test, y_test) = digits.load_data(test_split=0.5)
    >>> len(x_train), len(x_test)
    (898, 899)
"""

from layerwise.datasets import digits, mnist

__all__ = ["digits", "mnist"]
