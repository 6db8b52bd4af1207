"""BatchNormalization: shapes, hand-computed values, a float64 reference over several training
steps, gradients, Keras parity (training outputs, moving statistics, inference), the training
flag, masks, convergence in fit, errors, and no host synchronisation in a training call."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test
from layerwise.trainers.step_capture import HostSyncProbe
from tests.layers.normalization.conftest import (
    case_id,
    keras_parity,
    random_weights,
    reference_batch_norm_step,
)

CASES = [  # (kwargs, input shape): every rank 2-5, channels last, first and in the middle
    ({}, (6, 4)),
    ({"axis": -1}, (3, 5, 4)),
    ({"axis": 1}, (2, 3, 4, 5)),
    ({"axis": -1, "momentum": 0.5}, (2, 4, 5, 3)),
    ({"axis": 2, "epsilon": 1e-5}, (2, 3, 4, 2, 3)),
    ({"axis": 1, "center": False}, (3, 2, 4)),
    ({"scale": False, "momentum": 0.9}, (5, 3)),
    ({"center": False, "scale": False, "axis": -2}, (4, 3, 2)),
]


@pytest.mark.parametrize("kwargs,shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_common_checks(kwargs, shape):
    trainable = int(kwargs.get("center", True)) + int(kwargs.get("scale", True))
    out = run_layer_test(keras.layers.BatchNormalization, kwargs, input_shape=shape, expected_output_shape=shape,
                         expected_num_trainable_weights=trainable, expected_num_non_trainable_weights=2,
                         supports_masking=True)
    assert out.dtype == torch.float32


def test_hand_computed_training_and_inference():
    layer = keras.layers.BatchNormalization(momentum=0.75, epsilon=0.0)
    x = torch.tensor([[0.0, 10.0], [2.0, 10.0], [4.0, 16.0]])
    # channel 0: mean 2, biased variance 8/3; channel 1: mean 12, variance 8
    out = layer(x, training=True)
    np.testing.assert_allclose(out.detach().numpy()[:, 0], np.array([-2, 0, 2]) / np.sqrt(8 / 3), rtol=1e-6)
    np.testing.assert_allclose(out.detach().numpy()[:, 1], np.array([-2, -2, 4]) / np.sqrt(8), rtol=1e-6)
    # moving = 0.75 * (0, 1) + 0.25 * batch
    np.testing.assert_allclose(layer.moving_mean.detach().numpy(), [0.5, 3.0], rtol=1e-6)
    np.testing.assert_allclose(layer.moving_variance.detach().numpy(), [0.75 + 2 / 3, 0.75 + 2.0], rtol=1e-6)
    layer.set_weights([np.array([2.0, 1.0]), np.array([1.0, 0.0]), np.array([1.0, 2.0]), np.array([4.0, 1.0])])
    out = layer(x)  # inference: gamma * (x - moving_mean) / sqrt(moving_var) + beta
    np.testing.assert_allclose(out.detach().numpy(), [[0.0, 8.0], [2.0, 8.0], [4.0, 14.0]], rtol=1e-6)


@pytest.mark.parametrize("kwargs,shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_matches_float64_reference_over_training_steps(kwargs, shape):
    layer = keras.layers.BatchNormalization(**kwargs, dtype="float64")
    layer(torch.zeros(shape, dtype=torch.float64))  # builds (inference: the statistics stay as they are)
    layer.set_weights(random_weights(layer))
    gamma = layer.gamma.detach().numpy().copy() if layer.gamma is not None else None
    beta = layer.beta.detach().numpy().copy() if layer.beta is not None else None
    mean, var = layer.moving_mean.detach().numpy().copy(), layer.moving_variance.detach().numpy().copy()
    momentum, eps, axis = layer.momentum, layer.epsilon, layer.axis
    rs = np.random.RandomState(0)
    for _ in range(4):
        x = rs.randn(*shape) * rs.uniform(0.5, 3) + rs.uniform(-2, 2)
        expected, mean, var = reference_batch_norm_step(x, gamma, beta, mean, var, axis, momentum, eps)
        got = layer(torch.from_numpy(x), training=True)
        np.testing.assert_allclose(got.detach().numpy(), expected, rtol=1e-10, atol=1e-10)
        np.testing.assert_allclose(layer.moving_mean.detach().numpy(), mean, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(layer.moving_variance.detach().numpy(), var, rtol=1e-12, atol=1e-12)
    expected, _, _ = reference_batch_norm_step(x, gamma, beta, mean, var, axis, momentum, eps, training=False)
    np.testing.assert_allclose(layer(torch.from_numpy(x)).detach().numpy(), expected, rtol=1e-10, atol=1e-10)


def test_keras_defaults_weight_order_and_inference_with_moving_statistics():
    layer = keras.layers.BatchNormalization()
    assert (layer.momentum, layer.epsilon, layer.axis, layer.center, layer.scale) == (0.99, 1e-3, -1, True, True)
    x = torch.tensor([[0.0, 10.0], [2.0, 10.0], [4.0, 16.0]])
    layer(x)
    assert [w.name for w in layer.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert [w.name for w in layer.trainable_weights] == ["gamma", "beta"]
    layer.set_weights([np.array([2.0, 1.0]), np.array([1.0, 0.0]), np.array([1.0, 2.0]), np.array([3.999, 0.999])])
    np.testing.assert_allclose(layer.gamma.detach().numpy(), [2.0, 1.0])
    np.testing.assert_allclose(layer.moving_variance.detach().numpy(), [3.999, 0.999], rtol=1e-6)
    # inference: gamma * (x - moving_mean) / sqrt(moving_variance + 1e-3) + beta, for any batch
    expected = [[0.0, 8.0], [2.0, 8.0], [4.0, 14.0]]
    np.testing.assert_allclose(layer(x, training=False).detach().numpy(), expected, rtol=1e-6)
    np.testing.assert_allclose(layer(x[:1]).detach().numpy(), expected[:1], rtol=1e-6)
    # training: batch statistics out, moving = 0.99 * moving + 0.01 * batch
    layer(x, training=True)
    np.testing.assert_allclose(layer.moving_mean.detach().numpy(), [0.99 * 1 + 0.01 * 2, 0.99 * 2 + 0.01 * 12],
                               rtol=1e-6)
    np.testing.assert_allclose(layer.moving_variance.detach().numpy(),
                               [0.99 * 3.999 + 0.01 * 8 / 3, 0.99 * 0.999 + 0.01 * 8], rtol=1e-6)


def test_moving_variance_uses_the_biased_batch_variance():
    layer = keras.layers.BatchNormalization(momentum=0.0)  # moving stats = last batch's
    x = torch.tensor([[1.0], [3.0]])
    layer(x, training=True)
    assert float(layer.moving_variance) == pytest.approx(1.0)  # not the unbiased 2.0
    assert float(layer.moving_mean) == pytest.approx(2.0)


def test_one_value_per_channel_in_training():
    layer = keras.layers.BatchNormalization(momentum=0.5, beta_initializer="ones")
    out = layer(torch.tensor([[3.0, -1.0]]), training=True)  # a batch of one: x - mean = 0, var = 0
    np.testing.assert_allclose(out.detach().numpy(), [[1.0, 1.0]])
    np.testing.assert_allclose(layer.moving_mean.detach().numpy(), [1.5, -0.5])
    np.testing.assert_allclose(layer.moving_variance.detach().numpy(), [0.5, 0.5])


@pytest.mark.parametrize("kwargs,shape", [({}, (5, 3)), ({"axis": 1}, (2, 3, 4, 2)), ({"axis": 2}, (2, 2, 3, 2)),
                                          ({"center": False}, (4, 3, 2))], ids=case_id)
@pytest.mark.parametrize("training", [True, False])
def test_gradients(kwargs, shape, training):
    layer = keras.layers.BatchNormalization(**kwargs)
    layer(torch.zeros(shape))
    layer.set_weights(random_weights(layer))
    check_layer_gradients(layer, torch.randn(shape) * 2 + 1, training=training)


def test_gradients_with_a_mask():
    layer = keras.layers.BatchNormalization(gamma_initializer="random_uniform")
    x = torch.randn(3, 4, 2, dtype=torch.float64)
    mask = torch.tensor([[1, 1, 0, 1], [1, 0, 0, 1], [1, 1, 1, 1]], dtype=torch.bool)
    layer(x.float())
    layer = layer.double()
    params = [layer.gamma.detach().clone().requires_grad_(), layer.beta.detach().clone().requires_grad_()]

    def run(inputs, gamma, beta):
        return torch.func.functional_call(layer, {"gamma": gamma, "beta": beta}, (inputs,),
                                          {"training": True, "mask": mask})

    torch.autograd.gradcheck(run, (x.clone().requires_grad_(), *params), eps=1e-6, atol=1e-6, rtol=1e-4)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs,shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_parity_with_keras(keras_oracle, kwargs, shape):
    x = np.random.RandomState(0).randn(*shape).astype("float32")
    keras_parity(keras_oracle, "BatchNormalization", kwargs, x, steps=3)


@pytest.mark.keras_oracle
def test_parity_with_keras_masked_and_batch_of_one(keras_oracle):
    rs = np.random.RandomState(0)
    mask = rs.rand(3, 5) > 0.4
    keras_parity(keras_oracle, "BatchNormalization", {"momentum": 0.8}, rs.randn(3, 5, 4).astype("float32"),
                 steps=3, mask=mask)
    keras_parity(keras_oracle, "BatchNormalization", {"momentum": 0.8}, rs.randn(1, 4).astype("float32"), steps=2)


def test_mask_excludes_positions_from_the_statistics():
    layer = keras.layers.BatchNormalization(momentum=0.0, epsilon=0.0)
    x = torch.tensor([[[1.0], [3.0], [1000.0]]])
    mask = torch.tensor([[True, True, False]])
    out = layer(x, training=True, mask=mask)
    np.testing.assert_allclose(layer.moving_mean.detach().numpy(), [2.0], rtol=1e-6)  # (1 + 3) / (2 + 1e-7)
    np.testing.assert_allclose(layer.moving_variance.detach().numpy(), [1.0], rtol=1e-6)
    np.testing.assert_allclose(out.detach().numpy().ravel()[:2], [-1.0, 1.0], rtol=1e-6)
    assert torch.equal(layer(x, mask=mask), layer(x))  # inference ignores the mask


def test_mask_from_embedding_flows_in():
    model = keras.Sequential([keras.Input((4,), dtype="int64"), keras.layers.Embedding(5, 2, mask_zero=True),
                              keras.layers.BatchNormalization(momentum=0.0)])
    x = torch.tensor([[1, 2, 0, 0], [3, 0, 0, 0]])
    model(x, training=True)
    embedded = model.layers[0](x).detach()[x != 0]
    bn = model.layers[1]
    np.testing.assert_allclose(bn.moving_mean.detach().numpy(), embedded.mean(0).numpy(), rtol=1e-5)


def test_inference_mode_leaves_statistics_alone():
    layer = keras.layers.BatchNormalization()
    x = torch.randn(8, 3) + 5
    layer(x)
    assert torch.equal(layer.moving_mean, torch.zeros(3))
    layer(x, training=True)
    assert not torch.equal(layer.moving_mean, torch.zeros(3))


def test_trainable_false_runs_in_inference_mode():
    layer = keras.layers.BatchNormalization()
    x = torch.randn(8, 3) * 3 + 5
    layer.trainable = False
    before = [w.clone() for w in layer.weights] if layer.built else None
    out = layer(x, training=True)
    assert before is None
    np.testing.assert_allclose(out.detach().numpy(), (x / np.sqrt(1.001)).numpy(), rtol=1e-6)
    assert torch.equal(layer.moving_mean, torch.zeros(3)) and torch.equal(layer.moving_variance, torch.ones(3))
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 4


def test_training_flag_follows_the_model_call():
    model = keras.Sequential([keras.Input((3,)), keras.layers.BatchNormalization(momentum=0.5)])
    bn = model.layers[0]
    x = torch.randn(16, 3) + 4
    model(x)
    assert torch.equal(bn.moving_mean, torch.zeros(3))
    model(x, training=True)
    np.testing.assert_allclose(bn.moving_mean.detach().numpy(), 0.5 * x.mean(0).numpy(), rtol=1e-5)
    model.train()  # torch mode trains too
    model(x)
    np.testing.assert_allclose(bn.moving_mean.detach().numpy(), 0.75 * x.mean(0).numpy(), rtol=1e-5)


def test_fit_moving_statistics_converge_to_the_data_statistics():
    rs = np.random.RandomState(0)
    mean, std = np.array([3.0, -2.0, 0.5]), np.array([2.0, 0.5, 1.0])
    x = (rs.randn(1024, 3) * std + mean).astype("float32")
    y = x.sum(axis=1, keepdims=True)
    model = keras.Sequential([keras.Input((3,)), keras.layers.BatchNormalization(momentum=0.9), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, batch_size=32, epochs=3, verbose=0)
    bn = model.layers[0]
    np.testing.assert_allclose(bn.moving_mean.detach().numpy(), x.mean(0), atol=0.1 * std.max())
    # the average biased batch variance is var * (1 - 1/32)
    np.testing.assert_allclose(bn.moving_variance.detach().numpy(), x.var(0) * 31 / 32, rtol=0.15)


def test_training_call_has_no_host_synchronisation():
    layer = keras.layers.BatchNormalization(axis=1)
    x = torch.randn(4, 3, 5, 5)
    layer(x)  # build
    with HostSyncProbe() as probe:
        out = layer(x, training=True)
        out.square().sum().backward()
    assert probe.blockers == []


def test_statistics_are_updated_in_place():
    layer = keras.layers.BatchNormalization()
    layer(torch.zeros(2, 3))
    mean, var = layer.moving_mean, layer.moving_variance
    pointers = mean.data_ptr(), var.data_ptr()
    layer(torch.randn(4, 3), training=True)
    assert layer.moving_mean is mean and layer.moving_variance is var
    assert (mean.data_ptr(), var.data_ptr()) == pointers


def test_mixed_precision_policy():
    x = torch.randn(8, 4) * 2 + 1
    reference = keras.layers.BatchNormalization()
    expected = reference(x, training=True)
    layer = keras.layers.BatchNormalization(dtype="mixed_bfloat16")
    out = layer(x, training=True)
    assert out.dtype == torch.bfloat16 and layer.moving_mean.dtype == torch.float32
    np.testing.assert_allclose(out.float().detach().numpy(), expected.detach().numpy(), atol=0.05)
    np.testing.assert_allclose(layer.moving_mean.numpy(), reference.moving_mean.numpy(), atol=1e-2)
    inference = layer(x)
    assert inference.dtype == torch.bfloat16
    np.testing.assert_allclose(inference.float().detach().numpy(), reference(x).detach().numpy(), atol=0.05)
    half = keras.layers.BatchNormalization(dtype="float16")  # float16 statistics: computed in float32
    out = half(x, training=True)
    assert out.dtype == torch.float16 and half.moving_variance.dtype == torch.float16
    np.testing.assert_allclose(half.moving_variance.float().numpy(), reference.moving_variance.numpy(), atol=1e-3)


def test_weights_order_and_config_round_trip():
    layer = keras.layers.BatchNormalization(axis=1, momentum=0.9, epsilon=1e-5, center=False,
                                            gamma_regularizer="l2", gamma_constraint="non_neg", synchronized=True,
                                            moving_variance_initializer="zeros")
    layer(torch.zeros(2, 3, 4))
    assert [w.name for w in layer.weights] == ["gamma", "moving_mean", "moving_variance"]
    assert torch.equal(layer.moving_variance, torch.zeros(3))
    config = layer.get_config()
    assert config["axis"] == 1 and config["momentum"] == 0.9 and config["synchronized"] is True
    assert config["renorm"] is False and config["renorm_clipping"] is None and config["renorm_momentum"] == 0.99
    revived = keras.layers.BatchNormalization.from_config(config)
    assert revived.get_config() == config
    assert len(layer.losses) == 1  # the gamma penalty


def test_keras_2_config_spellings_are_accepted():
    layer = keras.layers.BatchNormalization(axis=[3], fused=True, virtual_batch_size=None)
    assert layer.axis == 3


@pytest.mark.parametrize("kwargs,message", [
    ({"axis": "channels"}, "`BatchNormalization` argument `axis` must be an integer"),
    ({"axis": [1, 2]}, "`BatchNormalization` argument `axis` must be an integer"),
    ({"momentum": 1.5}, r"`BatchNormalization` argument `momentum` must be a number in \[0, 1\]"),
    ({"epsilon": -1.0}, "`BatchNormalization` argument `epsilon` must be a number in"),
    ({"virtual_batch_size": 4}, "`virtual_batch_size` .* not supported"),
    ({"renorm": True, "renorm_clipping": {"rmax": 1.0, "rmin": 2.0}}, "rmin <= rmax"),
])
def test_invalid_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        keras.layers.BatchNormalization(**kwargs)


def test_bad_inputs_are_refused_before_any_state_changes():
    layer = keras.layers.BatchNormalization(axis=3)
    with pytest.raises(ValueError, match=r"'batch_normalization'.*`axis` is out of range.*rank 2"):
        layer(torch.zeros(2, 3))
    assert not layer.built and layer.weights == []
    with pytest.raises(ValueError, match="out of range"):
        layer.compute_output_shape((None, 3))
    layer = keras.layers.BatchNormalization(momentum=0.0)
    x = torch.randn(2, 5, 3)
    layer(x)
    with pytest.raises(ValueError, match="one dimension less than the inputs"):
        layer(x, training=True, mask=torch.ones(2, 5, 3, dtype=torch.bool))
    with pytest.raises(ValueError, match="does not broadcast"):
        layer(x, training=True, mask=torch.ones(2, 4, dtype=torch.bool))
    assert torch.equal(layer.moving_mean, torch.zeros(3)) and torch.equal(layer.moving_variance, torch.ones(3))
    with pytest.raises(ValueError, match="batch_normalization_1"):
        layer(torch.zeros(2, 5, 4))  # the channel count is part of the input spec after building
