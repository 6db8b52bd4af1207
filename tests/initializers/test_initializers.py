import math

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise import initializers


@pytest.mark.parametrize("name,bound", [
    ("glorot_uniform", math.sqrt(6 / (300 + 200))), ("he_uniform", math.sqrt(6 / 300)),
    ("lecun_uniform", math.sqrt(3 / 300)),
])
def test_uniform_variance_scaling_bounds_and_std(name, bound):
    w = initializers.get(name)((300, 200)).double()
    assert float(w.abs().max()) <= bound
    assert float(w.std()) == pytest.approx(bound / math.sqrt(3), rel=0.02)
    assert abs(float(w.mean())) < 0.01 * bound


@pytest.mark.parametrize("name,std", [
    ("glorot_normal", math.sqrt(2 / (300 + 200))), ("he_normal", math.sqrt(2 / 300)), ("lecun_normal", math.sqrt(1 / 300)),
])
def test_truncated_normal_variance_scaling_std(name, std):
    w = initializers.get(name)((300, 200)).double()
    assert float(w.std()) == pytest.approx(std, rel=0.02)
    assert float(w.abs().max()) <= 2 * std / 0.87962566103423978 + 1e-9


def test_conv_kernel_fans():
    assert initializers.compute_fans((3, 3, 16, 32)) == (144, 288)
    assert initializers.compute_fans((5,)) == (5, 5)


def test_constant_identity_orthogonal():
    assert torch.equal(initializers.Constant(2.5)((2, 2)), torch.full((2, 2), 2.5))
    assert torch.equal(initializers.get("identity")((2, 3)), torch.eye(2, 3))
    q = initializers.Orthogonal(gain=2.0, seed=1)((6, 4)).double()
    torch.testing.assert_close(q.T @ q, 4 * torch.eye(4, dtype=torch.float64))


def test_random_normal_uniform_and_keras2_uniform_alias():
    w = initializers.RandomNormal(mean=1.0, stddev=0.5, seed=0)((20000,)).double()
    assert float(w.mean()) == pytest.approx(1.0, abs=0.01) and float(w.std()) == pytest.approx(0.5, rel=0.02)
    u = initializers.get("uniform")((10000,))
    assert isinstance(initializers.get("uniform"), initializers.RandomUniform)
    assert float(u.min()) >= -0.05 and float(u.max()) < 0.05


def test_seeded_initializers_are_reproducible_and_unseeded_follow_the_global_seed():
    a = initializers.GlorotUniform(seed=3)((4, 4))
    assert torch.equal(a, initializers.GlorotUniform(seed=3)((4, 4)))
    init = initializers.HeNormal()
    assert torch.equal(init((3, 3)), init((3, 3)))  # an initializer object repeats itself, as in Keras
    keras.utils.set_random_seed(9)
    first = initializers.HeNormal()((3, 3))
    keras.utils.set_random_seed(9)
    assert torch.equal(first, initializers.HeNormal()((3, 3)))


def test_default_dense_initializers():
    layer = keras.layers.Dense(3)
    assert isinstance(layer.kernel_initializer, initializers.GlorotUniform)
    assert isinstance(layer.bias_initializer, initializers.Zeros)


def test_invalid_arguments():
    with pytest.raises(ValueError, match="`VarianceScaling` argument `mode` must be one of"):
        initializers.VarianceScaling(mode="fan_sum")
    with pytest.raises(ValueError, match="`GlorotUniform` argument `seed` must be an integer"):
        initializers.GlorotUniform(seed=1.5)


def test_matches_keras_distribution_parameters(keras_oracle):
    for name in ("glorot_uniform", "he_normal", "lecun_uniform"):
        theirs = keras_oracle.ops.convert_to_numpy(keras_oracle.initializers.get(name)((200, 300)))
        ours = initializers.get(name)((200, 300)).numpy()
        assert np.std(ours) == pytest.approx(np.std(theirs), rel=0.03)
