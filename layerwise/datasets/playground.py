"""The TensorFlow Playground's 2-D datasets (https://playground.tensorflow.org), generated offline.

Four classification sets (``circle``, ``xor``, ``gaussian``, ``spiral``) and two regression sets
(``plane``, ``multi_gaussian``), generated with the rules of the Playground's ``dataset.ts``:
the same point counts (500 points to classify, 1,200 to regress), ranges, radii and noise.
``noise`` is the Playground's slider, a percentage from 0 to 50; as there, it moves the points
of ``spiral`` and widens the clouds of ``gaussian``, while for the other sets the points stay
where they are and the noise is added to the position each *label* is computed from (so labels
near a boundary get flipped). All randomness comes from one ``np.random.default_rng(seed)``.

Each function returns ``(x, y)``: ``x`` a ``float32`` array ``(n, 2)``, ``y`` a ``float32`` array
``(n,)``, shuffled like the Playground shuffles its points. Classification labels are 0/1 by
default (``label_mode="binary"``, what ``sigmoid`` and ``binary_crossentropy`` expect);
``label_mode="signed"`` gives the Playground's -1/+1 (for ``tanh`` outputs). Regression targets
are the Playground's, roughly in [-1, 1].
"""

from __future__ import annotations

import math
import numbers
from typing import Callable

import numpy as np

from layerwise.api_export import export
from layerwise.utils.argument_validation import number_in_range, one_of, positive_int

NUM_SAMPLES_CLASSIFY = 500
NUM_SAMPLES_REGRESS = 1200
_Generator = Callable[[np.random.Generator, int, float], tuple[np.ndarray, np.ndarray]]


def _uniform(rng: np.random.Generator, low: float, high: float, n: int) -> np.ndarray:
    return rng.uniform(low, high, n)


def _circle(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    radius = 5.0
    n_inside = n - n // 2
    r = np.concatenate([_uniform(rng, 0, radius * 0.5, n_inside), _uniform(rng, radius * 0.7, radius, n // 2)])
    angle = _uniform(rng, 0, 2 * math.pi, n)
    points = np.stack([r * np.sin(angle), r * np.cos(angle)], axis=1)
    shifted = points + _uniform(rng, -radius, radius, 2 * n).reshape(n, 2) * noise
    labels = np.where(np.hypot(shifted[:, 0], shifted[:, 1]) < radius * 0.5, 1.0, -1.0)
    return points, labels


def _xor(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    points = _uniform(rng, -5, 5, 2 * n).reshape(n, 2)
    points += np.where(points > 0, 0.3, -0.3)  # padding away from the axes
    shifted = points + _uniform(rng, -5, 5, 2 * n).reshape(n, 2) * noise
    return points, np.where(shifted[:, 0] * shifted[:, 1] >= 0, 1.0, -1.0)


def _gaussian(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    variance = 0.5 + noise * (4 - 0.5) / 0.5  # the Playground maps noise [0, 0.5] to [0.5, 4]
    n_positive = n - n // 2
    centers = np.repeat(np.array([[2.0, 2.0], [-2.0, -2.0]]), [n_positive, n // 2], axis=0)
    points = centers + rng.normal(0.0, math.sqrt(variance), (n, 2))
    return points, np.repeat([1.0, -1.0], [n_positive, n // 2])


def _spiral(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    half = n / 2
    i = np.concatenate([np.arange(n - n // 2), np.arange(n // 2)]).astype(np.float64)
    delta = np.repeat([0.0, math.pi], [n - n // 2, n // 2])
    r = i / half * 5
    t = 1.75 * i / half * 2 * math.pi + delta
    points = np.stack([r * np.sin(t), r * np.cos(t)], axis=1)
    points += _uniform(rng, -1, 1, 2 * n).reshape(n, 2) * noise
    return points, np.where(delta == 0, 1.0, -1.0)


def _plane(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    radius = 6.0
    points = _uniform(rng, -radius, radius, 2 * n).reshape(n, 2)
    shifted = points + _uniform(rng, -radius, radius, 2 * n).reshape(n, 2) * noise
    return points, (shifted[:, 0] + shifted[:, 1]) / 10  # the Playground maps [-10, 10] to [-1, 1]


_GAUSSIANS = np.array([[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]])


def _multi_gaussian(rng: np.random.Generator, n: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
    radius = 6.0
    points = _uniform(rng, -radius, radius, 2 * n).reshape(n, 2)
    shifted = points + _uniform(rng, -radius, radius, 2 * n).reshape(n, 2) * noise
    distance = np.hypot(shifted[:, None, 0] - _GAUSSIANS[:, 0], shifted[:, None, 1] - _GAUSSIANS[:, 1])
    values = _GAUSSIANS[:, 2] * np.clip(1 - distance / 2, 0, 1)  # 1 at a center, 0 from distance 2 on
    # The value largest in absolute value wins; on a tie, the first Gaussian (argmax's first hit).
    return points, values[np.arange(n), np.argmax(np.abs(values), axis=1)] + 0.0


_CLASSIFY: dict[str, _Generator] = {"circle": _circle, "xor": _xor, "gaussian": _gaussian, "spiral": _spiral}
_REGRESS: dict[str, _Generator] = {"plane": _plane, "multi_gaussian": _multi_gaussian}


@export("layerwise.datasets.playground.load_playground")
def load_playground(
    name: str,
    n_samples: int | None = None,
    noise: float = 0,
    seed: int | None = None,
    label_mode: str | None = None,
    shuffle: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Generate one of the Playground's datasets by name: ``(x, y)``.

    Args:
        name: ``"circle"``, ``"xor"``, ``"gaussian"`` or ``"spiral"`` (classification), or
            ``"plane"`` or ``"multi_gaussian"`` (regression).
        n_samples: number of points; default the Playground's, 500 to classify and 1,200 to
            regress. The two classes of ``circle``, ``gaussian`` and ``spiral`` get
            ``ceil(n/2)`` and ``floor(n/2)`` points.
        noise: the Playground's noise, a percentage in ``[0, 50]``.
        seed: seed of ``np.random.default_rng`` (``None``: different points on every call).
        label_mode: classification only: ``"binary"`` (default) for labels 0/1, ``"signed"`` for
            the Playground's -1/+1. Must stay ``None`` for the regression sets.
        shuffle: shuffle the points (the Playground does); otherwise they come class by class.

    Returns:
        ``(x, y)``: ``float32`` arrays of shapes ``(n, 2)`` and ``(n,)``.

    Example:
        >>> x, y = load_playground("xor", seed=0)
        >>> x.shape, x.dtype, y.shape, sorted(set(y.tolist()))
        ((500, 2), dtype('float32'), (500,), [0.0, 1.0])
        >>> bool(np.all((x[:, 0] * x[:, 1] >= 0) == (y == 1)))  # noise=0: labels follow the quadrant
        True
        >>> x, y = load_playground("plane", noise=10, seed=0)
        >>> x.shape
        (1200, 2)
    """
    owner = "load_playground"
    name = one_of(owner, "name", name, tuple(_CLASSIFY) + tuple(_REGRESS))
    classify = name in _CLASSIFY
    if n_samples is None:
        n_samples = NUM_SAMPLES_CLASSIFY if classify else NUM_SAMPLES_REGRESS
    n_samples = positive_int(owner, "n_samples", n_samples)
    noise = number_in_range(owner, "noise", noise, 0, 50)
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0):
        raise ValueError(f"`{owner}` argument `seed` must be a non-negative integer or None; received seed={seed!r}.")
    if classify:
        label_mode = one_of(owner, "label_mode", "binary" if label_mode is None else label_mode, ("binary", "signed"))
    elif label_mode is not None:
        raise ValueError(
            f"`{owner}` argument `label_mode` only applies to the classification sets; received "
            f"label_mode={label_mode!r} for the regression set {name!r}."
        )
    if not isinstance(shuffle, (bool, np.bool_)):
        raise TypeError(f"`{owner}` argument `shuffle` must be a bool; received shuffle={shuffle!r}.")

    rng = np.random.default_rng(seed)
    x, y = (_CLASSIFY if classify else _REGRESS)[name](rng, n_samples, noise / 100)
    if classify and label_mode == "binary":
        y = (y + 1) / 2
    if shuffle:
        order = rng.permutation(n_samples)
        x, y = x[order], y[order]
    return x.astype(np.float32), y.astype(np.float32)


@export("layerwise.datasets.playground.circle")
def circle(
    n_samples: int = NUM_SAMPLES_CLASSIFY,
    noise: float = 0,
    seed: int | None = None,
    label_mode: str = "binary",
    shuffle: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Points inside a circle of radius 2.5 (label 1) and in a ring from 3.5 to 5 (label 0).

    Arguments as :func:`load_playground` (``label_mode="signed"`` gives +1/-1).

    Example:
        >>> x, y = circle(n_samples=100, seed=0)
        >>> r = np.hypot(x[:, 0], x[:, 1])
        >>> bool(np.all(r[y == 1] <= 2.5)), bool(np.all((r[y == 0] >= 3.5) & (r[y == 0] <= 5)))
        (True, True)
    """
    return load_playground("circle", n_samples, noise, seed, label_mode, shuffle)


@export("layerwise.datasets.playground.xor")
def xor(
    n_samples: int = NUM_SAMPLES_CLASSIFY,
    noise: float = 0,
    seed: int | None = None,
    label_mode: str = "binary",
    shuffle: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Points in [-5.3, 5.3]^2 kept 0.3 away from the axes; label 1 where ``x1 * x2 >= 0``.

    Arguments as :func:`load_playground`.

    Example:
        >>> x, y = xor(seed=0, label_mode="signed")
        >>> bool(np.all(np.abs(x) >= 0.3)), sorted(set(y.tolist()))
        (True, [-1.0, 1.0])
    """
    return load_playground("xor", n_samples, noise, seed, label_mode, shuffle)


@export("layerwise.datasets.playground.gaussian")
def gaussian(
    n_samples: int = NUM_SAMPLES_CLASSIFY,
    noise: float = 0,
    seed: int | None = None,
    label_mode: str = "binary",
    shuffle: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian clouds, around (2, 2) (label 1) and (-2, -2) (label 0).

    Their variance grows from 0.5 (noise 0) to 4 (noise 50), as in the Playground. Arguments as
    :func:`load_playground`.

    Example:
        >>> x, y = gaussian(seed=0)
        >>> np.round(x[y == 1].mean(axis=0)).tolist(), np.round(x[y == 0].mean(axis=0)).tolist()
        ([2.0, 2.0], [-2.0, -2.0])
    """
    return load_playground("gaussian", n_samples, noise, seed, label_mode, shuffle)


@export("layerwise.datasets.playground.spiral")
def spiral(
    n_samples: int = NUM_SAMPLES_CLASSIFY,
    noise: float = 0,
    seed: int | None = None,
    label_mode: str = "binary",
    shuffle: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spirals of radius up to 5, 1.75 turns each (labels 1 and 0).

    Arguments as :func:`load_playground`; noise moves each point by up to ``noise/100`` per axis.

    Example:
        >>> x, y = spiral(seed=0, shuffle=False)
        >>> x.shape, float(y[0]), float(y[-1])
        ((500, 2), 1.0, 0.0)
    """
    return load_playground("spiral", n_samples, noise, seed, label_mode, shuffle)


@export("layerwise.datasets.playground.plane")
def plane(
    n_samples: int = NUM_SAMPLES_REGRESS, noise: float = 0, seed: int | None = None, shuffle: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Regression on a tilted plane: points in [-6, 6]^2, target ``(x1 + x2) / 10``.

    Arguments as :func:`load_playground` (no ``label_mode``).

    Example:
        >>> x, y = plane(seed=0)
        >>> x.shape, bool(np.allclose(y, (x[:, 0] + x[:, 1]) / 10, atol=1e-6))
        ((1200, 2), True)
    """
    return load_playground("plane", n_samples, noise, seed, None, shuffle)


@export("layerwise.datasets.playground.multi_gaussian")
def multi_gaussian(
    n_samples: int = NUM_SAMPLES_REGRESS, noise: float = 0, seed: int | None = None, shuffle: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Regression on six bumps of height +1 or -1 (radius 2) centred on a 3x2 grid.

    Points are in [-6, 6]^2; the target is the bump largest in absolute value at that point.
    Arguments as :func:`load_playground` (no ``label_mode``).

    Example:
        >>> x, y = multi_gaussian(seed=0)
        >>> x.shape, bool(y.min() >= -1 and y.max() <= 1)
        ((1200, 2), True)
    """
    return load_playground("multi_gaussian", n_samples, noise, seed, None, shuffle)
