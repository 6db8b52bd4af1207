"""Shared helpers for the ``layerwise.backend`` tests: seeded random data and a checked comparison."""

from __future__ import annotations

import numpy as np
import torch

from layerwise import backend as K

RNG = np.random.default_rng(0)
EPS = 1e-7


def rand(*shape, low=-2.0, high=2.0):
    return RNG.uniform(low, high, size=shape).astype("float32")


def close(actual, expected, rtol=1e-5, atol=1e-6):
    actual = K.get_value(actual) if isinstance(actual, torch.Tensor) else np.asarray(actual)
    expected = np.asarray(expected)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


def oracle_numpy(tensor):
    return tensor.detach().cpu().numpy()
