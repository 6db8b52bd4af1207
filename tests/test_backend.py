"""``layerwise.backend`` (Keras 2's ``K.*`` functions) checked on numbers against NumPy and hand formulas.

Keras 3 (on its torch backend) is used as an oracle where it exposes the same function.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise import backend as K
from layerwise.api_export import get_public
from layerwise.variables import Variable

RNG = np.random.default_rng(0)
EPS = 1e-7


def rand(*shape, low=-2.0, high=2.0):
    return RNG.uniform(low, high, size=shape).astype("float32")


def close(actual, expected, rtol=1e-5, atol=1e-6):
    actual = K.get_value(actual) if isinstance(actual, torch.Tensor) else np.asarray(actual)
    expected = np.asarray(expected)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


def oracle_numpy(tensor):
    return tensor.detach().cpu().numpy()


# ---- the public surface -----------------------------------------------------------------------
def test_every_public_name_is_exported_under_its_backend_path():
    for name in K.__all__:
        assert get_public(f"layerwise.backend.{name}") is getattr(K, name), name


def test_settings_are_the_config_functions():
    assert K.floatx() == "float32" and K.floatx is keras.config.floatx
    assert K.epsilon() == 1e-7
    K.set_epsilon(1e-5)
    try:
        assert keras.config.epsilon() == 1e-5
    finally:
        K.set_epsilon(1e-7)
    assert K.image_data_format() == "channels_last"
    K.set_image_data_format("channels_first")
    try:
        assert keras.config.image_data_format() == "channels_first"
    finally:
        K.set_image_data_format("channels_last")
    K.set_floatx("float64")
    try:
        assert K.zeros((2,)).dtype == torch.float64 and K.variable([1.0]).dtype == torch.float64
    finally:
        K.set_floatx("float32")


def test_keras_style_import():
    from layerwise import backend

    assert keras.backend is backend
    close(K.sum(K.ones((2, 3)), axis=1), [3.0, 3.0])


# ---- reductions -------------------------------------------------------------------------------
REDUCTIONS = {
    "sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min, "prod": np.prod, "std": np.std, "var": np.var,
}
AXES = [None, 0, 1, -1, (0, 2), [1, 2]]


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions_match_numpy(name, axis, keepdims):
    x = rand(3, 4, 5, low=0.5, high=1.5)
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    expected = REDUCTIONS[name](x.astype("float64"), axis=np_axis, keepdims=keepdims)
    out = getattr(K, name)(torch.from_numpy(x), axis=axis, keepdims=keepdims)
    close(out, expected, rtol=1e-5)


@pytest.mark.parametrize("name", ["any", "all"])
@pytest.mark.parametrize("axis", AXES)
@pytest.mark.parametrize("keepdims", [False, True])
def test_logical_reductions_match_numpy(name, axis, keepdims):
    x = (RNG.uniform(size=(3, 4, 5)) > 0.7).astype("float32")
    np_axis = tuple(axis) if isinstance(axis, list) else axis
    expected = getattr(np, name)(x != 0, axis=np_axis, keepdims=keepdims)
    out = getattr(K, name)(torch.from_numpy(x), axis=axis, keepdims=keepdims)
    assert out.dtype == torch.bool
    np.testing.assert_array_equal(K.eval(out), expected)


def test_mean_of_booleans_and_integers_is_floatx():
    out = K.mean(torch.tensor([True, False, True, True]))
    assert out.dtype == torch.float32 and float(out) == 0.75
    close(K.var(torch.tensor([1, 3])), 1.0)


@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_arg_reductions(name):
    x = rand(4, 6)
    reference = getattr(np, name)
    np.testing.assert_array_equal(K.eval(getattr(K, name)(x)), reference(x, axis=-1))
    np.testing.assert_array_equal(K.eval(getattr(K, name)(x, axis=0)), reference(x, axis=0))
    # TensorFlow (and so Keras 2) reads axis=None as axis 0
    np.testing.assert_array_equal(K.eval(getattr(K, name)(x, axis=None)), reference(x, axis=0))
    with pytest.raises(TypeError, match=f"`{name}` argument `axis`"):
        getattr(K, name)(x, axis=(0, 1))


# ---- element-wise -----------------------------------------------------------------------------
@pytest.mark.parametrize("name, reference, low", [
    ("square", np.square, -2.0), ("abs", np.abs, -2.0), ("exp", np.exp, -2.0), ("log", np.log, 0.1),
    ("sign", np.sign, -2.0), ("sqrt", np.sqrt, 0.0), ("tanh", np.tanh, -2.0),
    ("sigmoid", lambda v: 1.0 / (1.0 + np.exp(-v)), -4.0), ("softplus", lambda v: np.log1p(np.exp(v)), -4.0),
    ("softsign", lambda v: v / (1.0 + np.abs(v)), -4.0),
])
def test_unary_functions_match_numpy(name, reference, low):
    x = rand(3, 5, low=low, high=4.0)
    close(getattr(K, name)(torch.from_numpy(x)), reference(x.astype("float64")))


def test_sqrt_of_negative_values_is_zero_not_nan():
    close(K.sqrt(torch.tensor([-4.0, 0.0, 4.0])), [0.0, 0.0, 2.0])


def test_round_halves_to_even_like_numpy():
    x = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.7, -0.2], dtype="float32")
    close(K.round(torch.from_numpy(x)), np.round(x))


def test_pow():
    x = rand(4, low=0.5, high=2.0)
    close(K.pow(torch.from_numpy(x), 3), x.astype("float64") ** 3)
    close(K.pow(torch.from_numpy(x), torch.tensor(0.5)), np.sqrt(x))


def test_clip():
    x = rand(4, 5)
    close(K.clip(torch.from_numpy(x), -0.5, 0.7), np.clip(x, -0.5, 0.7))
    close(K.clip(torch.from_numpy(x), None, 0.7), np.minimum(x, 0.7))
    close(K.clip(torch.from_numpy(x), -0.5, None), np.maximum(x, -0.5))
    # Keras 2: a max below the min is raised to the min
    close(K.clip(torch.from_numpy(x), 0.5, 0.1), np.full_like(x, 0.5))


@pytest.mark.parametrize("name", ["maximum", "minimum", "equal", "not_equal", "greater", "greater_equal", "less",
                                  "less_equal"])
def test_binary_functions_broadcast_like_numpy(name):
    x = np.round(rand(3, 4), 1)
    y = np.round(rand(4), 1)
    y[0] = x[0, 0]  # at least one tie
    out = getattr(K, name)(torch.from_numpy(x), torch.from_numpy(y))
    np.testing.assert_array_equal(K.eval(out), getattr(np, name)(x, y))


# ---- products ---------------------------------------------------------------------------------
@pytest.mark.parametrize("x_shape, y_shape", [((2, 3), (3, 4)), ((2, 5, 3), (3, 4)), ((2, 3), (5, 3, 4)),
                                              ((2, 3, 4), (6, 4, 5))])
def test_dot_matches_numpy(x_shape, y_shape):
    x, y = rand(*x_shape), rand(*y_shape)
    close(K.dot(torch.from_numpy(x), torch.from_numpy(y)), np.dot(x.astype("float64"), y), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("x_shape, y_shape, axes, subscripts", [
    ((4, 3, 5), (4, 5, 2), None, "bnd,bdm->bnm"),  # (batch, n, d) . (batch, d, m)
    ((4, 3, 5), (4, 2, 5), 2, "bnd,bmd->bnm"),
    ((4, 3, 5), (4, 2, 5), (2, 2), "bnd,bmd->bnm"),
    ((4, 20, 1), (4, 30, 20), (1, 2), "bki,bjk->bij"),  # Keras 2's docstring example: shape (4, 1, 30)
    ((4, 5, 3), (4, 5, 2), (1, 1), "bdn,bdm->bnm"),
    ((4, 3, 5), (4, 5), None, "bnd,bd->bn"),
    ((4, 5), (4, 5, 2), None, "bd,bdm->bm"),
    ((4, 2, 3, 5), (4, 5, 6), None, "bpqd,bdm->bpqm"),
    ((4, 5), (4, 5, 2, 3), (1, 1), "bd,bdpq->bpq"),
    ((4, 5), (4, 2, 5, 3), None, "bd,bpdq->bpq"),
    ((4, 5), (4, 5), None, "bd,bd->b"),  # shape (batch, 1) in Keras 2, checked below
])
def test_batch_dot_matches_einsum(x_shape, y_shape, axes, subscripts):
    x, y = rand(*x_shape), rand(*y_shape)
    expected = np.einsum(subscripts, x.astype("float64"), y)
    if len(x_shape) == len(y_shape) == 2:
        expected = expected[:, None]
    close(K.batch_dot(torch.from_numpy(x), torch.from_numpy(y), axes=axes), expected, atol=1e-5)


def test_batch_dot_rejects_bad_inputs():
    with pytest.raises(ValueError, match="`batch_dot` needs inputs of rank 2"):
        K.batch_dot(torch.ones(3), torch.ones(3, 2))
    with pytest.raises(ValueError, match="same batch size"):
        K.batch_dot(torch.ones(3, 2), torch.ones(4, 2))
    with pytest.raises(ValueError, match="batch axis 0"):
        K.batch_dot(torch.ones(3, 2), torch.ones(3, 2), axes=(0, 1))
    with pytest.raises(ValueError, match="sizes 2 and 5 differ"):
        K.batch_dot(torch.ones(3, 4, 2), torch.ones(3, 5, 6))
    with pytest.raises(ValueError, match="`batch_dot` argument `axes`"):
        K.batch_dot(torch.ones(3, 2), torch.ones(3, 2), axes=((1,), (1,)))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("x_shape, y_shape, axes", [((4, 3, 5), (4, 5, 2), (2, 1)), ((4, 3, 5), (4, 2, 5), 2),
                                                    ((4, 5), (4, 5), 1), ((4, 5, 3), (4, 5, 2), (1, 1))])
def test_batch_dot_matches_keras_dot_layer(keras_oracle, x_shape, y_shape, axes):
    x, y = rand(*x_shape), rand(*y_shape)
    expected = keras_oracle.layers.Dot(axes=axes)([torch.from_numpy(x), torch.from_numpy(y)])
    close(K.batch_dot(torch.from_numpy(x), torch.from_numpy(y), axes=axes), oracle_numpy(expected),
          atol=1e-5)


# ---- shapes, joins, indexing ------------------------------------------------------------------
def test_shape_functions():
    x = torch.from_numpy(rand(2, 3, 4))
    close(K.transpose(x), np.transpose(x.numpy()))
    close(K.permute_dimensions(x, (2, 0, 1)), np.transpose(x.numpy(), (2, 0, 1)))
    close(K.reshape(x, (-1, 4)), x.numpy().reshape(-1, 4))
    close(K.reshape(x, (K.shape(x)[0], -1)), x.numpy().reshape(2, 12))
    close(K.flatten(x), x.numpy().reshape(-1))
    close(K.batch_flatten(x), x.numpy().reshape(2, -1))
    assert K.int_shape(K.batch_flatten(torch.zeros(0, 3, 4))) == (0, 12)
    assert K.int_shape(K.expand_dims(x)) == (2, 3, 4, 1)
    close(K.expand_dims(x, 1), np.expand_dims(x.numpy(), 1))
    close(K.squeeze(K.expand_dims(x, 1), 1), x.numpy())
    with pytest.raises(ValueError, match="`squeeze`"):
        K.squeeze(x, 1)
    with pytest.raises(ValueError, match="`permute_dimensions` argument `pattern`"):
        K.permute_dimensions(x, (0, 0, 1))


def test_joins_and_repeats():
    a, b = rand(2, 3), rand(2, 4)
    close(K.concatenate([torch.from_numpy(a), torch.from_numpy(b)]), np.concatenate([a, b], axis=-1))
    close(K.concatenate([torch.from_numpy(a), torch.from_numpy(a)], axis=0), np.concatenate([a, a], axis=0))
    close(K.stack([torch.from_numpy(a), torch.from_numpy(a * 2)], axis=1), np.stack([a, a * 2], axis=1))
    close(K.repeat_elements(torch.from_numpy(a), 3, axis=1), np.repeat(a, 3, axis=1))
    close(K.repeat_elements(torch.from_numpy(a), 2, axis=0), np.repeat(a, 2, axis=0))
    close(K.tile(torch.from_numpy(a), (2, 3)), np.tile(a, (2, 3)))
    close(K.tile(torch.from_numpy(a), [1, 2]), np.tile(a, (1, 2)))
    with pytest.raises(ValueError, match="`concatenate` argument `tensors`"):
        K.concatenate([])
    with pytest.raises(ValueError, match="`repeat_elements` argument `rep`"):
        K.repeat_elements(torch.from_numpy(a), -1, axis=0)


def test_gather_and_one_hot():
    reference = rand(5, 3)
    indices = np.array([[4, 0], [2, 2]])
    close(K.gather(torch.from_numpy(reference), torch.from_numpy(indices)), np.take(reference, indices, axis=0))
    labels = np.array([[0, 3], [1, 5]])  # 5 is out of range: an all-zero row, as tf.one_hot
    expected = np.zeros((2, 2, 4), dtype="float32")
    for i, j in np.ndindex(labels.shape):
        if labels[i, j] < 4:
            expected[i, j, labels[i, j]] = 1.0
    out = K.one_hot(torch.from_numpy(labels), 4)
    assert out.dtype == torch.float32
    close(out, expected)
    with pytest.raises(ValueError, match="`one_hot` argument `num_classes`"):
        K.one_hot(torch.from_numpy(labels), 0)


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


# ---- values and variables ---------------------------------------------------------------------
def test_variable_is_a_layerwise_variable_holding_a_copy():
    source = np.arange(6, dtype="int64").reshape(2, 3)
    v = K.variable(source, name="state")
    assert isinstance(v, Variable) and v.name == "state" and v.dtype == torch.float32
    source[0, 0] = 100
    close(v, np.arange(6).reshape(2, 3))
    t = torch.ones(2)
    v2 = K.variable(t, dtype="float64")
    t.add_(1)
    assert v2.dtype == torch.float64 and K.get_value(v2).sum() == 2.0
    assert K.variable([1, 2], dtype="int32").dtype == torch.int32


def test_set_value_copies_in_place():
    v = K.variable(np.zeros((2, 3)))
    identity, address = id(v), v.data_ptr()
    new = rand(2, 3)
    assert K.set_value(v, new) is None
    assert id(v) == identity and v.data_ptr() == address and isinstance(v, Variable)
    close(K.get_value(v), new)
    K.set_value(v, np.arange(6).reshape(2, 3))  # integer values, float variable: the dtype is kept
    assert v.dtype == torch.float32
    close(v, np.arange(6).reshape(2, 3))
    plain = torch.zeros(3, dtype=torch.int64)
    K.set_value(plain, torch.tensor([1.7, 2.2, 3.0]))
    np.testing.assert_array_equal(plain.numpy(), [1, 2, 3])
    with pytest.raises(ValueError, match=r"`set_value` argument `value` must have the shape of `x`, \(2, 3\)"):
        K.set_value(v, np.zeros(3))
    with pytest.raises(TypeError, match="`set_value` argument `x`"):
        K.set_value(np.zeros(3), np.ones(3))


def test_batch_get_and_set_value():
    a, b = K.variable([0.0, 0.0]), K.variable(np.zeros((2, 2)))
    K.batch_set_value([(a, [1.0, 2.0]), (b, np.eye(2))])
    got = K.batch_get_value([a, b])
    assert all(isinstance(value, np.ndarray) for value in got)
    close(got[0], [1.0, 2.0])
    close(got[1], np.eye(2))
    with pytest.raises(ValueError, match="`batch_set_value` argument `tuples`"):
        K.batch_set_value([a])


def test_get_value_and_eval():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    assert isinstance(K.get_value(x), np.ndarray) and isinstance(K.eval(x * 2), np.ndarray)
    close(K.eval(x * 2), [2.0, 4.0])
    assert K.get_value(3.5) == 3.5
    with pytest.raises(ValueError, match="`get_value` argument `x` is a symbolic tensor"):
        K.get_value(keras.Input((2,)))


def test_set_value_on_an_optimizer_learning_rate():
    optimizer = keras.optimizers.SGD(learning_rate=0.1)
    K.set_value(optimizer.learning_rate, 0.01)
    assert abs(K.get_value(optimizer.learning_rate) - 0.01) < 1e-9


def test_shape_information():
    x = torch.zeros(2, 3, dtype=torch.int32)
    assert K.int_shape(x) == (2, 3) and K.ndim(x) == 2 and K.dtype(x) == "int32"
    shape = K.shape(x)
    assert shape.dtype == torch.int32 and shape.tolist() == [2, 3]
    symbolic = keras.Input((4, 5))
    assert K.int_shape(symbolic) == (None, 4, 5) and K.ndim(symbolic) == 3 and K.shape(symbolic) == (None, 4, 5)
    assert K.int_shape(np.zeros((1, 2))) == (1, 2)
    with pytest.raises(TypeError, match="`int_shape` argument `x`"):
        K.int_shape([1, 2])


def test_creation():
    close(K.zeros((2, 3)), np.zeros((2, 3)))
    close(K.ones((2,), dtype="int32"), np.ones(2))
    assert K.ones((2,), dtype="int32").dtype == torch.int32 and K.zeros(3).dtype == torch.float32
    close(K.eye(3), np.eye(3))
    close(K.eye((2, 4)), np.eye(2, 4))
    reference = torch.tensor([[1, 2]], dtype=torch.int16)
    assert K.zeros_like(reference).dtype == torch.int16
    close(K.ones_like(reference, dtype="float32"), np.ones((1, 2)))
    close(K.zeros(K.shape(reference)), np.zeros((1, 2)))
    close(K.constant(1.5, shape=(2, 2)), np.full((2, 2), 1.5))
    close(K.constant([[1, 2], [3, 4]], shape=(4,)), [1.0, 2.0, 3.0, 4.0])
    assert K.constant([1, 2]).dtype == torch.float32 and K.constant([1, 2], dtype="int64").dtype == torch.int64
    source = torch.ones(2)
    assert K.constant(source) is not source
    with pytest.raises(ValueError, match="`constant` argument `shape`"):
        K.constant([1.0, 2.0, 3.0], shape=(2, 2))
    with pytest.raises(ValueError, match="`zeros` argument `shape`"):
        K.zeros((2, -1))
    with pytest.raises(ValueError, match="`eye` argument `size`"):
        K.eye((2, 3, 4))


def test_random():
    uniform = K.eval(K.random_uniform((200, 100), minval=-2.0, maxval=3.0, seed=1))
    assert uniform.dtype == np.float32 and uniform.min() >= -2.0 and uniform.max() < 3.0
    assert abs(uniform.mean() - 0.5) < 0.05
    np.testing.assert_array_equal(uniform, K.eval(K.random_uniform((200, 100), minval=-2.0, maxval=3.0, seed=1)))
    integers = K.eval(K.random_uniform((1000,), minval=0, maxval=5, dtype="int32"))
    assert integers.dtype == np.int32 and set(np.unique(integers)) == {0, 1, 2, 3, 4}
    normal = K.eval(K.random_normal((200, 100), mean=1.0, stddev=2.0, seed=2))
    assert abs(normal.mean() - 1.0) < 0.05 and abs(normal.std() - 2.0) < 0.05
    np.testing.assert_array_equal(normal, K.eval(K.random_normal((200, 100), mean=1.0, stddev=2.0, seed=2)))
    x = torch.zeros(3, 4)
    assert K.int_shape(K.random_normal(shape=(K.shape(x)[0], K.int_shape(x)[1]))) == (3, 4)
    with pytest.raises(ValueError, match="`random_normal` argument `dtype`"):
        K.random_normal((2,), dtype="int32")


# ---- session ----------------------------------------------------------------------------------
def test_clear_session_resets_layer_names():
    assert keras.layers.Dense(2).name == "dense"
    assert keras.layers.Dense(2).name == "dense_1"
    K.clear_session()
    assert keras.layers.Dense(2).name == "dense"
    K.clear_session(free_memory=False)
    assert keras.layers.Dense(2).name == "dense"


def test_learning_phase_and_is_keras_tensor():
    assert K.learning_phase() == 0
    K.set_learning_phase(1)
    assert K.learning_phase() == 0  # accepted and ignored: layers take `training=`
    with pytest.raises(ValueError, match="`set_learning_phase` argument `value`"):
        K.set_learning_phase(2)
    assert K.is_keras_tensor(keras.Input((3,))) is True
    assert K.is_keras_tensor(torch.zeros(3)) is False and K.is_keras_tensor(K.variable([1.0])) is False
    with pytest.raises(ValueError, match="`is_keras_tensor` argument `x`"):
        K.is_keras_tensor(np.zeros(3))


# ---- Keras 2 code in a model ------------------------------------------------------------------
def test_keras2_sampling_lambda_in_a_functional_model():
    """The classic VAE sampling layer written with K.* runs in a functional model."""

    def sampling(args):
        z_mean, z_log_var = args
        batch, dim = K.shape(z_mean)[0], K.int_shape(z_mean)[1]
        epsilon = K.random_normal(shape=(batch, dim))
        return z_mean + K.exp(0.5 * z_log_var) * epsilon

    inputs = keras.Input((4,))
    z_mean = keras.layers.Dense(2)(inputs)
    z_log_var = keras.layers.Dense(2)(inputs)
    z = keras.layers.Lambda(sampling)([z_mean, z_log_var])
    model = keras.Model(inputs, z)
    out = model(torch.from_numpy(rand(5, 4)))
    assert tuple(out.shape) == (5, 2) and torch.isfinite(out).all()


def test_backend_functions_serialize_by_name():
    from layerwise.saving.serialization_lib import deserialize_keras_object, serialize_keras_object

    config = serialize_keras_object(K.l2_normalize)
    assert config["module"] == "layerwise.backend" and config["config"] == "l2_normalize"
    assert deserialize_keras_object(config) is K.l2_normalize
    layer = keras.layers.Lambda(K.l2_normalize, arguments={"axis": -1})
    clone = keras.layers.Lambda.from_config(layer.get_config())
    close(clone(torch.tensor([[3.0, 4.0]])), [[0.6, 0.8]])
