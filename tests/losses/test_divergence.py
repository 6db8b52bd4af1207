"""KL divergence and the Poisson loss against their float64 definitions (zeros stay finite)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise as keras
from tests.losses.conftest import categorical_data, np_kld, np_poisson, t, to_np


@pytest.mark.parametrize("dtype,tol", [(torch.float64, 1e-10), (torch.float32, 2e-5)])
def test_kl_divergence_matches_numpy(rng, dtype, tol):
    _, y, p = categorical_data(rng)  # one-hot labels (zeros) and predictions with exact 0s and 1s
    soft = rng.dirichlet(np.ones(4), size=16)
    for labels in (y, soft):
        out = keras.losses.kl_divergence(t(labels, dtype), t(p, dtype))
        assert torch.isfinite(out).all()
        np.testing.assert_allclose(to_np(out), np_kld(labels, p), rtol=tol, atol=tol)
    # KL(p || p) = 0 and KL >= 0 between distributions (row 2 of p is not one: scaled by 3)
    assert float(keras.losses.kl_divergence(t(soft, dtype), t(soft, dtype)).abs().max()) < 1e-6
    normalised = p / p.sum(-1, keepdims=True)
    assert float(keras.losses.kl_divergence(t(soft, dtype), t(normalised, dtype)).min()) >= -1e-6
    # by hand: t = (1/2, 1/2), p = (1/4, 3/4)
    out = keras.losses.kl_divergence(t([[0.5, 0.5]], dtype), t([[0.25, 0.75]], dtype))
    assert float(out) == pytest.approx(0.5 * np.log(2) + 0.5 * np.log(2 / 3), rel=1e-6)
    # a certain label against a zero prediction: log(1 / eps), not inf
    assert float(keras.losses.kl_divergence(t([[1.0, 0.0]], dtype), t([[0.0, 1.0]], dtype))) == pytest.approx(
        -np.log(1e-7) - 1e-7 * np.log(1e-7), rel=1e-5)


def test_kl_divergence_aliases_and_class(rng):
    assert keras.losses.kld is keras.losses.kl_divergence and keras.losses.KLD is keras.losses.kl_divergence
    assert keras.losses.get("kullback_leibler_divergence") is keras.losses.kl_divergence
    y, p = rng.dirichlet(np.ones(3), size=5), rng.dirichlet(np.ones(3), size=5)
    out = keras.losses.KLDivergence(reduction="sum")(t(y), t(p))
    assert float(out) == pytest.approx(np_kld(y, p).sum(), rel=1e-5)


@pytest.mark.parametrize("dtype,tol", [(torch.float64, 1e-10), (torch.float32, 2e-5)])
def test_poisson_matches_numpy(rng, dtype, tol):
    y = rng.poisson(3.0, size=(10, 4)).astype(np.float64)
    p = rng.uniform(0, 6, size=(10, 4))
    p[0, :2] = 0.0  # a zero rate: log(eps), finite
    y[0, :2] = [0.0, 2.0]
    out = keras.losses.poisson(t(y, dtype), t(p, dtype))
    assert torch.isfinite(out).all()
    np.testing.assert_allclose(to_np(out), np_poisson(y, p), rtol=tol, atol=tol)
    # the minimum over the rate is at p = y
    rates = torch.linspace(0.5, 6.0, 1101, dtype=torch.float64)[:, None]
    best = rates[torch.argmin(keras.losses.poisson(torch.full_like(rates, 3.0), rates))]
    assert float(best) == pytest.approx(3.0, abs=0.01)
