"""Cosine similarity and Dice against their float64 definitions (zero vectors, axes)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise as keras
from tests.losses.conftest import np_cosine, np_dice, np_reduce, t, to_np


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_cosine_similarity_matches_numpy(rng, axis):
    y, p = rng.normal(size=(6, 5)), rng.normal(size=(6, 5))
    y[0], p[1] = 0.0, 0.0  # zero vectors give 0 (for axis=-1)
    for dtype, tol in [(torch.float64, 1e-12), (torch.float32, 2e-6)]:
        out = keras.losses.cosine_similarity(t(y, dtype), t(p, dtype), axis=axis)
        assert torch.isfinite(out).all()
        np.testing.assert_allclose(to_np(out), np_cosine(y, p, axis), rtol=tol, atol=tol)
    out = keras.losses.cosine_similarity(t(y), t(p))
    assert float(out[0]) == 0.0 and float(out[1]) == 0.0


def test_cosine_similarity_by_hand_and_gradient():
    y = torch.tensor([[1.0, 0.0], [1.0, 1.0], [3.0, 4.0]])
    p = torch.tensor([[5.0, 0.0], [-2.0, -2.0], [-4.0, 3.0]])
    np.testing.assert_allclose(to_np(keras.losses.cosine_similarity(y, p)), [-1.0, 1.0, 0.0], atol=1e-6)
    # the gradient at a zero prediction is finite (no 0 * inf)
    zero = torch.zeros(1, 2, requires_grad=True)
    (grad,) = torch.autograd.grad(keras.losses.cosine_similarity(torch.tensor([[1.0, 0.0]]), zero).sum(), zero)
    assert torch.isfinite(grad).all()
    loss = keras.losses.CosineSimilarity(axis=0, reduction="none")
    np.testing.assert_allclose(to_np(loss(y, p)), np_cosine(y.numpy(), p.numpy(), axis=0), rtol=1e-6)
    assert loss.get_config() == {"name": "cosine_similarity", "reduction": "none", "axis": 0}
    with pytest.raises(ValueError, match=r"`CosineSimilarity` argument `axis` must be an integer; received axis='x'"):
        keras.losses.CosineSimilarity(axis="x")


@pytest.mark.parametrize("axis", [None, (1, 2), (1,), 2])
def test_dice_matches_numpy(rng, axis):
    y = (rng.uniform(size=(4, 3, 5)) > 0.5).astype(np.float64)
    p = rng.uniform(size=(4, 3, 5))
    p[0] = y[0]  # a perfect prediction
    out = keras.losses.dice(t(y, torch.float64), t(p, torch.float64), axis=axis)
    np.testing.assert_allclose(to_np(out), np_dice(y, p, axis), rtol=1e-12, atol=1e-12)
    if axis == (1, 2):
        assert float(out[0]) == pytest.approx(0.0, abs=1e-7)
    # empty masks on both sides: 1 - 0 / eps = 1, finite
    assert float(keras.losses.dice(torch.zeros(2, 3), torch.zeros(2, 3))) == 1.0


def test_dice_class_reduces_like_keras(rng):
    y = (rng.uniform(size=(4, 6)) > 0.5).astype(np.float64)
    p = rng.uniform(size=(4, 6))
    w = rng.uniform(0, 2, size=4)
    per_sample = np_dice(y, p, axis=1)
    for reduction in ("sum_over_batch_size", "sum", "mean_with_sample_weight", "none"):
        loss = keras.losses.Dice(axis=(1,), reduction=reduction, dtype="float64")
        np.testing.assert_allclose(to_np(loss(t(y, torch.float64), t(p, torch.float64), sample_weight=w)),
                                   np_reduce(per_sample, w, reduction=reduction), rtol=1e-12)
    # axis=None: one number for the whole batch, returned as is
    assert float(keras.losses.Dice()(t(y), t(p))) == pytest.approx(float(np_dice(y, p)), rel=1e-6)
    assert keras.losses.Dice(axis=[1, 2]).axis == (1, 2)
    with pytest.raises(ValueError, match="`Dice` argument `axis` must be an integer, a tuple of integers or None"):
        keras.losses.Dice(axis=1.5)
