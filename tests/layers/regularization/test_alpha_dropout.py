"""AlphaDropout: identity at inference; in training dropped units take SELU's saturation value
and an affine map restores zero mean and unit variance for standardised inputs; hand-computed
values, noise_shape, seeds, gradients, config, errors, Keras statistics."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test

ALPHA_P = -1.6732632423543772 * 1.0507009873554805


def _affine(rate):
    a = ((1 - rate) * (1 + rate * ALPHA_P ** 2)) ** -0.5
    return a, -a * ALPHA_P * rate


def test_common_checks_and_inference_identity():
    x = torch.randn(4, 6)
    out = run_layer_test(keras.layers.AlphaDropout, {"rate": 0.3}, input_data=x, expected_output_shape=(4, 6),
                         expected_num_trainable_weights=0, supports_masking=True)
    assert torch.equal(out, x)


def test_values_are_the_affine_map_of_kept_or_saturated_units():
    rate = 0.25
    a, b = _affine(rate)
    x = torch.randn(200, 300)
    y = keras.layers.AlphaDropout(rate, seed=0)(x, training=True)
    dropped = torch.isclose(y, torch.full_like(y, a * ALPHA_P + b))
    torch.testing.assert_close(y[~dropped], a * x[~dropped] + b)
    assert abs(float(dropped.float().mean()) - rate) < 0.01


@pytest.mark.parametrize("rate", [0.1, 0.3])
def test_selu_normalised_inputs_keep_zero_mean_and_unit_variance(rate):
    # SELU of a standard normal has mean 0 and variance 1: the fixed point AlphaDropout preserves
    x = torch.nn.functional.selu(torch.randn(400, 500))
    y = keras.layers.AlphaDropout(rate, seed=1)(x, training=True)
    assert abs(float(y.mean()) - float(x.mean())) < 0.01
    assert abs(float(y.var()) - float(x.var())) < 0.02
    assert abs(float(y.mean())) < 0.01 and abs(float(y.var()) - 1.0) < 0.02


def test_noise_shape_and_gradient():
    layer = keras.layers.AlphaDropout(0.5, noise_shape=(None, 1, 4), seed=2)
    x = torch.randn(6, 3, 4, requires_grad=True)
    y = layer(x, training=True)
    a, b = _affine(0.5)
    kept = torch.isclose(y, a * x.detach() + b)
    assert torch.equal(kept, kept[:, :1, :].expand_as(kept))
    y.sum().backward()
    torch.testing.assert_close(x.grad, kept.float() * a)


def test_seeds_and_config():
    x = torch.randn(3, 5)
    first = keras.layers.AlphaDropout(0.4, seed=3)(x, training=True)
    assert torch.equal(first, keras.layers.AlphaDropout(0.4, seed=3)(x, training=True))
    layer = keras.layers.AlphaDropout(0.4, noise_shape=[None, 5], seed=3)
    config = layer.get_config()
    assert config["noise_shape"] == [None, 5] and config["rate"] == 0.4
    assert keras.layers.AlphaDropout.from_config(config).get_config() == config
    assert torch.equal(keras.layers.AlphaDropout(0.0)(x, training=True), x)


def test_errors():
    with pytest.raises(ValueError, match=r"`AlphaDropout` argument `rate` must be a number in \[0, 1\)"):
        keras.layers.AlphaDropout(1.0)
    with pytest.raises(ValueError, match="`AlphaDropout` argument `noise_shape`"):
        keras.layers.AlphaDropout(0.5, noise_shape=(None, -1))
    with pytest.raises(ValueError, match="alpha_dropout.*does not broadcast"):
        keras.layers.AlphaDropout(0.5, noise_shape=(None, 3))(torch.zeros(2, 4), training=True)


@pytest.mark.keras_oracle
def test_parity_with_keras(keras_oracle):
    theirs = keras_oracle.layers.AlphaDropout(0.2, seed=4)
    ours = keras.layers.AlphaDropout.from_config(theirs.get_config())
    x = np.asarray(torch.nn.functional.selu(torch.randn(400, 500)).numpy())
    np.testing.assert_array_equal(ours(torch.from_numpy(x)).numpy(), keras_oracle.ops.convert_to_numpy(theirs(x)))
    a, b = _affine(0.2)
    for y in (ours(torch.from_numpy(x), training=True).numpy(),
              keras_oracle.ops.convert_to_numpy(theirs(x, training=True))):
        dropped = np.isclose(y, a * ALPHA_P + b)
        np.testing.assert_allclose(y[~dropped], a * x[~dropped] + b, rtol=1e-5, atol=1e-6)
        assert abs(dropped.mean() - 0.2) < 0.01 and abs(y.mean()) < 0.01 and abs(y.var() - 1) < 0.02


@pytest.mark.parametrize("shape,noise_shape", [((3,), None), ((2, 4), None), ((2, 3, 4), (None, 1, 4)),
                                               ((2, 3, 2, 2), (None, 3, 1, 1))])
def test_output_shape_in_training_for_several_ranks(shape, noise_shape):
    layer = keras.layers.AlphaDropout(0.2, noise_shape=noise_shape, seed=0)
    assert tuple(layer(torch.randn(shape), training=True).shape) == shape
    assert layer.compute_output_shape((None,) + shape[1:]) == (None,) + shape[1:]


def test_hand_computed_rate_one_half():
    # rate 0.5: a = (0.5 * (1 + 0.5 * alpha_p^2)) ** -0.5, b = -a * alpha_p * 0.5
    a = (0.5 * (1 + 0.5 * ALPHA_P ** 2)) ** -0.5
    b = -a * ALPHA_P * 0.5
    x = torch.tensor([[2.0, -1.0, 0.0, 4.0, 1.0, -3.0, 0.5, 2.5]])
    y = keras.layers.AlphaDropout(0.5, seed=5)(x, training=True)
    kept = [out == pytest.approx(a * value + b, rel=1e-6) for value, out in zip(x[0].tolist(), y[0].tolist())]
    dropped = [out == pytest.approx(a * ALPHA_P + b, rel=1e-6) for out in y[0].tolist()]
    assert all(k or d for k, d in zip(kept, dropped)) and any(kept) and any(dropped)


def test_gradcheck_float64():
    x = torch.randn(2, 3, 2, dtype=torch.float64)
    check_layer_gradients(keras.layers.AlphaDropout(0.3, dtype="float64"), x)  # inference: identity
    torch.autograd.gradcheck(lambda t: keras.layers.AlphaDropout(0.3, seed=2, dtype="float64")(t, training=True),
                             (x.clone().requires_grad_(),), eps=1e-6, atol=1e-6, rtol=1e-4)
