"""LayerNormalization: shapes, hand-computed values, the float64 reference for any set of axes,
rms_scaling, gradients, Keras parity, dtypes, errors."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test
from tests.layers.normalization.conftest import (
    case_id,
    keras_parity,
    random_weights,
    reference_layer_norm,
)

CASES = [  # (kwargs, input shape, weight shape)
    ({}, (4, 5), (5,)),
    ({"axis": -1, "epsilon": 1e-5}, (2, 3, 4), (4,)),
    ({"axis": [-2, -1]}, (2, 3, 4), (3, 4)),
    ({"axis": [1, 2, 3]}, (2, 3, 2, 4), (3, 2, 4)),
    ({"axis": 1}, (2, 3, 4), (3,)),  # not the last axis: the unfused path
    ({"axis": (1, 3), "center": False}, (2, 3, 2, 4), (3, 4)),
    ({"scale": False}, (3, 6), (6,)),
]


@pytest.mark.parametrize("kwargs,shape,weight_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_common_checks(kwargs, shape, weight_shape):
    center, scale = kwargs.get("center", True), kwargs.get("scale", True)
    run_layer_test(keras.layers.LayerNormalization, kwargs, input_shape=shape, expected_output_shape=shape,
                   expected_num_trainable_weights=int(center) + int(scale), expected_num_non_trainable_weights=0,
                   expected_weight_shapes=[weight_shape] * (int(center) + int(scale)), supports_masking=True)


def test_hand_computed():
    layer = keras.layers.LayerNormalization(epsilon=0.0, gamma_initializer=keras.initializers.Constant(2.0),
                                            beta_initializer=keras.initializers.Constant(1.0))
    x = torch.tensor([[0.0, 2.0, 4.0], [1.0, 1.0, 1.0]])
    # row 0: mean 2, biased variance 8/3; row 1 is constant, so x - mean = 0 and the output is beta
    out = layer(x[:1])
    np.testing.assert_allclose(out.detach().numpy(), [2 * np.array([-2, 0, 2]) / np.sqrt(8 / 3) + 1], rtol=1e-6)
    constant = keras.layers.LayerNormalization(beta_initializer=keras.initializers.Constant(1.0))(x[1:])
    np.testing.assert_allclose(constant.detach().numpy(), [[1.0, 1.0, 1.0]])


@pytest.mark.parametrize("kwargs,shape,weight_shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_matches_float64_reference(kwargs, shape, weight_shape):
    layer = keras.layers.LayerNormalization(**kwargs, dtype="float64")
    x = torch.randn(shape, dtype=torch.float64) * 3 + 1
    layer(x)
    layer.set_weights([w.astype("float64") for w in random_weights(layer)])
    axis = kwargs.get("axis", -1)
    axes = list(axis) if isinstance(axis, (list, tuple)) else [axis]
    expected = reference_layer_norm(x.numpy(), layer.gamma.detach().numpy() if layer.gamma is not None else None,
                                    layer.beta.detach().numpy() if layer.beta is not None else None, axes,
                                    layer.epsilon)
    np.testing.assert_allclose(layer(x).detach().numpy(), expected, rtol=1e-10, atol=1e-10)
    assert torch.equal(layer(x, training=True), layer(x))  # no training behaviour


def test_rms_scaling_is_keras_formula_and_warns():
    with pytest.warns(UserWarning, match="rms_scaling=True"):
        layer = keras.layers.LayerNormalization(rms_scaling=True, epsilon=0.0)
    x = torch.tensor([[1.0, 3.0]])  # variance 1 (not the mean square, 5)
    out = layer(x)
    np.testing.assert_allclose(out.detach().numpy(), [[1.0, 3.0]], rtol=1e-6)
    assert [w.name for w in layer.weights] == ["gamma"]  # no beta


@pytest.mark.parametrize("kwargs,shape", [({}, (3, 4)), ({"axis": [-2, -1]}, (2, 3, 2)), ({"axis": 1}, (2, 3, 2))],
                         ids=case_id)
def test_gradients(kwargs, shape):
    layer = keras.layers.LayerNormalization(**kwargs)
    layer(torch.zeros(shape))
    layer.set_weights(random_weights(layer))
    check_layer_gradients(layer, torch.randn(shape) * 2 + 1)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs,shape", [({}, (4, 5)), ({"axis": [-2, -1], "epsilon": 1e-5}, (2, 3, 4)),
                                          ({"center": False}, (3, 2, 6)), ({"scale": False}, (3, 6))], ids=case_id)
def test_parity_with_keras(keras_oracle, kwargs, shape):
    keras_parity(keras_oracle, "LayerNormalization", kwargs, np.random.RandomState(0).randn(*shape).astype("float32"))


@pytest.mark.keras_oracle
def test_parity_with_keras_rms_scaling(keras_oracle):
    with pytest.warns(UserWarning):
        keras_parity(keras_oracle, "LayerNormalization", {"rms_scaling": True},
                     np.random.RandomState(0).randn(3, 5).astype("float32") + 2)


def test_negative_axis_follows_the_input_rank():
    layer = keras.layers.LayerNormalization()
    layer(torch.zeros(2, 4))
    x = torch.randn(2, 3, 4)
    expected = reference_layer_norm(x.numpy(), None, None, [-1])
    np.testing.assert_allclose(layer(x).detach().numpy(), expected, atol=1e-5)


def test_dtypes():
    x = torch.randn(4, 8) * 3
    expected = keras.layers.LayerNormalization()(x)
    layer = keras.layers.LayerNormalization(dtype="mixed_bfloat16")
    out = layer(x.bfloat16())
    assert out.dtype == torch.bfloat16 and layer.gamma.dtype == torch.float32
    np.testing.assert_allclose(out.float().detach().numpy(), expected.detach().numpy(), atol=0.05)
    out = keras.layers.LayerNormalization()(x.double())  # not autocast: computed in float64, returned as float32
    assert out.dtype == torch.float32
    np.testing.assert_allclose(out.detach().numpy(), expected.detach().numpy(), atol=1e-6)
    assert keras.layers.LayerNormalization()(torch.arange(6).reshape(2, 3)).dtype == torch.float32


def test_config_round_trip():
    layer = keras.layers.LayerNormalization(axis=[1, 2], epsilon=1e-6, center=False, gamma_regularizer="l2")
    config = layer.get_config()
    assert config["axis"] == [1, 2] and config["rms_scaling"] is False and config["center"] is False
    assert keras.layers.LayerNormalization.from_config(config).get_config() == config


def test_errors():
    with pytest.raises(ValueError, match="`LayerNormalization` argument `axis` must be an integer or a non-empty list"):
        keras.layers.LayerNormalization(axis="last")
    with pytest.raises(ValueError, match="`LayerNormalization` argument `epsilon` must be a non-negative number"):
        keras.layers.LayerNormalization(epsilon=-1)
    layer = keras.layers.LayerNormalization(axis=[1, 3])
    with pytest.raises(ValueError, match=r"'layer_normalization'.*`axis` is out of range.*rank 3"):
        layer(torch.zeros(2, 3, 4))
    assert not layer.built and layer.weights == []
    twice = keras.layers.LayerNormalization(axis=[1, -1])
    with pytest.raises(ValueError, match="names an axis twice"):
        twice(torch.zeros(2, 3))
    built = keras.layers.LayerNormalization()
    built(torch.zeros(2, 3))
    with pytest.raises(ValueError, match=r"was built for sizes \(3,\)"):
        built(torch.zeros(2, 4))
