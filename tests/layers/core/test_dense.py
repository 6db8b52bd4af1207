import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


@pytest.mark.parametrize("kwargs,shape,out_shape", [
    ({"units": 3}, (2, 4), (2, 3)),
    ({"units": 5, "activation": "relu"}, (2, 7, 4), (2, 7, 5)),
    ({"units": 2, "use_bias": False}, (3, 4), (3, 2)),
])
def test_common_checks(kwargs, shape, out_shape):
    run_layer_test(keras.layers.Dense, kwargs, input_shape=shape, expected_output_shape=out_shape,
                   expected_num_trainable_weights=1 if kwargs.get("use_bias") is False else 2,
                   expected_num_non_trainable_weights=0)


def test_hand_computed_output_and_keras_layout():
    layer = keras.layers.Dense(2, activation="relu")
    layer(np.zeros((1, 3), "float32"))
    kernel = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, -60.0]], "float32")  # (in, out), as Keras
    layer.set_weights([kernel, np.array([0.5, -1.0], "float32")])
    out = layer(np.array([[1.0, 1.0, 1.0]], "float32"))
    # [1+3+5+0.5, 2+4-60-1] = [9.5, -55] -> relu -> [9.5, 0]
    np.testing.assert_allclose(out.detach().numpy(), [[9.5, 0.0]])
    assert [w.name for w in layer.weights] == ["kernel", "bias"]
    assert list(layer.state_dict()) == ["kernel", "bias"]


def test_rank3_input_applies_on_last_axis():
    layer = keras.layers.Dense(4)
    x = torch.randn(2, 5, 3)
    out = layer(x)
    np.testing.assert_allclose(out.detach(), (x @ layer.kernel + layer.bias).detach(), rtol=1e-6)


def test_gradients_match_finite_differences():
    check_layer_gradients(keras.layers.Dense(3, activation="tanh"), torch.randn(4, 2))
    check_layer_gradients(keras.layers.Dense(2, use_bias=False), torch.randn(3, 2, 4))


@pytest.mark.parametrize("units", [0, -1, 2.5, "3"])
def test_invalid_units(units):
    with pytest.raises(ValueError, match=r"`Dense` argument `units` must be a positive integer; received units="):
        keras.layers.Dense(units)


def test_feature_mismatch_names_layer_and_shapes():
    layer = keras.layers.Dense(2, name="hidden")
    layer(torch.zeros(1, 4))
    with pytest.raises(ValueError, match=r"layer 'hidden' \(Dense\).*axis -1 must have size 4, received 5.*"
                                         r"Expected shape \(\.\.\., 4\), received shape \(3, 5\)"):
        layer(torch.zeros(3, 5))


def test_regularizer_penalty_in_losses():
    layer = keras.layers.Dense(2, kernel_regularizer=keras.regularizers.L2(0.1), bias_regularizer="l1")
    layer(torch.ones(1, 3))
    expected = 0.1 * float((layer.kernel.detach() ** 2).sum()) + 0.01 * float(layer.bias.detach().abs().sum())
    assert float(sum(layer.losses).detach()) == pytest.approx(expected, rel=1e-6)


def test_integer_input_is_cast():
    layer = keras.layers.Dense(1, kernel_initializer="ones")
    out = layer(torch.tensor([[1, 2, 3]]))
    assert out.dtype == torch.float32 and float(out.detach()) == 6.0


def test_config_matches_keras_keys(keras_oracle):
    ours = set(keras.layers.Dense(3).get_config())
    theirs = set(keras_oracle.layers.Dense(3).get_config()) - {"quantization_config"}
    assert theirs <= ours


def test_parity_with_keras(keras_oracle):
    k_layer = keras_oracle.layers.Dense(4, activation="sigmoid")
    x = np.random.RandomState(0).randn(6, 3).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(k_layer(x))
    layer = keras.layers.Dense(4, activation="sigmoid")
    layer(x)
    layer.set_weights(k_layer.get_weights())
    np.testing.assert_allclose(layer(x).detach().numpy(), expected, rtol=1e-6, atol=1e-6)
