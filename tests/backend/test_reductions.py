"""``layerwise.backend`` (Keras 2's ``K.*`` functions) checked on numbers against NumPy and hand formulas.

Keras 3 (on its torch backend) is used as an oracle where it exposes the same function.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from layerwise import backend as K

from tests.backend.conftest import RNG, rand, close


# ---- reductions -------------------------------------------------------------------------------
REDUCTIONS = {
    "sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min, "prod": np.prod, "std": np.std, "var": np.var,
}
AXES = [None, 0, 1, -1, (0, 2), [1, 2]]


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions_match_numpy(name, axis, keepdims):
    x = rand(3, 4, 5, low=0.5, high=1.5)
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    expected = REDUCTIONS[name](x.astype("float64"), axis=np_axis, keepdims=keepdims)
    out = getattr(K, name)(torch.from_numpy(x), axis=axis, keepdims=keepdims)
    close(out, expected, rtol=1e-5)


@pytest.mark.parametrize("name", ["any", "all"])
@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("keepdims", [False, True])
def test_logical_reductions_match_numpy(name, axis, keepdims):
    x = (RNG.uniform(size=(3, 4, 5)) > 0.7).astype("float32")
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    expected = getattr(np, name)(x != 0, axis=np_axis, keepdims=keepdims)
    out = getattr(K, name)(torch.from_numpy(x), axis=axis, keepdims=keepdims)
    assert out.dtype == torch.bool
    np.testing.assert_array_equal(K.eval(out), expected)


def test_mean_of_booleans_and_integers_is_floatx():
    out = K.mean(torch.tensor([True, False, True, True]))
    assert out.dtype == torch.float32 and float(out) == 0.75
    close(K.var(torch.tensor([1, 3])), 1.0)


@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_arg_reductions(name):
    x = rand(4, 6)
    reference = getattr(np, name)
    np.testing.assert_array_equal(K.eval(getattr(K, name)(x)), reference(x, axis=-1))
    np.testing.assert_array_equal(K.eval(getattr(K, name)(x, axis=0)), reference(x, axis=0))
    # TensorFlow (and so Keras 2) reads axis=None as axis 0
    np.testing.assert_array_equal(K.eval(getattr(K, name)(x, axis=None)), reference(x, axis=0))
    with pytest.raises(TypeError, match=f"`{name}` argument `axis`"):
        getattr(K, name)(x, axis=(0, 1))
