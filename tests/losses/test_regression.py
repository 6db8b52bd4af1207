"""MAPE and MSLE against their float64 definitions (MSE and MAE are in ``test_losses.py``)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise as keras
from tests.losses.conftest import EPS, np_mape, np_msle, t, to_np


@pytest.mark.parametrize("dtype,tol", [(torch.float64, 1e-12), (torch.float32, 2e-6)])
def test_mean_absolute_percentage_error(rng, dtype, tol):
    y, p = rng.normal(size=(8, 5)), rng.normal(size=(8, 5))
    out = keras.losses.mean_absolute_percentage_error(t(y, dtype), t(p, dtype))
    np.testing.assert_allclose(to_np(out), np_mape(y, p), rtol=tol)
    # a label of exactly 0 is divided by eps: finite, and |p| / 1e-7 * 100 / (number of entries)
    out = keras.losses.mean_absolute_percentage_error(t([[0.0, 2.0]], dtype), t([[1e-3, 1.0]], dtype))
    assert torch.isfinite(out).all()
    assert float(out) == pytest.approx(100 * (1e-3 / EPS + 0.5) / 2, rel=1e-6)
    # negative labels use |y_true|
    out = keras.losses.mean_absolute_percentage_error(t([[-2.0]], dtype), t([[-1.0]], dtype))
    assert float(out) == pytest.approx(50.0)


@pytest.mark.parametrize("dtype,tol", [(torch.float64, 1e-10), (torch.float32, 1e-5)])
def test_mean_squared_logarithmic_error(rng, dtype, tol):
    y, p = rng.uniform(0, 5, size=(8, 5)), rng.uniform(0, 5, size=(8, 5))
    y[0, :2] = [0.0, -3.0]  # 0 and negative values count as eps
    p[1, :2] = [-1.0, 0.0]
    out = keras.losses.mean_squared_logarithmic_error(t(y, dtype), t(p, dtype))
    assert torch.isfinite(out).all()
    np.testing.assert_allclose(to_np(out), np_msle(y, p), rtol=tol, atol=tol)
    # by hand: log(1 + (e - 1)) - log(1 + 0) = 1
    out = keras.losses.mean_squared_logarithmic_error(t([[0.0]], dtype), t([[np.e - 1]], dtype))
    assert float(out) == pytest.approx(1.0, rel=1e-6)


def test_regression_shapes_follow_keras(rng):
    y, p = rng.uniform(1, 2, size=6), rng.uniform(1, 2, size=(6, 1))
    for fn, ref in [(keras.losses.mape, np_mape), (keras.losses.msle, np_msle)]:
        out = fn(t(y, torch.float64), t(p, torch.float64))
        assert tuple(out.shape) == (6,)  # (n,) against (n, 1): one value per sample
        np.testing.assert_allclose(to_np(out), ref(y[:, None], p), rtol=1e-12)
    # integer inputs are computed in floatx
    out = keras.losses.mean_absolute_percentage_error(torch.tensor([[4]]), torch.tensor([[3]]))
    assert out.dtype == torch.float32 and float(out) == 25.0
