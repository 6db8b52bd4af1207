"""``layerwise.activations.shrinkage``: ``hard_shrink``, ``soft_shrink`` and ``tanh_shrink`` against
float64 NumPy definitions at and around their thresholds, their gradients, and Keras 3."""

import math

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise import activations

THRESHOLDS = [0.0, 0.5, 1.0, 2.5]


def _points(threshold):
    """Random values, 0, both thresholds and their float64 neighbours, huge values and infinities."""
    edges = [0.0, -0.0, 1e-300, -1e-300, 1e300, -1e300, math.inf, -math.inf]
    for t in (threshold, -threshold):
        edges += [t, np.nextafter(t, math.inf), np.nextafter(t, -math.inf)]
    return np.concatenate([edges, np.random.RandomState(0).randn(60) * 3])


def _np_hard_shrink(x, t):
    return np.where(np.abs(x) > t, x, 0.0)


def _np_soft_shrink(x, t):
    return np.where(x > t, x - t, np.where(x < -t, x + t, 0.0))


@pytest.mark.parametrize("threshold", THRESHOLDS)
def test_hard_shrink_definition(threshold):
    x = _points(threshold)
    out = activations.hard_shrink(torch.tensor(x), threshold=threshold)
    assert out.dtype == torch.float64
    np.testing.assert_array_equal(out.numpy(), _np_hard_shrink(x, threshold))  # no arithmetic: bit for bit
    assert activations.hard_shrink(torch.tensor([threshold, -threshold]), threshold=threshold).tolist() == [0.0, 0.0]


@pytest.mark.parametrize("threshold", THRESHOLDS)
def test_soft_shrink_definition(threshold):
    x = _points(threshold)
    out = activations.soft_shrink(torch.tensor(x), threshold=threshold)
    assert out.dtype == torch.float64
    np.testing.assert_array_equal(out.numpy(), _np_soft_shrink(x, threshold))  # one rounding, as NumPy's
    # Continuous at the thresholds; the identity with threshold 0.
    np.testing.assert_array_equal(
        activations.soft_shrink(torch.tensor([threshold, -threshold]), threshold=threshold).numpy(), [0.0, 0.0])
    if threshold == 0:
        np.testing.assert_array_equal(out.numpy(), x)


def test_tanh_shrink_definition():
    x = np.concatenate([_points(0.5)[np.isfinite(_points(0.5))], [20.0, -20.0, 1e-4, -1e-4]])
    out = activations.tanh_shrink(torch.tensor(x))
    np.testing.assert_allclose(out.numpy(), x - np.tanh(x), rtol=1e-12, atol=1e-15)
    assert activations.tanh_shrink(torch.tensor([math.inf, -math.inf])).tolist() == [math.inf, -math.inf]
    small = np.array([1e-3, -2e-3, 5e-3])  # x**3 / 3 - 2 x**5 / 15 + ... near 0
    np.testing.assert_allclose(activations.tanh_shrink(torch.tensor(small)).numpy(),
                               small**3 / 3 - 2 * small**5 / 15, rtol=1e-6)


@pytest.mark.parametrize("name", ["hard_shrink", "soft_shrink", "tanh_shrink"])
def test_float32_and_integer_inputs(name):
    fn = activations.get(name)
    x = np.random.RandomState(1).randn(50) * 3
    np.testing.assert_allclose(fn(torch.tensor(x, dtype=torch.float32)).numpy(), fn(torch.tensor(x)).numpy(),
                               rtol=2e-6, atol=2e-6)
    out = fn(torch.tensor([-3, 0, 2]))
    assert out.dtype == torch.float32  # integers are computed in floatx
    np.testing.assert_allclose(out.numpy(), fn(torch.tensor([-3.0, 0.0, 2.0], dtype=torch.float64)).numpy(),
                               rtol=1e-6)
    assert math.isnan(fn(torch.tensor([math.nan])).item())


@pytest.mark.parametrize("threshold", [0.5, 1.5])
def test_gradients(threshold):
    x = np.random.RandomState(2).randn(80) * 3
    x = x[np.abs(np.abs(x) - threshold) > 1e-3]  # away from the kinks at +-threshold
    xt = torch.tensor(x, requires_grad=True)
    activations.hard_shrink(xt, threshold=threshold).sum().backward()
    np.testing.assert_array_equal(xt.grad.numpy(), (np.abs(x) > threshold).astype(np.float64))
    xt.grad = None
    activations.soft_shrink(xt, threshold=threshold).sum().backward()
    np.testing.assert_array_equal(xt.grad.numpy(), (np.abs(x) > threshold).astype(np.float64))
    xt.grad = None
    activations.tanh_shrink(xt).sum().backward()
    np.testing.assert_allclose(xt.grad.numpy(), np.tanh(x) ** 2, rtol=1e-12, atol=1e-15)
    for fn in (lambda t: activations.hard_shrink(t, threshold=threshold),
               lambda t: activations.soft_shrink(t, threshold=threshold), activations.tanh_shrink):
        assert torch.autograd.gradcheck(fn, (torch.tensor(x, requires_grad=True),))


@pytest.mark.parametrize("name", ["hard_shrink", "soft_shrink"])
@pytest.mark.parametrize("threshold", [-0.5, math.nan, "0.5", None, True, torch.tensor(0.5)])
def test_refuses_a_bad_threshold(name, threshold):
    with pytest.raises(ValueError, match=rf"`{name}` argument `threshold` must be a number >= 0; received threshold="):
        activations.get(name)(torch.zeros(3), threshold=threshold)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("name,kwargs", [("hard_shrink", {}), ("hard_shrink", {"threshold": 0.0}),
                                         ("hard_shrink", {"threshold": 2}), ("soft_shrink", {}),
                                         ("soft_shrink", {"threshold": 0.0}), ("soft_shrink", {"threshold": 3}),
                                         ("tanh_shrink", {})])
def test_matches_keras(keras_oracle, name, kwargs):
    t = float(kwargs.get("threshold", 0.5))
    x = np.concatenate([[0.0, t, -t, np.nextafter(t, 9), -np.nextafter(t, 9), 1e4, -1e4],
                        np.random.RandomState(3).randn(40) * 3]).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(keras_oracle.activations.get(name)(x, **kwargs))
    np.testing.assert_allclose(activations.get(name)(torch.from_numpy(x), **kwargs).numpy(), expected, rtol=1e-6,
                               atol=1e-6)
    expected_op = keras_oracle.ops.convert_to_numpy(getattr(keras_oracle.ops, name)(x, **kwargs))
    np.testing.assert_allclose(getattr(keras.ops, name)(torch.from_numpy(x), **kwargs).numpy(), expected_op,
                               rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("name", ["hard_shrink", "soft_shrink", "tanh_shrink"])
def test_get_serialize_and_the_activation_layer(name):
    fn = getattr(activations, name)
    assert activations.get(name) is fn and activations.serialize(fn) == name
    assert activations.deserialize(activations.serialize(fn)) is fn
    layer = keras.layers.Activation(name)
    revived = keras.layers.Activation.from_config(layer.get_config())
    x = torch.tensor([[-2.0, -0.3, 0.0, 0.4, 3.0]])
    torch.testing.assert_close(revived(x), fn(x))


def test_thresholds_survive_a_saved_functional_model(tmp_path):
    inputs = keras.Input((5,))
    outputs = [activations.hard_shrink(inputs, threshold=1.0), activations.soft_shrink(inputs, threshold=0.25),
               activations.tanh_shrink(inputs)]
    model = keras.Model(inputs, outputs)
    x = torch.tensor([[-2.0, -0.5, 0.0, 0.75, 3.0]])
    got = model(x)
    assert got[0].tolist() == [[-2.0, 0.0, 0.0, 0.0, 3.0]]
    assert got[1].tolist() == [[-1.75, -0.25, 0.0, 0.5, 2.75]]
    torch.testing.assert_close(got[2], x - torch.tanh(x))
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    for a, b in zip(loaded(x), got):
        torch.testing.assert_close(a, b)
