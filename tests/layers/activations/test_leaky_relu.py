"""``LeakyReLU``: Keras 3's default slope, Keras 2's ``alpha``, gradients, config, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


def test_default_slope_is_keras3s():
    x = torch.tensor([[-10.0, -5.0, 0.0, 5.0, 10.0]])
    run_layer_test(keras.layers.LeakyReLU, {}, input_data=x, expected_output=[[-3.0, -1.5, 0.0, 5.0, 10.0]],
                   expected_num_trainable_weights=0, supports_masking=True)
    run_layer_test(keras.layers.LeakyReLU, {"negative_slope": 0.5}, input_data=x,
                   expected_output=[[-5.0, -2.5, 0.0, 5.0, 10.0]])


def test_keras2_alpha_is_accepted_and_written_as_negative_slope():
    layer = keras.layers.LeakyReLU(alpha=0.1)
    assert layer.negative_slope == 0.1 and layer.get_config()["negative_slope"] == 0.1
    assert "alpha" not in layer.get_config()
    assert layer(torch.tensor([-2.0])).tolist() == [pytest.approx(-0.2)]
    revived = keras.layers.LeakyReLU.from_config({"alpha": 0.05, "name": "old"})
    assert revived.negative_slope == 0.05


def test_gradients():
    check_layer_gradients(keras.layers.LeakyReLU(0.2, dtype="float64"), torch.randn(3, 4))


@pytest.mark.parametrize("value", [-0.1, None, "0.3"])
def test_bad_slope_is_refused(value):
    with pytest.raises(ValueError, match=r"`LeakyReLU` argument `negative_slope` must be a number in \[0, inf\]"):
        keras.layers.LeakyReLU(negative_slope=value)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [{}, {"negative_slope": 0.01}])
def test_parity_with_keras(keras_oracle, kwargs):
    x = (np.random.RandomState(0).randn(4, 6) * 3).astype("float32")
    k_layer = keras_oracle.layers.LeakyReLU(**kwargs)
    expected = keras_oracle.ops.convert_to_numpy(k_layer(x))
    layer = keras.layers.LeakyReLU(**kwargs)
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-6, atol=1e-7)
    assert k_layer.get_config()["negative_slope"] == layer.get_config()["negative_slope"]
