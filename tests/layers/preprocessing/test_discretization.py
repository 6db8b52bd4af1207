"""Discretization: bucket rule by hand, adapt to quantiles (Keras's summary, exact parity), encodings."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import run_layer_test


def test_common_checks_and_bucket_rule():
    x = torch.tensor([[-1.0, 0.0, 0.5], [1.0, 1.5, 3.0]])
    out = run_layer_test(keras.layers.Discretization, {"bin_boundaries": [0.0, 1.0, 2.0]}, input_data=x,
                         expected_num_trainable_weights=0)
    assert out.dtype == torch.int32
    np.testing.assert_array_equal(out.numpy(), [[0, 1, 1], [2, 2, 3]])  # a boundary belongs to the bucket above


def test_adapt_finds_quantiles():
    data = np.arange(1000, dtype="float32")
    layer = keras.layers.Discretization(num_bins=4, epsilon=0.001)
    layer.adapt(data)
    np.testing.assert_allclose(layer.bin_boundaries, [249.0, 499.0, 749.0], atol=1.0)
    counts = np.bincount(layer(torch.tensor(data)).numpy(), minlength=4)
    np.testing.assert_allclose(counts, [250, 250, 250, 250], atol=2)  # approximate quantiles (epsilon)
    revived = keras.layers.Discretization.from_config(layer.get_config())
    assert revived.bin_boundaries == layer.bin_boundaries


def test_encoded_outputs():
    layer = keras.layers.Discretization(bin_boundaries=[0.0], output_mode="one_hot")
    np.testing.assert_array_equal(layer(torch.tensor([-1.0, 2.0])).numpy(), [[1, 0], [0, 1]])
    layer = keras.layers.Discretization(bin_boundaries=[0.0, 5.0], output_mode="count")
    np.testing.assert_array_equal(layer(torch.tensor([[-1.0, 2.0, 3.0]])).numpy(), [[1, 2, 0]])
    assert layer.compute_output_shape((None, 3)) == (None, 3)


@pytest.mark.parametrize("kwargs,match", [
    ({}, "exactly one of"), ({"bin_boundaries": [0.0], "num_bins": 2}, "exactly one of"),
    ({"bin_boundaries": [1.0, 0.0]}, "must be sorted"), ({"num_bins": -1}, "non-negative"),
    ({"bin_boundaries": [0.0], "output_mode": "int", "sparse": True}, "`sparse`"),
    ({"num_bins": 2, "epsilon": 0.0}, "`epsilon` must be a number in"),
])
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        keras.layers.Discretization(**kwargs)


def test_unadapted_and_fixed_layers_refuse():
    with pytest.raises(ValueError, match="adapt"):
        keras.layers.Discretization(num_bins=3)(torch.zeros(2))
    with pytest.raises(ValueError, match="num_bins"):
        keras.layers.Discretization(bin_boundaries=[0.0]).adapt(np.zeros(3))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("num_bins,epsilon", [(4, 0.01), (5, 0.001), (3, 0.1)])
def test_adapt_parity_with_keras(keras_oracle, num_bins, epsilon):
    rng = np.random.default_rng(0)
    data = rng.normal(size=(600, 3)).astype("float32")
    batches = [data[:250], data[250:]]
    ours = keras.layers.Discretization(num_bins=num_bins, epsilon=epsilon)
    ours.adapt(batches)
    theirs = keras_oracle.layers.Discretization(num_bins=num_bins, epsilon=epsilon)
    for batch in batches:  # Keras's adapt() needs TensorFlow; its update/finalize steps do not
        theirs.update_state(batch)
    theirs.finalize_state()
    np.testing.assert_array_equal(ours.bin_boundaries, theirs.bin_boundaries)
    x = rng.normal(size=(4, 3)).astype("float32")
    for mode in ("int", "multi_hot"):
        ours.output_mode = theirs.output_mode = mode
        np.testing.assert_array_equal(ours(torch.tensor(x)).numpy(), keras_oracle.ops.convert_to_numpy(theirs(x)))
