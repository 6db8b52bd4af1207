"""``layerwise.datasets.digits.load_data``: scikit-learn's 8x8 digits, split Keras-style."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import layerwise.datasets
from layerwise.api_export import get_public
from layerwise.datasets import digits

sklearn_datasets = pytest.importorskip("sklearn.datasets")
N = 1797


def test_public_api():
    assert layerwise.datasets.digits.load_data is digits.load_data
    assert get_public("layerwise.datasets.digits.load_data") is digits.load_data


def test_default_split_shapes_dtypes_and_ranges():
    (x_train, y_train), (x_test, y_test) = digits.load_data()
    assert x_train.shape == (1437, 8, 8) and y_train.shape == (1437,)
    assert x_test.shape == (360, 8, 8) and y_test.shape == (360,)
    for array in (x_train, y_train, x_test, y_test):
        assert array.dtype == np.uint8
    for x in (x_train, x_test):
        assert x.min() >= 0 and x.max() <= 16
    assert x_train.max() == 16
    assert set(y_train.tolist()) == set(range(10)) and set(y_test.tolist()) == set(range(10))


@pytest.mark.parametrize("test_split, n_train", [(0.0, N), (0.1, 1617), (0.25, 1347), (0.5, 898), (0.99, 17)])
def test_split_sizes(test_split, n_train):
    (x_train, y_train), (x_test, y_test) = digits.load_data(test_split=test_split)
    assert n_train == int(N * (1 - test_split))
    assert len(x_train) == len(y_train) == n_train
    assert len(x_test) == len(y_test) == N - n_train
    assert x_test.shape[1:] == (8, 8)


def test_split_is_a_seeded_permutation_of_sklearn_digits():
    bunch = sklearn_datasets.load_digits()
    (x_train, y_train), (x_test, y_test) = digits.load_data(test_split=0.2, seed=7)
    x = np.concatenate([x_train, x_test])
    y = np.concatenate([y_train, y_test])
    order = np.arange(N)
    np.random.RandomState(7).shuffle(order)
    np.testing.assert_array_equal(x, bunch.images[order].astype(np.uint8))
    np.testing.assert_array_equal(y, bunch.target[order].astype(np.uint8))
    np.testing.assert_array_equal(bunch.images[order], x.astype(np.float64))  # no value lost to uint8


def test_same_seed_same_split_other_seed_other_split():
    first = digits.load_data(seed=113)
    again = digits.load_data(seed=113)
    other = digits.load_data(seed=114)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a[0], b[0])
        np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(first[0][1], other[0][1])
    # Same samples overall, whatever the seed.
    assert sorted(np.concatenate([first[0][1], first[1][1]]).tolist()) == sorted(
        np.concatenate([other[0][1], other[1][1]]).tolist()
    )


def test_numpy_scalar_arguments():
    (x_train, _), (x_test, _) = digits.load_data(test_split=np.float32(0.5), seed=np.int64(3))
    assert len(x_train) + len(x_test) == N


@pytest.mark.parametrize("test_split", [1, 1.0, -0.1, 1.5, float("nan"), float("inf")])
def test_test_split_out_of_range(test_split):
    with pytest.raises(ValueError, match=r"test_split.*\[0, 1\)"):
        digits.load_data(test_split=test_split)


@pytest.mark.parametrize("test_split", ["0.2", None, True])
def test_test_split_wrong_type(test_split):
    with pytest.raises(TypeError, match="test_split"):
        digits.load_data(test_split=test_split)


@pytest.mark.parametrize("seed, error", [(-1, ValueError), (1.5, TypeError), ("1", TypeError), (2**32, ValueError)])
def test_bad_seed(seed, error):
    with pytest.raises(error, match="seed"):
        digits.load_data(seed=seed)


def test_missing_sklearn_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(ImportError, match="pip install scikit-learn"):
        digits.load_data()


def test_returns_keras_style_nested_tuples():
    result = digits.load_data()
    assert isinstance(result, tuple) and len(result) == 2
    for part in result:
        assert isinstance(part, tuple) and len(part) == 2
        assert all(isinstance(a, np.ndarray) for a in part)
    (x_train, y_train), (x_test, y_test) = result
    assert len(x_train) == len(y_train) and len(x_test) == len(y_test)
