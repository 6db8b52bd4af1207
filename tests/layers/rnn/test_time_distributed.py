import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


@pytest.mark.parametrize("kwargs,shape,out_shape", [
    ({"layer": keras.layers.Dense(4)}, (2, 5, 3), (2, 5, 4)),
    ({"layer": keras.layers.Conv2D(2, 3)}, (2, 3, 6, 6, 1), (2, 3, 4, 4, 2)),
    ({"layer": keras.layers.Flatten()}, (2, 3, 2, 2), (2, 3, 4)),
])
def test_common_checks(kwargs, shape, out_shape):
    run_layer_test(keras.layers.TimeDistributed, kwargs, input_shape=shape, expected_output_shape=out_shape,
                   supports_masking=True)


def test_same_weights_at_every_step():
    layer = keras.layers.TimeDistributed(keras.layers.Dense(2))
    x = torch.randn(3, 4, 5)
    out = layer(x)
    for t in range(4):
        torch.testing.assert_close(out[:, t], layer.layer(x[:, t]))
    assert layer.compute_output_shape((None, 4, 5)) == (None, 4, 2)


def test_mask_passes_through_and_reaches_a_masked_layer():
    seen = {}

    class Recorder(keras.layers.Layer):
        def call(self, inputs, mask=None):
            seen["mask"] = mask
            return inputs

    x = torch.randn(2, 3, 4)
    mask = torch.tensor([[True, False, True], [True, True, False]])
    x._keras_mask = mask
    out = keras.layers.TimeDistributed(keras.layers.Dense(2))(x)
    assert torch.equal(out._keras_mask, mask)
    keras.layers.TimeDistributed(Recorder())(torch.randn(2, 3, 4, 5), mask=torch.ones(2, 3, 4, dtype=torch.bool))
    assert tuple(seen["mask"].shape) == (6, 4)


def test_gradients():
    check_layer_gradients(keras.layers.TimeDistributed(keras.layers.Dense(3, activation="tanh")), torch.randn(2, 3, 2))


def test_errors():
    with pytest.raises(ValueError, match="`TimeDistributed` argument `layer` must be a layerwise layer"):
        keras.layers.TimeDistributed(lambda x: x)
    with pytest.raises(ValueError, match=r"'time_distributed' \(TimeDistributed\) expects inputs of rank >= 3, \(batch, time, \.\.\.\); "
                                         r"received shape \(2, 3\)"):
        keras.layers.TimeDistributed(keras.layers.Dense(2))(torch.zeros(2, 3))


@pytest.mark.keras_oracle
def test_parity_with_keras(keras_oracle):
    x = np.random.RandomState(0).randn(2, 3, 6, 6, 2).astype("float32")
    theirs = keras_oracle.layers.TimeDistributed(keras_oracle.layers.Conv2D(3, 3, activation="relu"))
    expected = keras_oracle.ops.convert_to_numpy(theirs(x))
    ours = keras.layers.TimeDistributed(keras.layers.Conv2D(3, 3, activation="relu"))
    ours(torch.as_tensor(x))
    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(ours(torch.as_tensor(x)).detach().numpy(), expected, rtol=1e-5, atol=1e-5)
