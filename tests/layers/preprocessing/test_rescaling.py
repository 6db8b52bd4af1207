"""Rescaling: hand-computed values, per-channel scales, integer inputs, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import run_layer_test


def test_common_checks_and_values():
    x = torch.tensor([[0.0, 127.5, 255.0]])
    run_layer_test(keras.layers.Rescaling, {"scale": 1 / 127.5, "offset": -1.0}, input_data=x,
                   expected_output=[[-1.0, 0.0, 1.0]], expected_num_trainable_weights=0)


def test_integer_inputs_become_floats_and_per_channel_scale():
    x = torch.tensor([[[1, 2, 3]]], dtype=torch.int64)
    out = keras.layers.Rescaling([1.0, 10.0, 100.0], offset=[0.0, 0.0, 1.0])(x)
    assert out.dtype == torch.float32
    np.testing.assert_allclose(out.numpy(), [[[1.0, 20.0, 301.0]]])


def test_invalid_scale():
    with pytest.raises(ValueError, match="`Rescaling` argument `scale` must be a number"):
        keras.layers.Rescaling("big")


@pytest.mark.keras_oracle
def test_parity_with_keras(keras_oracle):
    x = np.random.default_rng(0).uniform(0, 255, size=(2, 4, 4, 3)).astype("float32")
    ours = keras.layers.Rescaling(0.5, offset=2.0)(x).numpy()
    theirs = keras_oracle.ops.convert_to_numpy(keras_oracle.layers.Rescaling(0.5, offset=2.0)(x))
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
