"""``layerwise.backend`` (Keras 2's ``K.*`` functions) checked on numbers against NumPy and hand formulas.

Keras 3 (on its torch backend) is used as an oracle where it exposes the same function.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from layerwise import backend as K

from tests.backend.conftest import rand, close


# ---- element-wise -----------------------------------------------------------------------------
@pytest.mark.parametrize("name, reference, low", [
    ("square", np.square, -2.0), ("abs", np.abs, -2.0), ("exp", np.exp, -2.0), ("log", np.log, 0.1),
    ("sign", np.sign, -2.0), ("sqrt", np.sqrt, 0.0), ("tanh", np.tanh, -2.0),
    ("sigmoid", lambda v: 1.0 / (1.0 + np.exp(-v)), -4.0), ("softplus", lambda v: np.log1p(np.exp(v)), -4.0),
    ("softsign", lambda v: v / (1.0 + np.abs(v)), -4.0),
])
def test_unary_functions_match_numpy(name, reference, low):
    x = rand(3, 5, low=low, high=4.0)
    close(getattr(K, name)(torch.from_numpy(x)), reference(x.astype("float64")))


def test_sqrt_of_negative_values_is_zero_not_nan():
    close(K.sqrt(torch.tensor([-4.0, 0.0, 4.0])), [0.0, 0.0, 2.0])


def test_round_halves_to_even_like_numpy():
    x = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.7, -0.2], dtype="float32")
    close(K.round(torch.from_numpy(x)), np.round(x))


def test_pow():
    x = rand(4, low=0.5, high=2.0)
    close(K.pow(torch.from_numpy(x), 3), x.astype("float64") ** 3)
    close(K.pow(torch.from_numpy(x), torch.tensor(0.5)), np.sqrt(x))


def test_clip():
    x = rand(4, 5)
    close(K.clip(torch.from_numpy(x), -0.5, 0.7), np.clip(x, -0.5, 0.7))
    close(K.clip(torch.from_numpy(x), None, 0.7), np.minimum(x, 0.7))
    close(K.clip(torch.from_numpy(x), -0.5, None), np.maximum(x, -0.5))
    # Keras 2: a max below the min is raised to the min
    close(K.clip(torch.from_numpy(x), 0.5, 0.1), np.full_like(x, 0.5))


@pytest.mark.parametrize("name", ["maximum", "minimum", "equal", "not_equal", "greater", "greater_equal", "less",
                                  "less_equal"])
def test_binary_functions_broadcast_like_numpy(name):
    x = np.round(rand(3, 4), 1)
    y = np.round(rand(4), 1)
    y[0] = x[0, 0]  # at least one tie
    out = getattr(K, name)(torch.from_numpy(x), torch.from_numpy(y))
    np.testing.assert_array_equal(K.eval(out), getattr(np, name)(x, y))
