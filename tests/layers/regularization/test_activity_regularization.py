"""ActivityRegularization: identity output, the per-sample L1/L2 penalty in layer.losses and in
the training loss, config, errors, Keras parity of the penalty."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


def test_common_checks_and_identity():
    x = torch.randn(4, 3)
    out = run_layer_test(keras.layers.ActivityRegularization, {"l1": 0.1, "l2": 0.2}, input_data=x,
                         expected_output_shape=(4, 3), expected_num_trainable_weights=0, supports_masking=True)
    assert torch.equal(out, x)


def test_penalty_is_per_sample_and_replaced_at_each_call():
    layer = keras.layers.ActivityRegularization(l1=0.5, l2=2.0)
    x = torch.tensor([[1.0, -2.0], [3.0, 0.0], [0.0, -1.0]])
    layer(x)
    # (0.5 * (1 + 2 + 3 + 1) + 2 * (1 + 4 + 9 + 1)) / 3 samples
    np.testing.assert_allclose([float(v) for v in layer.losses], [(3.5 + 30.0) / 3], rtol=1e-6)
    model = keras.Sequential([keras.Input((2,)), keras.layers.ActivityRegularization(l1=0.5, l2=2.0)])
    model(x)
    model(x[:1])  # each call replaces the penalty of the previous one
    np.testing.assert_allclose([float(v) for v in model.losses], [0.5 * 3 + 2 * 5], rtol=1e-6)


def test_gradient_of_the_penalty():
    layer = keras.layers.ActivityRegularization(l2=1.0)
    x = torch.tensor([[1.0, -2.0], [0.5, 0.0]], requires_grad=True)
    layer(x)
    layer.losses[0].backward()
    torch.testing.assert_close(x.grad, 2 * x.detach() / 2)


def test_penalty_enters_the_training_loss():
    model = keras.Sequential([keras.Input((2,)), keras.layers.ActivityRegularization(l2=1.0)])
    model.compile(optimizer="sgd", loss="mse")
    x = np.array([[1.0, 2.0], [3.0, 0.0]], dtype="float32")
    loss = model.evaluate(x, x, verbose=0)
    assert loss == pytest.approx((5 + 9) / 2, rel=1e-5)  # mse 0, penalty per sample


def test_config_round_trip():
    layer = keras.layers.ActivityRegularization(l1=0.01, l2=0.02)
    config = layer.get_config()
    assert config["l1"] == 0.01 and config["l2"] == 0.02 and "activity_regularizer" not in config
    revived = keras.layers.ActivityRegularization.from_config(config)
    assert revived.get_config() == config


@pytest.mark.parametrize("kwargs", [{"l1": -1.0}, {"l2": "big"}])
def test_invalid_factors(kwargs):
    name = next(iter(kwargs))
    with pytest.raises(ValueError, match=f"`ActivityRegularization` argument `{name}` must be a number"):
        keras.layers.ActivityRegularization(**kwargs)


@pytest.mark.keras_oracle
def test_parity_with_keras(keras_oracle):
    theirs = keras_oracle.layers.ActivityRegularization(l1=0.3, l2=0.7)
    ours = keras.layers.ActivityRegularization.from_config(theirs.get_config())
    x = np.random.RandomState(0).randn(5, 4).astype("float32")
    theirs(x)
    ours(torch.from_numpy(x))
    expected = [float(keras_oracle.ops.convert_to_numpy(v)) for v in theirs.losses]
    np.testing.assert_allclose([float(v) for v in ours.losses], expected, rtol=1e-6)


@pytest.mark.parametrize("shape", [(3,), (2, 4), (2, 3, 4), (2, 3, 2, 2)])
def test_output_shapes(shape):
    layer = keras.layers.ActivityRegularization(l1=0.1)
    assert tuple(layer(torch.randn(shape)).shape) == shape
    assert layer.compute_output_shape((None,) + shape[1:]) == (None,) + shape[1:]


def test_gradcheck_float64_output_and_penalty():
    x = torch.randn(3, 4, dtype=torch.float64)
    x = x + 0.1 * torch.sign(x)  # away from the kink of |x|
    check_layer_gradients(keras.layers.ActivityRegularization(l1=0.3, l2=0.7, dtype="float64"), x)

    def output_and_penalty(t):
        layer = keras.layers.ActivityRegularization(l1=0.3, l2=0.7, dtype="float64")
        return layer(t), layer.losses[0]

    torch.autograd.gradcheck(output_and_penalty, (x.clone().requires_grad_(),), eps=1e-6, atol=1e-6, rtol=1e-4)
