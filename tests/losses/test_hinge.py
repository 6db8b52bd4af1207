"""Hinge losses against their float64 definitions, with -1/1 and 0/1 labels."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise as keras
from tests.losses.conftest import np_categorical_hinge, np_hinge, np_squared_hinge, t, to_np


@pytest.mark.parametrize("labels", ["0/1", "-1/1", "mixed"])
@pytest.mark.parametrize("dtype,tol", [(torch.float64, 1e-12), (torch.float32, 2e-6)])
def test_hinge_and_squared_hinge_match_numpy(rng, labels, dtype, tol):
    y01 = rng.integers(0, 2, size=(10, 3)).astype(np.float64)
    y = {"0/1": y01, "-1/1": 2 * y01 - 1, "mixed": np.where(y01 > 0, 1.0, -1.0) * (rng.uniform(size=(10, 3)) > 0.2)}[
        labels]
    p = rng.normal(0, 2, size=(10, 3))
    p[0] = [1.0, -1.0, 0.0]  # on the margin
    for fn, ref in [(keras.losses.hinge, np_hinge), (keras.losses.squared_hinge, np_squared_hinge)]:
        out = fn(t(y, dtype), t(p, dtype))
        np.testing.assert_allclose(to_np(out), ref(y, p), rtol=tol, atol=tol)


def test_hinge_converts_binary_labels_on_the_device():
    # labels 0/1 are read as -1/1: the same loss as with -1/1 labels
    p = torch.tensor([[0.3, -2.0], [1.5, 0.2]])
    torch.testing.assert_close(keras.losses.hinge(torch.tensor([[1.0, 0.0], [0.0, 1.0]]), p),
                               keras.losses.hinge(torch.tensor([[1.0, -1.0], [-1.0, 1.0]]), p))
    # by hand: y = 1, p = 0.3 -> 0.7; y = -1, p = -2 -> 0 ; y = -1, p = 1.5 -> 2.5; y = 1, p = 0.2 -> 0.8
    np.testing.assert_allclose(to_np(keras.losses.hinge(torch.tensor([[1.0, 0.0], [0.0, 1.0]]), p)),
                               [0.35, 1.65], rtol=1e-6)
    np.testing.assert_allclose(to_np(keras.losses.squared_hinge(torch.tensor([[1.0, 0.0], [0.0, 1.0]]), p)),
                               [0.49 / 2, (6.25 + 0.64) / 2], rtol=1e-6)
    # labels (n,) against scores (n, 1) in the class: one value per sample, not an (n, n) broadcast
    loss = keras.losses.Hinge(reduction="none")
    assert tuple(loss(torch.tensor([1.0, 0.0, 1.0]), torch.tensor([[0.5], [0.5], [2.0]])).shape) == (3,)


@pytest.mark.parametrize("dtype,tol", [(torch.float64, 1e-12), (torch.float32, 2e-6)])
def test_categorical_hinge_matches_numpy(rng, dtype, tol):
    labels = rng.integers(0, 5, size=12)
    y = np.eye(5)[labels]
    p = rng.normal(size=(12, 5))
    p[0] = 10 * y[0]  # a confident right answer: 0
    out = keras.losses.categorical_hinge(t(y, dtype), t(p, dtype))
    np.testing.assert_allclose(to_np(out), np_categorical_hinge(y, p), rtol=tol, atol=tol)
    assert float(out[0]) == 0.0
    # by hand: true score 0.5, best other 0.9 -> 1.4
    assert float(keras.losses.categorical_hinge(t([[0, 1, 0]], dtype), t([[0.2, 0.5, 0.9]], dtype))) == \
        pytest.approx(1.4)
