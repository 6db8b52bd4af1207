"""``ELU``: the formula, gradients, config (with ``alpha``), Keras parity."""

import math

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


def test_outputs():
    x = torch.tensor([[-1000.0, -1.0, 0.0, 2.0]])
    run_layer_test(keras.layers.ELU, {"alpha": 0.5}, input_data=x,
                   expected_output=[[-0.5, 0.5 * (math.exp(-1) - 1), 0.0, 2.0]], expected_num_trainable_weights=0,
                   supports_masking=True)


def test_gradients_and_config():
    check_layer_gradients(keras.layers.ELU(alpha=1.7, dtype="float64"), torch.randn(3, 4))
    config = keras.layers.ELU(alpha=1.7).get_config()
    assert config["alpha"] == 1.7 and keras.layers.ELU.from_config(config).alpha == 1.7


def test_bad_alpha_is_refused():
    with pytest.raises(ValueError, match=r"`ELU` argument `alpha` must be a number in \[-inf, inf\]; received alpha='1'"):
        keras.layers.ELU(alpha="1")


@pytest.mark.keras_oracle
@pytest.mark.parametrize("alpha", [1.0, 0.3])
def test_parity_with_keras(keras_oracle, alpha):
    x = (np.random.RandomState(0).randn(4, 6) * 3).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(keras_oracle.layers.ELU(alpha=alpha)(x))
    np.testing.assert_allclose(keras.layers.ELU(alpha=alpha)(x).numpy(), expected, rtol=1e-6, atol=1e-7)
