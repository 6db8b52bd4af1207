"""GaussianDropout: identity at inference; in training x * N(1, rate / (1 - rate)), so the mean
is x and the variance rate / (1 - rate) * x^2; seeds, gradients, config, errors, Keras statistics."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


def test_common_checks_and_inference_identity():
    x = torch.randn(4, 6)
    out = run_layer_test(keras.layers.GaussianDropout, {"rate": 0.3}, input_data=x, expected_output_shape=(4, 6),
                         expected_num_trainable_weights=0, supports_masking=True)
    assert torch.equal(out, x)


@pytest.mark.parametrize("rate", [0.2, 0.5])
def test_mean_and_variance_per_element(rate):
    layer = keras.layers.GaussianDropout(rate, seed=0)
    x = torch.tensor([-2.0, 0.5, 3.0])
    draws = layer(x.expand(100_000, 3), training=True)
    np.testing.assert_allclose(draws.mean(0).numpy(), x.numpy(), atol=0.03 * 3)
    np.testing.assert_allclose(draws.var(0).numpy(), (rate / (1 - rate) * x ** 2).numpy(), rtol=0.03)
    assert float(draws[:, 1].min()) < 0 < float(draws[:, 1].max())  # Gaussian, not a 0/scale mask


def test_zero_stays_zero_and_the_gradient_is_the_noise():
    layer = keras.layers.GaussianDropout(0.5, seed=1)
    x = torch.tensor([[0.0, 1.0, 2.0]], requires_grad=True)
    y = layer(x, training=True)
    assert float(y.detach()[0, 0]) == 0.0
    y.sum().backward()
    torch.testing.assert_close(x.grad[0, 1:], y.detach()[0, 1:] / x.detach()[0, 1:])


def test_seeds_and_config():
    x = torch.ones(3, 5)
    a, b = keras.layers.GaussianDropout(0.4, seed=2), keras.layers.GaussianDropout(0.4, seed=2)
    first = a(x, training=True)
    assert torch.equal(first, b(x, training=True)) and not torch.equal(a(x, training=True), first)
    config = a.get_config()
    assert config["rate"] == 0.4 and config["seed"] == 2
    assert keras.layers.GaussianDropout.from_config(config).get_config() == config
    assert torch.equal(keras.layers.GaussianDropout(0.0)(x, training=True), x)


@pytest.mark.parametrize("rate", [1.0, -0.5, "x"])
def test_invalid_rate(rate):
    with pytest.raises(ValueError, match=r"`GaussianDropout` argument `rate` must be a number in \[0, 1\)"):
        keras.layers.GaussianDropout(rate)


@pytest.mark.keras_oracle
def test_parity_with_keras(keras_oracle):
    theirs = keras_oracle.layers.GaussianDropout(0.4, seed=5)
    ours = keras.layers.GaussianDropout.from_config(theirs.get_config())
    x = np.full((400, 500), 2.0, dtype="float32")
    np.testing.assert_array_equal(ours(torch.from_numpy(x)).numpy(), keras_oracle.ops.convert_to_numpy(theirs(x)))
    for y in (ours(torch.from_numpy(x), training=True).numpy(),
              keras_oracle.ops.convert_to_numpy(theirs(x, training=True))):
        assert abs(y.mean() - 2.0) < 0.01 and abs(y.var() / 4.0 - 0.4 / 0.6) < 0.01


@pytest.mark.parametrize("shape", [(3,), (2, 4), (2, 3, 4), (2, 3, 2, 2)])
def test_output_shape_in_training_for_several_ranks(shape):
    layer = keras.layers.GaussianDropout(0.2, seed=0)
    assert tuple(layer(torch.randn(shape), training=True).shape) == shape
    assert layer.compute_output_shape((None,) + shape[1:]) == (None,) + shape[1:]


def test_hand_computed_output_is_x_times_the_seeded_draw():
    x = torch.tensor([[1.0, -2.0, 0.5]])
    factor = keras.layers.GaussianDropout(0.5, seed=6)(torch.ones(1, 3), training=True)
    torch.testing.assert_close(keras.layers.GaussianDropout(0.5, seed=6)(x, training=True), x * factor)


def test_gradcheck_float64():
    x = torch.randn(2, 3, 2, dtype=torch.float64)
    check_layer_gradients(keras.layers.GaussianDropout(0.3, dtype="float64"), x)  # inference: identity
    torch.autograd.gradcheck(lambda t: keras.layers.GaussianDropout(0.3, seed=2, dtype="float64")(t, training=True),
                             (x.clone().requires_grad_(),), eps=1e-6, atol=1e-6, rtol=1e-4)
