"""GroupNormalization: shapes, hand-computed values, the float64 reference (channels last, first
and in the middle; instance and layer normalization as special cases), gradients, Keras parity,
dtypes, errors."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test
from tests.layers.normalization.conftest import (
    case_id,
    keras_parity,
    random_weights,
    reference_group_norm,
)

CASES = [  # (kwargs, input shape)
    ({"groups": 2}, (3, 6)),
    ({"groups": 3}, (2, 5, 6)),
    ({"groups": 2, "axis": 1}, (2, 4, 3, 3)),
    ({"groups": -1}, (2, 4, 3, 4)),  # instance normalization
    ({"groups": 1, "epsilon": 1e-5}, (2, 3, 4)),  # layer normalization over everything
    ({"groups": 2, "axis": 2, "center": False}, (2, 3, 4, 2)),
    ({"groups": 4, "scale": False}, (2, 2, 2, 2, 4)),
]


@pytest.mark.parametrize("kwargs,shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_common_checks(kwargs, shape):
    trainable = int(kwargs.get("center", True)) + int(kwargs.get("scale", True))
    channels = shape[kwargs.get("axis", -1)]
    run_layer_test(keras.layers.GroupNormalization, kwargs, input_shape=shape, expected_output_shape=shape,
                   expected_num_trainable_weights=trainable, expected_weight_shapes=[(channels,)] * trainable,
                   supports_masking=True)


def test_hand_computed():
    layer = keras.layers.GroupNormalization(groups=2, epsilon=0.0, beta_initializer=keras.initializers.Constant(0.5))
    x = torch.tensor([[[0.0, 2.0, 10.0, 10.0], [4.0, 2.0, 10.0, 14.0]]])  # (1, 2 steps, 4 channels)
    # group 0 = channels 0-1 over both steps: 0, 2, 4, 2 -> mean 2, variance 2
    # group 1 = channels 2-3: 10, 10, 10, 14 -> mean 11, variance 3
    out = layer(x).detach().numpy()[0]
    np.testing.assert_allclose(out[:, :2], np.array([[-2, 0], [2, 0]]) / np.sqrt(2) + 0.5, atol=1e-6)
    np.testing.assert_allclose(out[:, 2:], np.array([[-1, -1], [-1, 3]]) / np.sqrt(3) + 0.5, atol=1e-6)


@pytest.mark.parametrize("kwargs,shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_matches_float64_reference(kwargs, shape):
    layer = keras.layers.GroupNormalization(**kwargs, dtype="float64")
    x = torch.randn(shape, dtype=torch.float64) * 3 + 1
    layer(x)
    layer.set_weights([w.astype("float64") for w in random_weights(layer)])
    axis = kwargs.get("axis", -1)
    groups = kwargs["groups"] if kwargs["groups"] != -1 else shape[axis]
    expected = reference_group_norm(x.numpy(), layer.gamma.detach().numpy() if layer.gamma is not None else None,
                                    layer.beta.detach().numpy() if layer.beta is not None else None, groups, axis,
                                    layer.epsilon)
    out = layer(x)
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-10, atol=1e-10)
    assert torch.equal(layer(x, training=True), out)


@pytest.mark.parametrize("kwargs,shape", [({"groups": 2}, (3, 4)), ({"groups": 2, "axis": 1}, (2, 4, 3)),
                                          ({"groups": 3}, (2, 2, 3))], ids=case_id)
def test_gradients(kwargs, shape):
    layer = keras.layers.GroupNormalization(**kwargs)
    layer(torch.zeros(shape))
    layer.set_weights(random_weights(layer))
    check_layer_gradients(layer, torch.randn(shape) * 2 + 1)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs,shape", CASES, ids=[case_id(c[0]) for c in CASES])
def test_parity_with_keras(keras_oracle, kwargs, shape):
    keras_parity(keras_oracle, "GroupNormalization", kwargs, np.random.RandomState(0).randn(*shape).astype("float32"))


def test_dtypes_and_layout():
    x = torch.randn(2, 5, 5, 8) * 3
    expected = keras.layers.GroupNormalization(groups=4)(x)
    layer = keras.layers.GroupNormalization(groups=4, dtype="mixed_bfloat16")
    out = layer(x.bfloat16())
    assert out.dtype == torch.bfloat16 and layer.gamma.dtype == torch.float32
    np.testing.assert_allclose(out.float().detach().numpy(), expected.detach().numpy(), atol=0.05)
    assert expected.is_contiguous()  # channels-last in, channels-last out, without a copy back
    first = keras.layers.GroupNormalization(groups=4, axis=1)
    nchw = x.permute(0, 3, 1, 2)  # channels_last memory format: not torch's kernel, same numbers
    torch.testing.assert_close(first(nchw), first(nchw.contiguous()))
    torch.testing.assert_close(first(nchw.contiguous()).permute(0, 2, 3, 1), expected)


def test_config_round_trip():
    layer = keras.layers.GroupNormalization(groups=-1, axis=1, epsilon=1e-5, scale=False)
    layer(torch.zeros(2, 3, 4))
    config = layer.get_config()
    assert config["groups"] == -1 and config["axis"] == 1 and config["scale"] is False
    assert keras.layers.GroupNormalization.from_config(config).get_config() == config


def test_errors():
    for groups in (0, -2, 1.5, True):
        with pytest.raises(ValueError, match="`GroupNormalization` argument `groups` must be a positive integer"):
            keras.layers.GroupNormalization(groups=groups)
    with pytest.raises(ValueError, match="`GroupNormalization` argument `axis` must be an integer"):
        keras.layers.GroupNormalization(axis=[1])
    layer = keras.layers.GroupNormalization(groups=4)
    with pytest.raises(ValueError, match=r"'group_normalization'.*`groups` must divide .*\(6 on axis -1\).*groups=4"):
        layer(torch.zeros(2, 6))
    assert not layer.built and layer.weights == []
    with pytest.raises(ValueError, match="`groups` must divide"):
        keras.layers.GroupNormalization(groups=8)(torch.zeros(2, 4))
    with pytest.raises(ValueError, match="not the batch axis"):
        keras.layers.GroupNormalization(groups=1, axis=0)(torch.zeros(2, 4))
    with pytest.raises(ValueError, match="out of range"):
        keras.layers.GroupNormalization(groups=1, axis=3)(torch.zeros(2, 4))
