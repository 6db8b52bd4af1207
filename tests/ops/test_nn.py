"""``layerwise.ops.nn``: the activation ops against float64 definitions and Keras 3's ops, and the
ops added for activations (``threshold`` in both forms, ``bru``)."""

import math

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise import ops

X = np.concatenate([[0.0, -0.0, 1e-6, -1e-6, 3.0, -3.0, 6.0, 40.0, -40.0, 1e4, -1e4],
                    np.random.RandomState(0).randn(40) * 4])

KERAS_OPS = [("relu", {}), ("relu6", {}), ("leaky_relu", {}), ("leaky_relu", {"negative_slope": 0.01}),
             ("sigmoid", {}), ("hard_sigmoid", {}), ("log_sigmoid", {}), ("tanh", {}), ("softplus", {}),
             ("softsign", {}), ("silu", {}), ("swish", {}), ("elu", {}), ("elu", {"alpha": 0.5}), ("selu", {}),
             ("gelu", {}), ("gelu", {"approximate": False}), ("celu", {}), ("celu", {"alpha": 3.0}),
             ("hard_silu", {}), ("hard_swish", {}), ("threshold", {"threshold": 1.0, "default_value": -4.0}),
             ("softmax", {"axis": None}), ("softmax", {"axis": (0,)}), ("log_softmax", {"axis": None})]


@pytest.mark.keras_oracle
@pytest.mark.parametrize("name,kwargs", KERAS_OPS, ids=[f"{n}-{k}" for n, k in KERAS_OPS])
def test_matches_keras_ops(keras_oracle, name, kwargs):
    x = X.reshape(-1, 3) if name.endswith("softmax") and len(X) % 3 == 0 else X
    x = x.astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(getattr(keras_oracle.ops, name)(x, **kwargs))
    ours = getattr(ops, name)(torch.from_numpy(x), **kwargs)
    np.testing.assert_allclose(ours.numpy(), expected, rtol=1e-6, atol=1e-6)


def test_ops_are_in_the_nn_namespace():
    for name in ("threshold", "bru", "softmax", "log_softmax", "swish", "hard_swish"):
        assert getattr(ops.nn, name) is getattr(ops, name)
    assert ops.swish is ops.silu and ops.hard_swish is ops.hard_silu


@pytest.mark.parametrize("threshold,default_value", [(0.0, 0.0), (1.5, -1.0), (-2.0, 7.0)])
def test_threshold_keras_form(threshold, default_value):
    expected = np.where(X > threshold, X, default_value)
    out = ops.threshold(torch.tensor(X), threshold, default_value)
    np.testing.assert_array_equal(out.numpy(), expected)
    np.testing.assert_array_equal(ops.threshold(torch.tensor(X), torch.tensor(threshold), default_value).numpy(),
                                  expected)


def test_threshold_step_form():
    np.testing.assert_array_equal(ops.threshold(torch.tensor(X)).numpy(), (X >= 0).astype(np.float64))
    assert ops.threshold([-1, 0, 1]).dtype == torch.float32
    with pytest.raises(ValueError, match=r"`threshold` argument `default_value` must be given together"):
        ops.threshold(torch.tensor(X), threshold=1.0)


@pytest.mark.parametrize("r", [0.25, 1.0, 2.0, 5.0])
def test_bru_definition(r):
    expected = np.where(X >= 0, (r * r * np.maximum(X, 0) + 1) ** (1 / r), np.exp(r * np.minimum(X, 0))) - 1 / r
    np.testing.assert_allclose(ops.bru(torch.tensor(X), r=r).numpy(), expected, rtol=1e-13, atol=1e-15)
    assert ops.bru([-1, 0, 3]).dtype == torch.float32  # integers are computed in floatx


def test_bru_gradcheck_across_zero():
    x = torch.tensor([-3.0, -0.3, -1e-3, 1e-3, 0.4, 5.0], dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: ops.bru(t, 3.0), (x,))


@pytest.mark.parametrize("axis", [None, (0, 2), [2, 0], (1,), -2])
def test_softmax_axes_against_the_definition(axis):
    x = np.random.RandomState(1).randn(2, 3, 4) * 4
    np_axis = tuple(axis) if isinstance(axis, (list, tuple)) else axis
    log_expected = x - x.max(axis=np_axis, keepdims=True)
    log_expected = log_expected - np.log(np.exp(log_expected).sum(axis=np_axis, keepdims=True))
    np.testing.assert_allclose(ops.softmax(torch.tensor(x), axis=axis).numpy(), np.exp(log_expected), rtol=1e-12)
    np.testing.assert_allclose(ops.log_softmax(torch.tensor(x), axis=axis).numpy(), log_expected, rtol=1e-12)


def test_new_ops_record_graph_nodes():
    inputs = keras.Input((3,))
    model = keras.Model(inputs, [ops.threshold(inputs), ops.threshold(inputs, 0.5, 0.0), ops.bru(inputs, 4.0),
                                 ops.softmax(inputs, axis=None)])
    x = torch.tensor([[-1.0, 0.0, 2.0]])
    step, keras_threshold, bru, softmax = model(x)
    assert step.tolist() == [[0.0, 1.0, 1.0]]
    assert keras_threshold.tolist() == [[0.0, 0.0, 2.0]]
    np.testing.assert_allclose(bru.numpy(), [[math.exp(-4) - 0.25, 0.75, 33 ** 0.25 - 0.25]], rtol=1e-6)
    torch.testing.assert_close(softmax, torch.softmax(x, dim=-1))


# ---- the ops behind Keras 3's newer activations --------------------------------------------------
NEW_KERAS_OPS = [("hard_tanh", {}), ("hard_shrink", {}), ("hard_shrink", {"threshold": 2.0}), ("soft_shrink", {}),
                 ("soft_shrink", {"threshold": 1.0}), ("tanh_shrink", {}), ("sparse_plus", {}),
                 ("sparse_sigmoid", {}), ("glu", {}), ("glu", {"axis": 0})]


@pytest.mark.keras_oracle
@pytest.mark.parametrize("name,kwargs", NEW_KERAS_OPS, ids=[f"{n}-{k}" for n, k in NEW_KERAS_OPS])
def test_new_activation_ops_match_keras_ops(keras_oracle, name, kwargs):
    x = np.concatenate([X, [1.0, -1.0, 0.5, -0.5, 2.0]]).reshape(8, 7).astype("float32")  # even axis 0 for glu
    if name == "glu" and not kwargs:
        x = x[:, :6]
    expected = keras_oracle.ops.convert_to_numpy(getattr(keras_oracle.ops, name)(x, **kwargs))
    ours = getattr(ops, name)(torch.from_numpy(x), **kwargs)
    np.testing.assert_allclose(ours.numpy(), expected, rtol=1e-6, atol=1e-6)


NEW_OPS = ("glu", "hard_tanh", "hard_shrink", "soft_shrink", "tanh_shrink", "sparse_plus", "sparse_sigmoid",
           "sparsemax", "squareplus")


@pytest.mark.parametrize("name", NEW_OPS)
def test_new_activation_ops_are_in_both_namespaces_and_back_the_activations(name):
    op = getattr(ops, name)
    assert getattr(ops.nn, name) is op
    x = torch.tensor(np.random.RandomState(2).randn(3, 4) * 3)
    torch.testing.assert_close(getattr(keras.activations, name)(x), op(x), rtol=0, atol=0)


def test_squareplus_op_is_the_formula():
    x = np.linspace(-30, 30, 121)
    for b in (0.5, 4, 10.0):
        np.testing.assert_allclose(ops.squareplus(torch.tensor(x), b).numpy(), (x + np.sqrt(x * x + b)) / 2,
                                   rtol=1e-12, atol=1e-14)
    assert ops.squareplus([-4, 0, 4]).dtype == torch.float32  # integers are computed in floatx


def test_sparsemax_op_sums_to_one_along_its_axis():
    x = torch.tensor(np.random.RandomState(3).randn(2, 3, 4) * 2)
    for axis in (0, 1, 2, -1):
        out = ops.sparsemax(x, axis=axis)
        torch.testing.assert_close(out.sum(dim=axis), torch.ones_like(out.sum(dim=axis)))
        assert (out >= 0).all() and (out == 0).any()


def test_new_activation_ops_record_graph_nodes():
    inputs = keras.Input((4,))
    outputs = [ops.glu(inputs), ops.hard_shrink(inputs, 0.5), ops.soft_shrink(inputs, threshold=1.0),
               ops.sparsemax(inputs), ops.squareplus(inputs, b=0)]
    model = keras.Model(inputs, outputs)
    x = torch.tensor([[-2.0, 0.25, 0.0, 3.0]])
    glu, hard, soft, sparse, square = model(x)
    torch.testing.assert_close(glu, torch.tensor([[-1.0, 0.25 * torch.sigmoid(torch.tensor(3.0)).item()]]))
    assert hard.tolist() == [[-2.0, 0.0, 0.0, 3.0]] and soft.tolist() == [[-1.0, 0.0, 0.0, 2.0]]
    assert sparse.tolist() == [[0.0, 0.0, 0.0, 1.0]] and square.tolist() == [[0.0, 0.25, 0.0, 3.0]]
