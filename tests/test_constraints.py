"""``layerwise.constraints``: each projection against its formula, Keras 3 as an oracle, and the
constraint applied after every optimizer step."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise import constraints


def test_constraints_match_their_formulas():
    w = torch.tensor([[3.0, 0.3], [4.0, 0.4]])  # column norms 5 and 0.5
    np.testing.assert_allclose(constraints.MaxNorm(1.0)(w).numpy(), [[0.6, 0.3], [0.8, 0.4]], rtol=1e-5)
    np.testing.assert_allclose(constraints.UnitNorm()(w).numpy(), [[0.6, 0.6], [0.8, 0.8]], rtol=1e-5)
    np.testing.assert_allclose(constraints.MinMaxNorm(1.0, 2.0)(w).numpy(), [[1.2, 0.6], [1.6, 0.8]], rtol=1e-5)
    # rate < 1 moves only part of the way to the projected norm: norm' = rate*clip(norm) + (1-rate)*norm
    half = constraints.MinMaxNorm(1.0, 2.0, rate=0.5)(w).numpy()
    np.testing.assert_allclose(np.linalg.norm(half, axis=0), [0.5 * 2.0 + 0.5 * 5.0, 0.5 * 1.0 + 0.5 * 0.5], rtol=1e-5)
    np.testing.assert_array_equal(constraints.NonNeg()(torch.tensor([-1.0, 2.0])).numpy(), [0.0, 2.0])


@pytest.mark.parametrize("axis", [0, 1, [0, 1]])
def test_constraint_parity(keras_oracle, axis):
    w = np.random.RandomState(0).randn(4, 5).astype("float32") * 3
    pairs = [(constraints.MaxNorm(1.5, axis=axis), keras_oracle.constraints.MaxNorm(1.5, axis=axis)),
             (constraints.UnitNorm(axis=axis), keras_oracle.constraints.UnitNorm(axis=axis)),
             (constraints.MinMaxNorm(0.5, 2.0, rate=0.7, axis=axis),
              keras_oracle.constraints.MinMaxNorm(0.5, 2.0, rate=0.7, axis=axis)),
             (constraints.NonNeg(), keras_oracle.constraints.NonNeg())]
    for ours, theirs in pairs:
        expected = keras_oracle.ops.convert_to_numpy(theirs(keras_oracle.ops.convert_to_tensor(w)))
        np.testing.assert_allclose(ours(torch.from_numpy(w)).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_constraint_is_applied_after_each_optimizer_step():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, kernel_constraint=keras.constraints.MaxNorm(0.1))])
    model.compile(optimizer=keras.optimizers.SGD(0.5), loss="mse")
    x = np.random.RandomState(0).randn(4, 3).astype("float32")
    y = np.random.RandomState(1).randn(4, 2).astype("float32")
    kernel = model.layers[0].kernel
    before = kernel.detach().clone()
    with torch.enable_grad():
        loss = torch.nn.functional.mse_loss(model(torch.from_numpy(x)), torch.from_numpy(y))
        (grad,) = torch.autograd.grad(loss, kernel)
    model.train_on_batch(x, y)
    expected = constraints.MaxNorm(0.1)(before - 0.5 * grad)
    torch.testing.assert_close(kernel.detach(), expected, rtol=1e-5, atol=1e-7)
    assert float(kernel.detach().norm(dim=0).max()) <= 0.1 + 1e-6


def test_config_round_trips_and_unknown_names():
    for obj in (constraints.MaxNorm(3, axis=1), constraints.MinMaxNorm(0.1, 2.0, 0.5, 0)):
        again = type(obj).from_config(obj.get_config())
        assert again.get_config() == obj.get_config()
    with pytest.raises(ValueError, match="Unknown constraint: 'non_negative'. Did you mean: 'non_neg'"):
        constraints.get("non_negative")
