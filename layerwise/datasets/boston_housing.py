"""Boston housing prices, as ``keras.datasets.boston_housing`` gives them.

506 neighbourhoods of Boston in the late 1970s, each with 13 attributes (from the StatLib
archive at Carnegie Mellon University), and the median value of their homes in thousands of
dollars. The file is Keras's ``boston_housing.npz``, checked against Keras's SHA-256 and cached in
``~/.layerwise/datasets`` (or ``$LAYERWISE_HOME/datasets``).

Warning (as Keras's): one attribute, "B", was built on the assumption that racial
self-segregation influences house prices. Prefer another dataset unless the point is to discuss
such ethical problems in data.
"""

from __future__ import annotations

import os
import zipfile

import numpy as np

from layerwise.api_export import export
from layerwise.datasets import _sequences
from layerwise.datasets._download import resolve_path

_FNAME = "boston_housing.npz"
_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/boston_housing.npz"
_FILE_HASH = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"
_NUM_FEATURES = 13
_OWNER = "boston_housing.load_data"

_Split = tuple[np.ndarray, np.ndarray]


@export("layerwise.datasets.boston_housing.load_data")
def load_data(
    path: str | os.PathLike[str] = _FNAME, test_split: float = 0.2, seed: int = 113
) -> tuple[_Split, _Split]:
    """Load the Boston housing data: ``(x_train, y_train), (x_test, y_test)``.

    The samples are shuffled with ``np.random.RandomState(seed)`` and the first
    ``int(n * (1 - test_split))`` form the training set, as in Keras.

    Args:
        path: the absolute path of a local copy of ``boston_housing.npz`` (arrays ``x`` and
            ``y``), read with no network; or a name relative to the cache directory, downloaded
            from Keras's URL on first use.
        test_split: fraction of the samples in the test set, in ``[0, 1)``.
        seed: seed of the shuffle, in ``[0, 2**32)``.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x`` of shape ``(n, 13)`` and ``y`` (prices in
        k$) of shape ``(n,)``, ``float64`` as stored (404 and 102 samples for the real file).

    Raises:
        ValueError: the file is not a valid Boston housing ``.npz`` or ``test_split`` is outside
            ``[0, 1)``.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = load_data()  # doctest: +SKIP
        >>> x_train.shape, y_train.shape, x_test.shape  # doctest: +SKIP
        ((404, 13), (404,), (102, 13))

        A local file in the same layout is read directly, with no network access:

        >>> import os, tempfile
        >>> with tempfile.TemporaryDirectory() as d:
        ...     tiny = os.path.join(d, "tiny_boston.npz")
        ...     np.savez(tiny, x=np.arange(5 * 13.0).reshape(5, 13), y=np.arange(5.0))
        ...     (x_train, y_train), (x_test, y_test) = load_data(tiny, test_split=0.4, seed=0)
        >>> x_train.shape, y_train.tolist(), y_test.tolist()
        ((3, 13), [2.0, 0.0, 1.0], [3.0, 4.0])
    """
    test_split = _sequences.check_split(_OWNER, test_split)
    seed = _sequences.check_int(_OWNER, "seed", seed, upper=2**32)
    file = resolve_path(path, _FNAME, _ORIGIN, file_hash=_FILE_HASH)
    x, y = _read_npz(file)
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    split = int(len(x) * (1 - test_split))
    return (x[:split], y[:split]), (x[split:], y[split:])


def _read_npz(file: str) -> tuple[np.ndarray, np.ndarray]:
    bad = f"{file} is not a valid Boston housing .npz file"
    try:
        npz = np.load(file, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as e:
        raise ValueError(f"{bad}: it cannot be read as .npz ({e}).") from e
    if not isinstance(npz, np.lib.npyio.NpzFile):
        raise ValueError(f"{bad}: it holds a single array, not the arrays x and y.")
    with npz:
        missing = [key for key in ("x", "y") if key not in npz.files]
        if missing:
            raise ValueError(f"{bad}: it lacks {', '.join(missing)} (it holds: {', '.join(npz.files) or 'nothing'}).")
        try:
            x, y = npz["x"], npz["y"]
        except (OSError, ValueError, EOFError, zipfile.BadZipFile) as e:
            raise ValueError(f"{bad}: its arrays cannot be read ({e}).") from e
    for key, array in (("x", x), ("y", y)):
        if array.dtype.kind not in "fiu":
            raise ValueError(f"{bad}: {key} has dtype {array.dtype}, expected numbers.")
    if x.ndim != 2 or x.shape[1] != _NUM_FEATURES:
        raise ValueError(f"{bad}: x has shape {x.shape}, expected (n, {_NUM_FEATURES}).")
    if y.shape != (x.shape[0],):
        raise ValueError(f"{bad}: y has shape {y.shape}, expected ({x.shape[0]},) to match x.")
    return x, y
