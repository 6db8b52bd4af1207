"""``layerwise.datasets.playground``: the TensorFlow Playground's generators, rule by rule."""

from __future__ import annotations

import math

import numpy as np
import pytest

import layerwise.datasets
from layerwise.api_export import get_public
from layerwise.datasets import playground
from layerwise.datasets.playground import load_playground

CLASSIFY = ["circle", "xor", "gaussian", "spiral"]
REGRESS = ["plane", "multi_gaussian"]
TOL = 1e-5  # coordinates are returned as float32


def test_public_api():
    assert layerwise.datasets.playground.load_playground is load_playground
    for name in ["load_playground"] + CLASSIFY + REGRESS:
        assert get_public(f"layerwise.datasets.playground.{name}") is getattr(playground, name)


@pytest.mark.parametrize("name", CLASSIFY + REGRESS)
def test_default_counts_dtypes_and_seed(name):
    x, y = load_playground(name, seed=3)
    n = 500 if name in CLASSIFY else 1200
    assert x.shape == (n, 2) and y.shape == (n,) and x.dtype == np.float32 and y.dtype == np.float32
    x2, y2 = load_playground(name, seed=3)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)
    x3, _ = load_playground(name, seed=4)
    assert not np.array_equal(x, x3)
    x4, _ = load_playground(name)
    x5, _ = load_playground(name)
    assert not np.array_equal(x4, x5)  # no seed: fresh points


@pytest.mark.parametrize("name", ["circle", "gaussian", "spiral"])
@pytest.mark.parametrize("n", [2, 7, 500])
def test_two_halves(name, n):
    x, y = load_playground(name, n_samples=n, seed=0)
    assert len(x) == n
    assert int((y == 1).sum()) == math.ceil(n / 2) and int((y == 0).sum()) == n // 2


def test_circle_geometry_without_noise():
    x, y = playground.circle(n_samples=2000, seed=1)
    r = np.hypot(x[:, 0], x[:, 1])
    assert np.all(r[y == 1] <= 2.5 + TOL)
    assert np.all((r[y == 0] >= 3.5 - TOL) & (r[y == 0] <= 5 + TOL))
    assert r[y == 1].max() > 2.4 and r[y == 0].min() < 3.6 and r[y == 0].max() > 4.9
    np.testing.assert_array_equal(y, (r < 3).astype(np.float32))  # every label follows the radius


def test_circle_noise_moves_labels_not_points():
    x, y = playground.circle(n_samples=4000, noise=50, seed=2)
    r = np.hypot(x[:, 0], x[:, 1])
    assert np.all((r <= 2.5 + TOL) | ((r >= 3.5 - TOL) & (r <= 5 + TOL)))  # points stay in the disc or ring
    flipped = np.mean(y != (r < 3))
    assert 0.2 < flipped < 0.6
    # The label is that of the point moved by uniform(-5, 5) * 0.5 per axis: inside points near
    # the center keep a good chance of staying inside, so agreement stays above chance.
    _, y_mild = playground.circle(n_samples=4000, noise=5, seed=2)
    assert np.mean(y_mild != (r < 3)) < flipped


def test_xor_geometry_and_labels():
    x, y = playground.xor(n_samples=3000, seed=5, label_mode="signed")
    assert np.all((np.abs(x) >= 0.3 - TOL) & (np.abs(x) <= 5.3 + TOL))
    np.testing.assert_array_equal(y, np.where(x[:, 0] * x[:, 1] >= 0, 1, -1))
    assert 0.4 < np.mean(y == 1) < 0.6
    x, y = playground.xor(n_samples=3000, seed=5, noise=25, label_mode="signed")
    disagree = y != np.where(x[:, 0] * x[:, 1] >= 0, 1, -1)
    assert 0.02 < np.mean(disagree) < 0.5
    # Noise (at most 5 * 0.25 = 1.25 per axis) cannot flip a point farther from both axes.
    far = np.all(np.abs(x) > 1.25 + TOL, axis=1)
    assert not np.any(disagree & far)


def test_gaussian_centers_and_variance():
    for noise, variance in [(0, 0.5), (25, 0.5 + 0.25 * 7), (50, 4.0)]:
        x, y = playground.gaussian(n_samples=40000, noise=noise, seed=6)
        for label, center in [(1, 2.0), (0, -2.0)]:
            cloud = x[y == label].astype(np.float64)
            np.testing.assert_allclose(cloud.mean(axis=0), [center, center], atol=0.05)
            np.testing.assert_allclose(cloud.var(axis=0), [variance, variance], rtol=0.05)


def spiral_points(n: int) -> np.ndarray:
    """The Playground's noiseless spiral, point by point, as in its dataset.ts."""
    points = []
    half = n / 2
    for delta in (0.0, math.pi):
        for i in range(math.ceil(n / 2) if delta == 0 else n // 2):
            r = i / half * 5
            t = 1.75 * i / half * 2 * math.pi + delta
            points.append((r * math.sin(t), r * math.cos(t)))
    return np.array(points)


@pytest.mark.parametrize("n", [500, 9])
def test_spiral_exact_geometry(n):
    x, y = playground.spiral(n_samples=n, seed=0, shuffle=False)
    np.testing.assert_allclose(x, spiral_points(n), atol=TOL)
    np.testing.assert_array_equal(y, [1] * math.ceil(n / 2) + [0] * (n // 2))
    assert np.all(np.hypot(x[:, 0], x[:, 1]) < 5)


def test_spiral_noise_moves_points_by_at_most_noise():
    x, _ = playground.spiral(noise=20, seed=0, shuffle=False)
    offset = np.abs(x - spiral_points(500))
    assert offset.max() <= 0.2 + TOL and offset.max() > 0.15


def test_plane_targets():
    x, y = playground.plane(seed=7)
    assert np.all(np.abs(x) <= 6)
    np.testing.assert_allclose(y, (x[:, 0].astype(np.float64) + x[:, 1]) / 10, atol=TOL)
    x, y = playground.plane(seed=7, noise=50)
    residual = y - (x[:, 0].astype(np.float64) + x[:, 1]) / 10
    assert np.abs(residual).max() <= 0.6 + TOL and np.abs(residual).max() > 0.4  # (3 + 3) / 10


def multi_gaussian_label(px: float, py: float) -> float:
    """The Playground's regressGaussian label, written as its loop."""
    label = 0.0
    for cx, cy, sign in [(-4, 2.5, 1), (0, 2.5, -1), (4, 2.5, 1), (-4, -2.5, -1), (0, -2.5, 1), (4, -2.5, -1)]:
        d = math.hypot(px - cx, py - cy)
        new = sign * min(max(1 - d / 2, 0), 1)
        if abs(new) > abs(label):
            label = new
    return label


def test_multi_gaussian_targets():
    x, y = playground.multi_gaussian(n_samples=600, seed=8)
    expected = [multi_gaussian_label(float(a), float(b)) for a, b in x]
    np.testing.assert_allclose(y, expected, atol=1e-5)
    assert y.min() < -0.5 and y.max() > 0.5 and np.mean(y == 0) > 0.2


def test_label_modes():
    x_b, y_b = playground.spiral(seed=9, noise=10)
    x_s, y_s = playground.spiral(seed=9, noise=10, label_mode="signed")
    np.testing.assert_array_equal(x_b, x_s)
    np.testing.assert_array_equal(y_s, 2 * y_b - 1)
    assert set(y_b.tolist()) == {0.0, 1.0} and set(y_s.tolist()) == {-1.0, 1.0}


def test_shuffle_false_keeps_classes_in_order_and_shuffle_is_a_permutation():
    x, y = playground.gaussian(n_samples=10, seed=1, shuffle=False)
    assert y.tolist() == [1] * 5 + [0] * 5
    x_s, y_s = playground.gaussian(n_samples=10, seed=1)
    assert sorted(map(tuple, x_s.tolist())) == sorted(map(tuple, x.tolist()))
    assert y_s.tolist() != y.tolist()


@pytest.mark.parametrize("name", CLASSIFY + REGRESS)
def test_function_per_set_is_load_playground(name):
    x, y = getattr(playground, name)(n_samples=50, noise=15, seed=2)
    x2, y2 = load_playground(name, n_samples=50, noise=15, seed=2)
    np.testing.assert_array_equal(x, x2)
    np.testing.assert_array_equal(y, y2)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"name": "spirals"}, ValueError, "did you mean 'spiral'"),
    ({"name": "xor", "noise": 51}, ValueError, r"`noise` must be a number in \[0, 50\]"),
    ({"name": "xor", "noise": -1}, ValueError, "`noise`"),
    ({"name": "xor", "n_samples": 0}, ValueError, "`n_samples` must be a positive integer"),
    ({"name": "xor", "seed": -3}, ValueError, "`seed`"),
    ({"name": "xor", "label_mode": "sign"}, ValueError, "did you mean 'signed'"),
    ({"name": "plane", "label_mode": "binary"}, ValueError, "only applies to the classification sets"),
    ({"name": "xor", "shuffle": "yes"}, TypeError, "`shuffle`"),
])
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        load_playground(**kwargs)
