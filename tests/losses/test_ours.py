"""The losses beyond Keras: Jensen-Shannon divergence and Wasserstein (WGAN critic) loss."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise as keras
from tests.losses.conftest import categorical_data, np_jsd, np_reduce, np_wasserstein, t, to_np


@pytest.mark.parametrize("dtype,tol", [(torch.float64, 1e-10), (torch.float32, 2e-5)])
def test_js_divergence_matches_numpy(rng, dtype, tol):
    _, y, p = categorical_data(rng)  # one-hot labels, predictions with exact 0s and 1s
    soft = rng.dirichlet(np.ones(4), size=16)
    for labels in (y, soft):
        out = keras.losses.js_divergence(t(labels, dtype), t(p, dtype))
        assert torch.isfinite(out).all()
        np.testing.assert_allclose(to_np(out), np_jsd(labels, p), rtol=tol, atol=tol)


def test_js_divergence_properties(rng):
    a, b = rng.dirichlet(np.ones(5), size=20), rng.dirichlet(np.ones(5), size=20)
    ab = to_np(keras.losses.js_divergence(t(a, torch.float64), t(b, torch.float64)))
    ba = to_np(keras.losses.js_divergence(t(b, torch.float64), t(a, torch.float64)))
    np.testing.assert_allclose(ab, ba, rtol=1e-12)  # symmetric
    assert (ab >= 0).all() and (ab <= np.log(2)).all()  # bounded by log 2
    assert float(keras.losses.js_divergence(t(a), t(a)).abs().max()) < 1e-6
    # disjoint supports reach log 2 (up to the eps clip); with mass 1/2 on a shared class, by hand
    out = keras.losses.js_divergence(t([[1.0, 0.0]], torch.float64), t([[0.0, 1.0]], torch.float64))
    assert float(out) == pytest.approx(np.log(2), abs=1e-5)
    half = keras.losses.js_divergence(t([[0.5, 0.5, 0.0]], torch.float64), t([[0.5, 0.0, 0.5]], torch.float64))
    # m = (1/2, 1/4, 1/4): KL(t || m) = 1/2 log(2) = KL(p || m)
    assert float(half) == pytest.approx(0.5 * np.log(2), abs=1e-5)
    # its gradient is finite even at exact zeros
    p = torch.tensor([[0.0, 1.0]], requires_grad=True)
    (grad,) = torch.autograd.grad(keras.losses.js_divergence(torch.tensor([[1.0, 0.0]]), p).sum(), p)
    assert torch.isfinite(grad).all()


def test_wasserstein_matches_numpy_and_convention(rng):
    y = np.where(rng.uniform(size=(8, 1)) > 0.5, 1.0, -1.0)
    p = rng.normal(size=(8, 1))
    np.testing.assert_allclose(to_np(keras.losses.wasserstein(t(y, torch.float64), t(p, torch.float64))),
                               np_wasserstein(y, p), rtol=1e-12)
    # a real batch (-1) and a fake batch (+1): the critic's loss is mean(fake) - mean(real)
    real, fake = rng.normal(2, 1, size=(6, 1)), rng.normal(-1, 1, size=(6, 1))
    loss = keras.losses.Wasserstein()
    total = loss(-np.ones((6, 1)), t(real)) + loss(np.ones((6, 1)), t(fake))
    assert float(total) == pytest.approx(fake.mean() - real.mean(), rel=1e-5)
    # minimising it raises real scores and lowers fake ones
    scores = t(np.vstack([real, fake])).requires_grad_(True)
    labels = torch.tensor([[-1.0]] * 6 + [[1.0]] * 6)
    (grad,) = torch.autograd.grad(loss(labels, scores), scores)
    assert (grad[:6] < 0).all() and (grad[6:] > 0).all()


@pytest.mark.parametrize("cls,ref", [(keras.losses.JSDivergence, np_jsd), (keras.losses.Wasserstein, np_wasserstein)])
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "mean_with_sample_weight", "none"])
def test_our_classes_reduce(rng, cls, ref, reduction):
    y, p = rng.dirichlet(np.ones(3), size=6), rng.dirichlet(np.ones(3), size=6)
    w = rng.uniform(0, 2, size=6)
    out = cls(reduction=reduction, dtype="float64")(t(y, torch.float64), t(p, torch.float64), sample_weight=w)
    np.testing.assert_allclose(to_np(out), np_reduce(ref(y, p), w, reduction=reduction), rtol=1e-10)
    assert isinstance(keras.losses.get(cls.__name__), cls)
    assert keras.losses.get(cls().name) is getattr(keras.losses, cls().name)  # the function of the same name
