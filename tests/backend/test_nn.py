"""``layerwise.backend`` (Keras 2's ``K.*`` functions) checked on numbers against NumPy and hand formulas.

Keras 3 (on its torch backend) is used as an oracle where it exposes the same function.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from layerwise import backend as K

from tests.backend.conftest import RNG, EPS, rand, close, oracle_numpy


# ---- activations ------------------------------------------------------------------------------
def _keras2_relu(x, alpha=0.0, max_value=None, threshold=0.0):
    x = x.astype("float64")
    out = np.where(x > threshold, x, 0.0) if threshold != 0 else np.maximum(x, 0.0)
    if max_value is not None:
        out = np.clip(out, 0.0, max_value)
    return out - alpha * np.maximum(threshold - x, 0.0)


@pytest.mark.parametrize("kwargs", [{}, {"alpha": 0.1}, {"max_value": 1.0}, {"max_value": 6.0},
                                    {"threshold": 0.5}, {"threshold": -0.5}, {"alpha": 0.2, "max_value": 1.5},
                                    {"alpha": 0.3, "threshold": 0.5, "max_value": 1.2}])
def test_relu_matches_keras2_formula(kwargs):
    x = rand(4, 6, low=-3.0, high=3.0)
    close(K.relu(torch.from_numpy(x), **kwargs), _keras2_relu(x, **kwargs))


def test_elu_hard_sigmoid_softmax():
    x = rand(3, 4, low=-4.0, high=4.0)
    x64 = x.astype("float64")
    close(K.elu(torch.from_numpy(x)), np.where(x64 > 0, x64, np.expm1(x64)))
    close(K.elu(torch.from_numpy(x), alpha=0.5), np.where(x64 > 0, x64, 0.5 * np.expm1(x64)))
    close(K.hard_sigmoid(torch.from_numpy(x)), np.clip(0.2 * x64 + 0.5, 0.0, 1.0))
    for axis in (-1, 0, (0, 1)):
        shifted = np.exp(x64 - x64.max(axis=axis, keepdims=True))
        close(K.softmax(torch.from_numpy(x), axis=axis), shifted / shifted.sum(axis=axis, keepdims=True))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("name", ["sigmoid", "tanh", "softplus", "softsign", "elu", "softmax", "relu", "exp",
                                  "square", "abs", "sign"])
def test_activations_match_keras_ops(keras_oracle, name):
    x = rand(3, 5, low=-4.0, high=4.0)
    expected = getattr(keras_oracle.ops, name)(torch.from_numpy(x))
    close(getattr(K, name)(torch.from_numpy(x)), oracle_numpy(expected))


# ---- cross-entropies --------------------------------------------------------------------------
def _probabilities(*shape):
    p = RNG.uniform(0.05, 1.0, size=shape)
    p[0, 0] = 0.0  # exact 0 and 1 probabilities must give finite values
    p[1, -1] = 1.0
    return p.astype("float32")


def test_binary_crossentropy_is_element_wise_and_clipped():
    target = (RNG.uniform(size=(4, 3)) > 0.5).astype("float32")
    target[0, 0] = 1.0
    target[1, -1] = 0.0
    output = _probabilities(4, 3)
    # in float32, as Keras 2 computes it: 1 - (1 - eps) + eps is then 2.19e-7, not 2e-7
    eps = np.float32(EPS)
    p = np.clip(output, eps, np.float32(1) - eps)
    expected = -(target * np.log(p + eps) + (1 - target) * np.log(np.float32(1) - p + eps))
    out = K.binary_crossentropy(torch.from_numpy(target), torch.from_numpy(output))
    assert out.shape == (4, 3)  # no mean over the last axis, unlike keras.losses.binary_crossentropy
    assert torch.isfinite(out).all()
    close(out, expected, rtol=1e-4)


def test_binary_crossentropy_from_logits():
    target = RNG.uniform(size=(4, 3)).astype("float32")
    logits = rand(4, 3, low=-30.0, high=30.0)
    x = logits.astype("float64")
    log_p = -np.logaddexp(0.0, -x)
    log_not_p = -np.logaddexp(0.0, x)
    expected = -(target * log_p + (1 - target) * log_not_p)
    out = K.binary_crossentropy(torch.from_numpy(target), torch.from_numpy(logits), from_logits=True)
    close(out, expected, rtol=1e-5, atol=1e-5)


def test_categorical_crossentropy_with_clipping_and_axis():
    target = np.eye(3, dtype="float32")[[0, 2, 1, 0]]
    output = _probabilities(4, 3)
    p = output.astype("float64") / output.sum(axis=-1, keepdims=True)
    expected = -np.sum(target * np.log(np.clip(p, EPS, 1 - EPS)), axis=-1)
    out = K.categorical_crossentropy(torch.from_numpy(target), torch.from_numpy(output))
    assert torch.isfinite(out).all()
    close(out, expected, rtol=1e-5)
    # class axis first
    out = K.categorical_crossentropy(torch.from_numpy(target.T.copy()), torch.from_numpy(output.T.copy()), axis=0)
    close(out, expected, rtol=1e-5)
    logits = rand(4, 3, low=-5.0, high=5.0).astype("float64")
    log_softmax = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    out = K.categorical_crossentropy(torch.from_numpy(target), torch.from_numpy(logits.astype("float32")),
                                     from_logits=True)
    close(out, -np.sum(target * log_softmax, axis=-1), rtol=1e-5)


def test_sparse_categorical_crossentropy_with_clipping():
    labels = np.array([0, 2, 1, 2])
    output = _probabilities(4, 3)
    # Keras 2: clip, take the log, then log-softmax (that is, renormalise the clipped values)
    clipped = np.clip(output.astype("float64"), EPS, 1 - EPS)
    expected = -np.log(clipped[np.arange(4), labels] / clipped.sum(axis=-1))
    out = K.sparse_categorical_crossentropy(torch.from_numpy(labels), torch.from_numpy(output))
    assert torch.isfinite(out).all()
    close(out, expected, rtol=1e-5)
    close(K.sparse_categorical_crossentropy(torch.from_numpy(labels[:, None]), torch.from_numpy(output)), expected,
          rtol=1e-5)
    logits = rand(4, 3, low=-5.0, high=5.0).astype("float64")
    log_softmax = logits - np.log(np.exp(logits).sum(axis=-1, keepdims=True))
    out = K.sparse_categorical_crossentropy(torch.from_numpy(labels), torch.from_numpy(logits.astype("float32")),
                                            from_logits=True)
    close(out, -log_softmax[np.arange(4), labels], rtol=1e-5)
    out = K.sparse_categorical_crossentropy(torch.from_numpy(labels), torch.from_numpy(output), ignore_class=2)
    close(out, np.where(labels == 2, 0.0, expected), rtol=1e-5)


@pytest.mark.keras_oracle
def test_crossentropies_match_keras_ops(keras_oracle):
    # Keras 3 renormalises before clipping, Keras 2 after: they agree on normalised probabilities
    output = torch.softmax(torch.from_numpy(rand(4, 3, low=-3.0, high=3.0)), dim=-1)
    labels = torch.tensor([0, 2, 1, 2])
    target = torch.eye(3)[labels]
    for from_logits in (False, True):
        expected = keras_oracle.ops.categorical_crossentropy(target, output, from_logits=from_logits)
        close(K.categorical_crossentropy(target, output, from_logits=from_logits),
              oracle_numpy(expected), rtol=1e-5)
        expected = keras_oracle.ops.sparse_categorical_crossentropy(labels, output, from_logits=from_logits)
        close(K.sparse_categorical_crossentropy(labels, output, from_logits=from_logits),
              oracle_numpy(expected), rtol=1e-5)
    # away from 0 and 1 (where Keras 2 adds epsilon inside the log) binary matches Keras 3's op
    interior = torch.from_numpy(RNG.uniform(0.1, 0.9, size=(4, 3)).astype("float32"))
    expected = keras_oracle.ops.binary_crossentropy(target, interior)
    close(K.binary_crossentropy(target, interior), oracle_numpy(expected), rtol=1e-5)


# ---- normalisation, dropout, control flow -----------------------------------------------------
def test_l2_normalize():
    x = rand(3, 4).astype("float64")
    for axis in (-1, 0, None, (0, 1)):
        norm = np.sqrt(np.maximum(np.sum(x ** 2, axis=axis, keepdims=True), 1e-12))
        close(K.l2_normalize(torch.from_numpy(x), axis=axis), x / norm)
    close(K.l2_normalize(torch.zeros(2, 3), axis=-1), np.zeros((2, 3)))  # no NaN for zero vectors


def test_dropout():
    x = torch.ones(200, 50)
    out = K.dropout(x, 0.3, seed=5)
    values = K.eval(out)
    kept = values != 0
    np.testing.assert_allclose(values[kept], 1.0 / 0.7, rtol=1e-6)
    assert abs(1.0 - kept.mean() - 0.3) < 0.02
    assert torch.equal(out, K.dropout(x, 0.3, seed=5))
    assert not torch.equal(out, K.dropout(x, 0.3, seed=6))
    # one mask per row, shared across the second axis
    rows = K.eval(K.dropout(x, 0.5, noise_shape=(200, 1), seed=1))
    assert np.all(rows == rows[:, :1]) and 0 < (rows[:, 0] == 0).sum() < 200
    assert K.dropout(x, 0.0) is x
    with pytest.raises(ValueError, match="`dropout` argument `level`"):
        K.dropout(x, 1.0)
    with pytest.raises(ValueError, match="`dropout` argument `noise_shape`"):
        K.dropout(x, 0.5, noise_shape=(200,))


def test_switch():
    then_value, else_value = torch.from_numpy(rand(3, 4)), torch.from_numpy(rand(3, 4))
    assert K.switch(torch.tensor(True), then_value, else_value) is then_value
    calls = []
    picked = K.switch(False, lambda: calls.append("then") or then_value, lambda: calls.append("else") or else_value)
    assert picked is else_value and calls == ["else"]
    condition = np.array([True, False, True])  # rank 1 < rank 2: applies to the leading axis
    expected = np.where(condition[:, None], then_value.numpy(), else_value.numpy())
    close(K.switch(torch.from_numpy(condition), then_value, else_value), expected)
    full = then_value > 0
    close(K.switch(full, then_value, else_value), np.where(full.numpy(), then_value.numpy(), else_value.numpy()))
    with pytest.raises(ValueError, match="`switch` argument `condition`"):
        K.switch(torch.ones(2, 2, 2, dtype=torch.bool), torch.ones(2, 2), torch.zeros(2, 2))


def test_stop_gradient():
    w = torch.tensor([2.0, 3.0], requires_grad=True)
    loss = K.sum(w * K.stop_gradient(w))
    loss.backward()
    close(w.grad, [2.0, 3.0])  # d/dw (w * const(w)) = const(w)
    frozen = K.stop_gradient([w, w * 2])
    assert isinstance(frozen, list) and not any(t.requires_grad for t in frozen)
