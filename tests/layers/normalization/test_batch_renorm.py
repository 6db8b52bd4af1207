"""Batch renormalization (BatchNormalization(renorm=True)): a float64 reference of the corrected
training output and of the five statistics, clipping, gradients, Keras parity, argument checks."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.layers.normalization.batch_renorm import validate_clipping
from layerwise.testing import check_layer_gradients
from tests.layers.normalization.conftest import keras_parity, random_weights


def _reference_step(x, weights, momentum, renorm_momentum, eps, clipping):
    """One training call in float64 (channels last): output and the updated statistics."""
    gamma, beta, moving_mean, moving_var, moving_std, renorm_mean, renorm_std = weights
    mean, var = x.mean(axis=0), x.var(axis=0)
    std = np.sqrt(var + eps)
    safe_std = np.maximum(renorm_std, np.sqrt(eps))
    r = std / safe_std
    d = (mean - renorm_mean) / safe_std
    r = np.clip(r, clipping.get("rmin", -np.inf), clipping.get("rmax", np.inf))
    d = np.clip(d, -clipping.get("dmax", np.inf), clipping.get("dmax", np.inf))
    y = ((x - mean) / std * r + d) * gamma + beta
    moving_mean = momentum * moving_mean + (1 - momentum) * mean
    moving_std = momentum * moving_std + (1 - momentum) * std
    renorm_mean = renorm_momentum * renorm_mean + (1 - renorm_momentum) * mean
    renorm_std = renorm_momentum * renorm_std + (1 - renorm_momentum) * std
    moving_var = np.maximum(moving_std ** 2 - eps, 0)
    return y, [gamma, beta, moving_mean, moving_var, moving_std, renorm_mean, renorm_std]


@pytest.mark.parametrize("clipping", [{}, {"rmax": 1.1, "rmin": 0.9, "dmax": 0.05}], ids=["unclipped", "clipped"])
def test_matches_float64_reference_over_training_steps(clipping):
    layer = keras.layers.BatchNormalization(renorm=True, renorm_clipping=clipping, momentum=0.8,
                                            renorm_momentum=0.6, dtype="float64")
    layer(torch.zeros(8, 3, dtype=torch.float64))
    assert [w.name for w in layer.weights] == ["gamma", "beta", "moving_mean", "moving_variance", "moving_stddev",
                                               "renorm_mean", "renorm_stddev"]
    weights = [w.astype("float64") for w in random_weights(layer)]
    layer.set_weights(weights)
    rs = np.random.RandomState(0)
    for _ in range(4):
        x = rs.randn(8, 3) * 2 + 1
        expected, weights = _reference_step(x, weights, 0.8, 0.6, layer.epsilon, clipping)
        np.testing.assert_allclose(layer(torch.from_numpy(x), training=True).detach().numpy(), expected, rtol=1e-10)
        for got, want in zip(layer.get_weights(), weights):
            np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    inference = (x - weights[2]) / np.sqrt(weights[3] + layer.epsilon) * weights[0] + weights[1]
    np.testing.assert_allclose(layer(torch.from_numpy(x)).detach().numpy(), inference, rtol=1e-10)


def test_initial_statistics():
    layer = keras.layers.BatchNormalization(renorm=True, moving_variance_initializer=keras.initializers.Constant(4.0))
    layer(torch.zeros(2, 3))
    np.testing.assert_allclose(layer.moving_stddev.numpy(), [2.0] * 3)
    np.testing.assert_allclose(layer.renorm_stddev.numpy(), [2.0] * 3)
    np.testing.assert_allclose(layer.renorm_mean.numpy(), [0.0] * 3)
    assert len(layer.non_trainable_weights) == 5


def test_inference_gradients():
    layer = keras.layers.BatchNormalization(renorm=True, renorm_clipping={"rmax": 1.5, "dmax": 0.5})
    layer(torch.zeros(5, 2))
    layer.set_weights(random_weights(layer))
    check_layer_gradients(layer, torch.randn(5, 2) * 2 + 1, training=False)


def test_training_gradients_treat_r_and_d_as_constants():
    # gradcheck does not apply: r and d carry no gradient by design (and the statistics move)
    layer = keras.layers.BatchNormalization(renorm=True, renorm_clipping={"rmax": 1.2, "dmax": 0.3}, dtype="float64")
    layer(torch.zeros(6, 3, dtype=torch.float64))
    layer.set_weights(random_weights(layer))
    renorm_mean, renorm_std = layer.renorm_mean.detach().clone(), layer.renorm_stddev.detach().clone()
    x = (torch.randn(6, 3, dtype=torch.float64) * 2 + 1).requires_grad_()
    upstream = torch.randn(6, 3, dtype=torch.float64)
    (layer(x, training=True) * upstream).sum().backward()
    got = [x.grad.clone(), layer.gamma.grad.clone(), layer.beta.grad.clone()]
    x2 = x.detach().clone().requires_grad_()
    gamma = layer.gamma.detach().clone().requires_grad_()
    beta = layer.beta.detach().clone().requires_grad_()
    variance, mean = torch.var_mean(x2, dim=0, correction=0)
    std = torch.sqrt(variance + layer.epsilon)
    r = (std / renorm_std).clamp(max=1.2).detach()
    d = ((mean - renorm_mean) / renorm_std).clamp(-0.3, 0.3).detach()
    (((((x2 - mean) / std) * r + d) * gamma + beta) * upstream).sum().backward()
    for a, b in zip(got, [x2.grad, gamma.grad, beta.grad]):
        torch.testing.assert_close(a, b, rtol=1e-10, atol=1e-12)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [{"renorm": True, "momentum": 0.8},
                                    {"renorm": True, "renorm_clipping": {"rmax": 1.2, "rmin": 0.9, "dmax": 0.1},
                                     "renorm_momentum": 0.7, "axis": 1}], ids=["unclipped", "clipped"])
def test_parity_with_keras(keras_oracle, kwargs):
    x = np.random.RandomState(0).randn(6, 3, 4).astype("float32")
    keras_parity(keras_oracle, "BatchNormalization", kwargs, x, steps=3)


def test_config_round_trip():
    layer = keras.layers.BatchNormalization(renorm=True, renorm_clipping={"rmax": 3.0}, renorm_momentum=0.9)
    config = layer.get_config()
    assert config["renorm"] is True and config["renorm_clipping"] == {"rmax": 3.0}
    assert keras.layers.BatchNormalization.from_config(config).get_config() == config


@pytest.mark.parametrize("clipping,message", [
    ({"rmax": 1.0, "rmin": 2.0}, "rmin <= rmax"),
    ({"dmax": -1.0}, "dmax >= 0"),
    ({"rmaxx": 1.0}, "keys among"),
    ({"rmax": "big"}, "to a number"),
    ([1.0], "must be a dict"),
])
def test_invalid_clipping(clipping, message):
    with pytest.raises(ValueError, match=f"`BatchNormalization` argument `renorm_clipping` .*{message}"):
        validate_clipping(clipping)
    with pytest.raises(ValueError, match=message):
        keras.layers.BatchNormalization(renorm=True, renorm_clipping=clipping)
