import torch

import layerwise as keras
from layerwise.testing import run_layer_test


def test_identity_returns_input_and_keeps_mask():
    x = torch.randn(2, 3)
    out = run_layer_test(keras.layers.Identity, {}, input_data=x, expected_output_shape=(2, 3))
    assert torch.equal(out, x)
    x._keras_mask = torch.tensor([True, False])
    assert torch.equal(keras.layers.Identity()(x)._keras_mask, x._keras_mask)
