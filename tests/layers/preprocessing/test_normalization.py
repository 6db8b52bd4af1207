"""Normalization: adapt statistics (population variance), fixed statistics, invert, axes, Keras parity."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import run_layer_test


def test_common_checks_with_fixed_statistics():
    run_layer_test(keras.layers.Normalization, {"mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 9.0]},
                   input_shape=(2, 3), expected_output_shape=(2, 3), expected_num_trainable_weights=0)


def test_adapt_uses_the_population_variance():
    data = np.array([[1.0, 0.0], [3.0, 0.0], [5.0, 6.0]])
    layer = keras.layers.Normalization()
    layer.adapt(data)
    np.testing.assert_allclose(layer.adapt_mean.numpy(), data.mean(0), rtol=1e-6)
    np.testing.assert_allclose(layer.adapt_variance.numpy(), data.var(0), rtol=1e-6)  # divisor n, not n - 1
    out = layer(torch.tensor(data, dtype=torch.float32))
    np.testing.assert_allclose(out.numpy(), (data - data.mean(0)) / data.std(0), rtol=1e-5)
    assert [w.name for w in layer.weights] == ["mean", "variance", "count"]
    assert layer.trainable_weights == []


def test_adapt_on_batches_matches_the_whole_array():
    rng = np.random.default_rng(0)
    data = rng.normal(3.0, 2.0, size=(100, 4, 3))
    whole = keras.layers.Normalization(axis=(1, 2))
    whole.adapt(data)
    batched = keras.layers.Normalization(axis=(1, 2))
    batched.adapt([data[:7], torch.tensor(data[7:50]), (data[50:], None)])  # arrays, tensors, (x, y) tuples
    np.testing.assert_allclose(batched.adapt_mean.numpy(), data.mean(0), rtol=1e-5)
    np.testing.assert_allclose(batched.adapt_variance.numpy(), data.var(0), rtol=1e-5)
    np.testing.assert_allclose(whole.adapt_variance.numpy(), data.var(0), rtol=1e-5)


def test_axis_none_gives_scalar_statistics_and_invert_undoes():
    data = np.arange(12.0).reshape(3, 4)
    layer = keras.layers.Normalization(axis=None)
    layer.adapt(data)
    assert layer.adapt_mean.shape == ()
    out = layer(data)
    np.testing.assert_allclose(out.numpy(), (data - 5.5) / data.std(), rtol=1e-6)
    inverse = keras.layers.Normalization(axis=None, mean=5.5, variance=float(data.var()), invert=True)
    np.testing.assert_allclose(inverse(out).numpy(), data, rtol=1e-5, atol=1e-5)


def test_fixed_statistics_broadcast_and_zero_variance_uses_epsilon():
    layer = keras.layers.Normalization(mean=2.0, variance=0.0)
    out = layer(torch.tensor([[2.0, 3.0]]))
    np.testing.assert_allclose(out.numpy(), [[0.0, 1.0 / keras.config.epsilon()]], rtol=1e-5)
    layer = keras.layers.Normalization(axis=1, mean=[0.0, 10.0], variance=[1.0, 4.0])
    out = layer(torch.full((1, 2, 3), 10.0))
    np.testing.assert_allclose(out.numpy(), [[[10.0] * 3, [0.0] * 3]])


def test_saving_keeps_adapted_statistics(tmp_path):
    layer = keras.layers.Normalization()
    layer.adapt(np.array([[0.0, 2.0], [4.0, 6.0]]))
    model = keras.Sequential([keras.Input((2,)), layer])
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    x = torch.tensor([[1.0, 1.0]])
    torch.testing.assert_close(loaded(x), model(x))
    np.testing.assert_allclose(model(x).numpy(), [[-0.5, -1.5]])


@pytest.mark.parametrize("kwargs,match", [
    ({"mean": 1.0}, "must both be given"),
    ({"mean": [1.0, 2.0], "variance": [1.0]}, "same shape"),
    ({"axis": "a"}, "`axis` must be None, an integer"),
    ({"mean": 0.0, "variance": -1.0}, "non-negative"),
])
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        keras.layers.Normalization(**kwargs)


def test_adapt_refuses_mismatched_data_before_changing_state():
    layer = keras.layers.Normalization()
    layer.adapt(np.ones((4, 3)))
    with pytest.raises(ValueError, match="adapt"):
        layer.adapt(np.zeros((4, 2)))
    np.testing.assert_allclose(layer.adapt_mean.numpy(), [1, 1, 1])
    with pytest.raises(ValueError, match="axis"):
        keras.layers.Normalization(axis=3).adapt(np.ones((2, 2)))
    with pytest.raises(TypeError, match="data"):
        keras.layers.Normalization().adapt(5)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("axis", [-1, None, (1, 2)])
def test_parity_with_keras(keras_oracle, axis):
    rng = np.random.default_rng(1)
    data = rng.normal(size=(6, 3, 2)).astype("float32")
    x = rng.normal(size=(2, 3, 2)).astype("float32")
    ours, theirs = keras.layers.Normalization(axis=axis), keras_oracle.layers.Normalization(axis=axis)
    ours.adapt(data)
    theirs.adapt(data)
    np.testing.assert_allclose(ours(x).numpy(), keras_oracle.ops.convert_to_numpy(theirs(x)), rtol=1e-5, atol=1e-6)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
