"""GaussianNoise: identity at inference, additive N(0, stddev^2) noise in training (moments over
many draws), seeds, gradients, integer inputs, config, errors, Keras parity of the statistics."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


def test_common_checks_and_inference_identity():
    x = torch.randn(4, 6)
    out = run_layer_test(keras.layers.GaussianNoise, {"stddev": 0.3}, input_data=x, expected_output_shape=(4, 6),
                         expected_num_trainable_weights=0, supports_masking=True)
    assert torch.equal(out, x)


def test_training_adds_centred_noise_of_the_given_stddev():
    layer = keras.layers.GaussianNoise(0.5, seed=0)
    x = torch.linspace(-3, 3, 200_000).reshape(400, 500)
    noise = layer(x, training=True) - x
    assert abs(float(noise.mean())) < 0.005  # standard error 0.5 / sqrt(2e5) ~ 0.0011
    assert abs(float(noise.std()) - 0.5) < 0.005
    assert abs(float((noise * x).mean())) < 0.01  # independent of the input
    assert abs(float((noise[:, 1:] * noise[:, :-1]).mean())) < 0.005  # independent draws


def test_gradient_is_one_and_dtype_is_kept():
    x = torch.randn(3, 4, dtype=torch.float64, requires_grad=True)
    y = keras.layers.GaussianNoise(1.0, dtype="float64")(x, training=True)
    assert y.dtype == torch.float64
    y.sum().backward()
    assert torch.equal(x.grad, torch.ones_like(x))


def test_integer_inputs_become_floats():
    y = keras.layers.GaussianNoise(0.1, seed=1)(torch.ones(2, 3, dtype=torch.int64), training=True)
    assert y.dtype == torch.float32 and not torch.equal(y, torch.ones(2, 3))


def test_seeds():
    x = torch.zeros(3, 5)
    a, b = keras.layers.GaussianNoise(1.0, seed=4), keras.layers.GaussianNoise(1.0, seed=4)
    first = a(x, training=True)
    assert torch.equal(first, b(x, training=True))
    assert not torch.equal(a(x, training=True), first)


def test_stddev_zero_is_identity_and_config_round_trips():
    x = torch.randn(2, 3)
    assert torch.equal(keras.layers.GaussianNoise(0.0)(x, training=True), x)
    layer = keras.layers.GaussianNoise(0.2, seed=9)
    config = layer.get_config()
    assert config["stddev"] == 0.2 and config["seed"] == 9
    assert keras.layers.GaussianNoise.from_config(config).get_config() == config


@pytest.mark.parametrize("stddev", [-0.1, "a", None])
def test_invalid_stddev(stddev):
    with pytest.raises(ValueError, match="`GaussianNoise` argument `stddev` must be a number in"):
        keras.layers.GaussianNoise(stddev)


@pytest.mark.keras_oracle
def test_parity_with_keras(keras_oracle):
    theirs = keras_oracle.layers.GaussianNoise(0.3, seed=5)
    ours = keras.layers.GaussianNoise.from_config(theirs.get_config())
    x = np.random.RandomState(0).randn(200, 500).astype("float32")
    np.testing.assert_array_equal(ours(torch.from_numpy(x)).numpy(), keras_oracle.ops.convert_to_numpy(theirs(x)))
    for y in (ours(torch.from_numpy(x), training=True).numpy(),
              keras_oracle.ops.convert_to_numpy(theirs(x, training=True))):
        noise = y - x
        assert abs(noise.mean()) < 0.005 and abs(noise.std() - 0.3) < 0.005


@pytest.mark.parametrize("shape", [(3,), (2, 4), (2, 3, 4), (2, 3, 2, 2)])
def test_output_shape_in_training_for_several_ranks(shape):
    layer = keras.layers.GaussianNoise(0.2, seed=0)
    assert tuple(layer(torch.randn(shape), training=True).shape) == shape
    assert layer.compute_output_shape((None,) + shape[1:]) == (None,) + shape[1:]


def test_hand_computed_noise_is_the_seeded_draw():
    x = torch.tensor([[1.0, -2.0, 0.5]])
    noise = keras.layers.GaussianNoise(0.5, seed=6)(torch.zeros(1, 3), training=True)
    torch.testing.assert_close(keras.layers.GaussianNoise(0.5, seed=6)(x, training=True), x + noise)


def test_gradcheck_float64():
    x = torch.randn(2, 3, 2, dtype=torch.float64)
    check_layer_gradients(keras.layers.GaussianNoise(0.3, dtype="float64"), x)  # inference: identity
    # training: a fresh layer with the same seed draws the same noise at every evaluation
    torch.autograd.gradcheck(lambda t: keras.layers.GaussianNoise(0.3, seed=2, dtype="float64")(t, training=True),
                             (x.clone().requires_grad_(),), eps=1e-6, atol=1e-6, rtol=1e-4)
