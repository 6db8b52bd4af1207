"""UnitNormalization: hand-computed values, zero vectors, several axes, gradients, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test
from tests.layers.normalization.conftest import case_id, keras_parity


@pytest.mark.parametrize("kwargs,shape", [({}, (3, 4)), ({"axis": 1}, (2, 3, 4)), ({"axis": [1, 2]}, (2, 3, 4))],
                         ids=case_id)
def test_common_checks(kwargs, shape):
    run_layer_test(keras.layers.UnitNormalization, kwargs, input_shape=shape, expected_output_shape=shape,
                   expected_num_trainable_weights=0, supports_masking=True)


def test_hand_computed():
    layer = keras.layers.UnitNormalization()
    out = layer(torch.tensor([[3.0, 4.0], [0.0, -2.0], [0.0, 0.0]]))
    np.testing.assert_allclose(out.numpy(), [[0.6, 0.8], [0.0, -1.0], [0.0, 0.0]], rtol=1e-6)


@pytest.mark.parametrize("axis", [-1, 1, [1, 2], (0, 2)], ids=str)
def test_matches_float64_reference(axis):
    x = np.random.RandomState(0).randn(2, 3, 4)
    axes = tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)
    expected = x / np.sqrt((x ** 2).sum(axis=axes, keepdims=True))
    out = keras.layers.UnitNormalization(axis=axis, dtype="float64")(torch.from_numpy(x))
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(np.sqrt((out.numpy() ** 2).sum(axis=axes)), 1.0, rtol=1e-12)


def test_gradients():
    check_layer_gradients(keras.layers.UnitNormalization(axis=[1, 2]), torch.randn(2, 3, 2))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("axis", [-1, 1, [1, 2]], ids=str)
def test_parity_with_keras(keras_oracle, axis):
    x = np.random.RandomState(0).randn(3, 4, 5).astype("float32")
    x[0, :, :] = 0.0  # a zero vector stays zero in both
    keras_parity(keras_oracle, "UnitNormalization", {"axis": axis}, x)


def test_integers_are_cast_and_config_round_trips():
    out = keras.layers.UnitNormalization()(torch.tensor([[3, 4]]))
    assert out.dtype == torch.float32
    layer = keras.layers.UnitNormalization(axis=[1, 2])
    assert keras.layers.UnitNormalization.from_config(layer.get_config()).get_config() == layer.get_config()


def test_errors():
    with pytest.raises(ValueError, match="`UnitNormalization` argument `axis` must be an integer or a non-empty list"):
        keras.layers.UnitNormalization(axis=None)
    with pytest.raises(ValueError, match=r"'unit_normalization'.*`axis` is out of range.*rank 2"):
        keras.layers.UnitNormalization(axis=2)(torch.zeros(2, 3))
