"""Huber and log-cosh against their float64 definitions, at the joint and far out."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise as keras
from tests.losses.conftest import np_huber, np_log_cosh, t, to_np


@pytest.mark.parametrize("delta", [0.5, 1.0, 3.0])
@pytest.mark.parametrize("dtype,tol", [(torch.float64, 1e-12), (torch.float32, 2e-6)])
def test_huber_matches_numpy(rng, delta, dtype, tol):
    y, p = rng.normal(0, 3, size=(10, 4)), rng.normal(0, 3, size=(10, 4))
    p[0] = y[0] + [delta, -delta, 0.0, 1e3]  # exactly at the joint, no error, far out
    out = keras.losses.huber(t(y, dtype), t(p, dtype), delta=delta)
    np.testing.assert_allclose(to_np(out), np_huber(y, p, delta), rtol=tol, atol=tol)


def test_huber_by_hand_and_continuity():
    # delta=1: e=0.5 -> 0.125 (quadratic), e=3 -> 3 - 0.5 = 2.5 (linear)
    out = keras.losses.huber(t([[0.0, 0.0]], torch.float64), t([[0.5, 3.0]], torch.float64))
    assert float(out) == pytest.approx((0.125 + 2.5) / 2)
    # value and slope agree on both sides of |e| = delta
    delta = 2.0
    e = torch.tensor([[delta - 1e-6], [delta + 1e-6]], dtype=torch.float64, requires_grad=True)
    values = keras.losses.huber(torch.zeros_like(e), e, delta=delta)
    (grad,) = torch.autograd.grad(values.sum(), e)
    assert abs(float(values[0].detach() - values[1].detach())) < 1e-5
    np.testing.assert_allclose(grad.numpy().ravel(), [delta, delta], atol=1e-5)
    # the class: delta must be positive
    with pytest.raises(ValueError, match=r"`Huber` argument `delta` must be a number in \(0, inf\); received delta=0"):
        keras.losses.Huber(delta=0)
    assert keras.losses.Huber(delta=2).get_config() == {"name": "huber_loss", "reduction": "sum_over_batch_size",
                                                         "delta": 2.0}


@pytest.mark.parametrize("dtype,tol", [(torch.float64, 1e-12), (torch.float32, 2e-6)])
def test_log_cosh_matches_numpy_without_overflow(rng, dtype, tol):
    y, p = rng.normal(size=(10, 4)), rng.normal(size=(10, 4))
    p[0] = y[0] + [0.0, 1e-4, 100.0, -1000.0]  # cosh(1000) overflows; log(cosh) must not
    p[1] = y[1] + [19.999, 20.0, -20.001, 1e-3]  # both sides of the switch between the two forms
    out = keras.losses.log_cosh(t(y, dtype), t(p, dtype))
    assert torch.isfinite(out).all()
    np.testing.assert_allclose(to_np(out), np_log_cosh(y, p), rtol=tol, atol=tol)
    # small errors: x**2 / 2 to float precision (Keras's form is 5% off here in float32); large: |x| - log(2)
    assert float(keras.losses.log_cosh(t([[0.0]], dtype), t([[1e-3]], dtype))) == pytest.approx(5e-7, rel=1e-6)
    assert float(keras.losses.log_cosh(t([[0.0]], dtype), t([[-50.0]], dtype))) == pytest.approx(50 - np.log(2))
    # the gradient is tanh(error), finite far out
    e = torch.tensor([[-1000.0, 0.3, 1000.0]], dtype=dtype, requires_grad=True)
    (grad,) = torch.autograd.grad(keras.losses.log_cosh(torch.zeros_like(e), e).sum(), e)
    np.testing.assert_allclose(to_np(grad), np.tanh([[-1000.0, 0.3, 1000.0]]) / 3, rtol=1e-6)
