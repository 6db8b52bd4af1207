"""The 8x8 handwritten digits that scikit-learn ships (UCI "Optical Recognition of Handwritten Digits").

1,797 grayscale images of 8x8 pixels with values 0..16 and their labels 0..9, read offline from
the copy bundled with scikit-learn (an optional dependency: ``pip install scikit-learn``) and
returned Keras-style, split into training and test sets by a seeded permutation.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from layerwise.api_export import export

_Split = tuple[np.ndarray, np.ndarray]


@export("layerwise.datasets.digits.load_data")
def load_data(test_split: float = 0.2, seed: int = 113) -> tuple[_Split, _Split]:
    """Load the 8x8 digits: ``(x_train, y_train), (x_test, y_test)``.

    The samples are shuffled with ``np.random.RandomState(seed)`` (the same seed gives the same
    split) and the last ``test_split`` fraction goes to the test set: the training set holds
    ``int(n * (1 - test_split))`` samples, as in Keras's ``reuters.load_data``.

    Args:
        test_split: fraction of the samples held out for testing, in ``[0, 1)``.
        seed: seed of the shuffle, a non-negative integer.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: images as ``uint8`` arrays of shape
        ``(n, 8, 8)`` with values 0..16, labels as ``uint8`` arrays of shape ``(n,)`` in 0..9.

    Raises:
        ImportError: scikit-learn is not installed.
        ValueError: ``test_split`` is outside ``[0, 1)`` or ``seed`` is negative.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = load_data()
        >>> x_train.shape, y_train.shape, x_test.shape, y_test.shape
        ((1437, 8, 8), (1437,), (360, 8, 8), (360,))
        >>> x_train.dtype, int(x_train.max()), sorted(set(y_test.tolist()))
        (dtype('uint8'), 16, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    """
    if isinstance(test_split, bool) or not isinstance(test_split, numbers.Real):
        raise TypeError(f"`test_split` must be a float in [0, 1); received {test_split!r}.")
    if not (math.isfinite(test_split) and 0 <= test_split < 1):
        raise ValueError(f"`test_split` must be in [0, 1); received {test_split!r}.")
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"`seed` must be a non-negative integer; received {seed!r}.")
    if seed < 0 or seed >= 2**32:
        raise ValueError(f"`seed` must be in [0, 2**32); received {seed!r}.")
    try:
        from sklearn.datasets import load_digits
    except ImportError as e:
        raise ImportError(
            "layerwise.datasets.digits reads the digits bundled with scikit-learn, which is not installed: "
            "pip install scikit-learn"
        ) from e

    bunch = load_digits()
    images, labels = np.asarray(bunch.images), np.asarray(bunch.target)
    if images.ndim != 3 or images.shape[1:] != (8, 8) or labels.shape != (images.shape[0],):
        raise ValueError(f"scikit-learn returned digits of unexpected shapes {images.shape} and {labels.shape}.")
    if images.min() < 0 or images.max() > 16 or labels.min() < 0 or labels.max() > 9:
        raise ValueError("scikit-learn returned digits outside the expected ranges (pixels 0..16, labels 0..9).")
    x, y = images.astype(np.uint8), labels.astype(np.uint8)

    indices = np.arange(len(x))
    np.random.RandomState(int(seed)).shuffle(indices)
    x, y = x[indices], y[indices]
    split = int(len(x) * (1 - test_split))
    return (x[:split], y[:split]), (x[split:], y[split:])
