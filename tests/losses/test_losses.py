"""Losses against their definitions in NumPy float64: functions, classes, reductions, weights, masks.

The references and the random data (with probabilities exactly 0 and 1, and logits of +-50) are in
``conftest.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise import ops
from layerwise.losses import loss as loss_module
from tests.losses.conftest import (
    REDUCTIONS,
    _clip_bounds,
    binary_data,
    categorical_data,
    logits_data,
    np_bce,
    np_cce,
    np_mae,
    np_mse,
    np_reduce,
    np_scce,
    t,
    to_np,
)

# ---------------------------------------------------------------------------------------------
# 1. functions and classes against their definitions
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype,tol", [(torch.float64, 1e-12), (torch.float32, 1e-5)])
def test_regression_functions_match_numpy(rng, dtype, tol):
    y, p = rng.normal(size=(8, 5)), rng.normal(size=(8, 5))
    np.testing.assert_allclose(to_np(keras.losses.mean_squared_error(t(y, dtype), t(p, dtype))), np_mse(y, p),
                               rtol=tol, atol=tol)
    np.testing.assert_allclose(to_np(keras.losses.mean_absolute_error(t(y, dtype), t(p, dtype))), np_mae(y, p),
                               rtol=tol, atol=tol)
    # labels (n,) against predictions (n, 1): one error per sample, never an (n, n) broadcast
    y1, p1 = rng.normal(size=8), rng.normal(size=(8, 1))
    out = keras.losses.mean_squared_error(t(y1, dtype), t(p1, dtype))
    assert tuple(out.shape) == (8,)
    np.testing.assert_allclose(to_np(out), (y1 - p1[:, 0]) ** 2, rtol=tol, atol=tol)
    out = keras.losses.mean_absolute_error(t(y1[:, None], dtype), t(p1[:, 0], dtype))
    np.testing.assert_allclose(to_np(out), np.abs(y1 - p1[:, 0]), rtol=tol, atol=tol)


def test_regression_classes_reduce_the_functions(rng):
    y, p = rng.normal(size=(6, 3)), rng.normal(size=(6, 3))
    assert float(keras.losses.MeanSquaredError()(t(y), t(p))) == pytest.approx(np_mse(y, p).mean(), rel=1e-6)
    assert float(keras.losses.MeanAbsoluteError()(t(y), t(p))) == pytest.approx(np_mae(y, p).mean(), rel=1e-6)
    # integer inputs work (computed in the loss dtype), like Keras
    out = keras.losses.MeanSquaredError()(torch.tensor([[1, 2]]), torch.tensor([[1, 4]]))
    assert out.dtype == torch.float32 and float(out) == 2.0


@pytest.mark.parametrize("dtype,tol", [(torch.float64, 1e-10), (torch.float32, 2e-5)])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.2])
def test_binary_crossentropy_probabilities(rng, dtype, tol, label_smoothing):
    y, p = binary_data(rng)
    out = keras.losses.binary_crossentropy(t(y, dtype), t(p, dtype), label_smoothing=label_smoothing)
    assert torch.isfinite(out).all()
    expected = np_bce(y, p, label_smoothing=label_smoothing, dtype=np.float32 if dtype == torch.float32 else np.float64)
    np.testing.assert_allclose(to_np(out), expected, rtol=tol, atol=tol)
    # a certain, wrong prediction costs -log(eps) (about 16.1), not inf
    single = keras.losses.binary_crossentropy(t([[1.0]], dtype), t([[0.0]], dtype))
    assert float(single) == pytest.approx(-np.log(_clip_bounds(np.float32 if dtype == torch.float32
                                                                else np.float64)[0]), rel=1e-6)


@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_binary_crossentropy_logits_are_stable(rng, label_smoothing):
    y = rng.integers(0, 2, size=(16, 4)).astype(np.float64)
    x = logits_data(rng)
    for dtype, tol in [(torch.float64, 1e-12), (torch.float32, 1e-5)]:
        out = keras.losses.binary_crossentropy(t(y, dtype), t(x, dtype), from_logits=True,
                                               label_smoothing=label_smoothing)
        assert torch.isfinite(out).all()
        np.testing.assert_allclose(to_np(out), np_bce(y, x, True, label_smoothing), rtol=tol, atol=tol)
    # -log(sigmoid(-50)) = 50 (no overflow), -log(sigmoid(50)) ~ 2e-22
    out = keras.losses.binary_crossentropy(t([[1.0], [1.0]]), t([[-50.0], [50.0]]), from_logits=True)
    np.testing.assert_allclose(to_np(out), [50.0, 0.0], atol=1e-6)


def test_binary_crossentropy_label_smoothing_formula():
    # one label 1, p = 0.9, s = 0.2: target 1 * 0.8 + 0.1 = 0.9
    out = keras.losses.binary_crossentropy(t([[1.0]], torch.float64), t([[0.9]], torch.float64), label_smoothing=0.2)
    assert float(out) == pytest.approx(-(0.9 * np.log(0.9) + 0.1 * np.log(0.1)), rel=1e-12)


def test_binary_crossentropy_shapes_and_axis(rng):
    y, p = binary_data(rng, n=6, k=3)
    # labels (n,) against (n, 1) and the other way round
    out = keras.losses.binary_crossentropy(t(y[:, 0], torch.float64), t(p[:, :1], torch.float64))
    np.testing.assert_allclose(to_np(out), np_bce(y[:, :1], p[:, :1]), rtol=1e-10, atol=1e-12)
    out = keras.losses.binary_crossentropy(t(y[:, :1], torch.float64), t(p[:, 0], torch.float64))
    np.testing.assert_allclose(to_np(out), np_bce(y[:, :1], p[:, :1]), rtol=1e-10, atol=1e-12)
    # axis: the mean is taken over that axis
    y3, p3 = rng.integers(0, 2, size=(4, 3, 5)).astype(float), rng.uniform(size=(4, 3, 5))
    for axis in (0, 1, -1):
        out = keras.losses.binary_crossentropy(t(y3, torch.float64), t(p3, torch.float64), axis=axis)
        np.testing.assert_allclose(to_np(out), np_bce(y3, p3, axis=axis), rtol=1e-10, atol=1e-12)
    with pytest.raises(ValueError, match="same shape"):
        keras.losses.binary_crossentropy(t(np.zeros((4, 2))), t(np.zeros((4, 3))))


@pytest.mark.parametrize("dtype,tol", [(torch.float64, 1e-10), (torch.float32, 2e-5)])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.3])
def test_categorical_crossentropy_probabilities(rng, dtype, tol, label_smoothing):
    _, y, p = categorical_data(rng)
    out = keras.losses.categorical_crossentropy(t(y, dtype), t(p, dtype), label_smoothing=label_smoothing)
    assert torch.isfinite(out).all()
    expected = np_cce(y, p, label_smoothing=label_smoothing,
                      dtype=np.float32 if dtype == torch.float32 else np.float64)
    np.testing.assert_allclose(to_np(out), expected, rtol=tol, atol=tol)


@pytest.mark.parametrize("label_smoothing", [0.0, 0.3])
def test_categorical_crossentropy_logits_are_stable(rng, label_smoothing):
    _, y, _ = categorical_data(rng)
    x = logits_data(rng)
    for dtype, tol in [(torch.float64, 1e-12), (torch.float32, 1e-5)]:
        out = keras.losses.categorical_crossentropy(t(y, dtype), t(x, dtype), from_logits=True,
                                                    label_smoothing=label_smoothing)
        assert torch.isfinite(out).all()
        np.testing.assert_allclose(to_np(out), np_cce(y, x, True, label_smoothing), rtol=tol, atol=tol)


def test_categorical_crossentropy_label_smoothing_formula():
    # C = 4, s = 0.2: the label gets 0.8 + 0.05, the others 0.05
    p = np.array([[0.1, 0.2, 0.3, 0.4]])
    out = keras.losses.categorical_crossentropy(t([[0, 0, 1, 0]], torch.float64), t(p, torch.float64),
                                                label_smoothing=0.2)
    target = np.array([0.05, 0.05, 0.85, 0.05])
    assert float(out) == pytest.approx(-(target * np.log(p[0])).sum(), rel=1e-12)


def test_categorical_crossentropy_axis(rng):
    labels = rng.integers(0, 4, size=(3, 5))
    y = np.moveaxis(np.eye(4)[labels], -1, 1)  # (3, C=4, 5): classes on axis 1
    p = rng.uniform(0.01, 1, size=(3, 4, 5))
    x = rng.normal(size=(3, 4, 5))
    for s in (0.0, 0.1):
        out = keras.losses.categorical_crossentropy(t(y, torch.float64), t(p, torch.float64), axis=1,
                                                    label_smoothing=s)
        np.testing.assert_allclose(to_np(out), np_cce(y, p, label_smoothing=s, axis=1), rtol=1e-10, atol=1e-12)
        out = keras.losses.categorical_crossentropy(t(y, torch.float64), t(x, torch.float64), axis=1,
                                                    from_logits=True, label_smoothing=s)
        np.testing.assert_allclose(to_np(out), np_cce(y, x, True, s, axis=1), rtol=1e-10, atol=1e-12)
    with pytest.raises(ValueError, match="sparse_categorical_crossentropy"):
        keras.losses.categorical_crossentropy(t([0, 1]), t([[0.5, 0.5], [0.5, 0.5]]))


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("label_shape", ["(n,)", "(n,1)", "float"])
def test_sparse_categorical_crossentropy(rng, from_logits, label_shape):
    labels, _, p = categorical_data(rng)
    if from_logits:
        p = logits_data(rng)
    y = {"(n,)": labels, "(n,1)": labels[:, None], "float": labels.astype(np.float32)}[label_shape]
    for dtype, tol in [(torch.float64, 1e-10), (torch.float32, 2e-5)]:
        y_t = torch.as_tensor(y)
        out = keras.losses.sparse_categorical_crossentropy(y_t, t(p, dtype), from_logits=from_logits)
        assert tuple(out.shape) == (len(labels),) and torch.isfinite(out).all()
        expected, _ = np_scce(labels, p, from_logits, dtype=np.float32 if dtype == torch.float32 else np.float64)
        np.testing.assert_allclose(to_np(out), expected, rtol=tol, atol=tol)
        # it is the categorical cross-entropy of the one-hot labels
        dense = keras.losses.categorical_crossentropy(t(np.eye(p.shape[1])[labels], dtype), t(p, dtype),
                                                      from_logits=from_logits)
        np.testing.assert_allclose(to_np(out), to_np(dense), rtol=tol, atol=tol)


def test_sparse_categorical_crossentropy_axis(rng):
    labels = rng.integers(0, 4, size=(3, 5))
    x = rng.normal(size=(3, 4, 5))  # classes on axis 1
    for y in (labels, labels[:, None, :]):  # a size-1 class axis is squeezed
        out = keras.losses.sparse_categorical_crossentropy(torch.as_tensor(y), t(x, torch.float64), axis=1,
                                                           from_logits=True)
        expected, _ = np_scce(labels, x, True, axis=1)
        np.testing.assert_allclose(to_np(out), expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("from_logits", [False, True])
@pytest.mark.parametrize("ignore_class", [-1, 2])
def test_sparse_categorical_crossentropy_ignore_class(rng, from_logits, ignore_class):
    labels, _, p = categorical_data(rng, n=12)
    if from_logits:
        p = logits_data(rng, n=12)
    labels = labels.copy()
    labels[[0, 3, 7]] = ignore_class
    y = torch.as_tensor(labels)
    out = keras.losses.sparse_categorical_crossentropy(y, t(p, torch.float64), from_logits=from_logits,
                                                       ignore_class=ignore_class)
    expected, valid = np_scce(labels, p, from_logits, ignore_class)
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-10, atol=1e-12)
    assert (to_np(out)[~valid] == 0).all()
    np.testing.assert_array_equal(out._keras_mask.cpu().numpy(), valid)
    # the class: ignored entries are out of the mean (divided by the valid count, not n)
    loss = keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits, ignore_class=ignore_class)
    assert float(loss(y, t(p, torch.float64))) == pytest.approx(expected.sum() / valid.sum(), rel=1e-6)
    total = keras.losses.SparseCategoricalCrossentropy(from_logits=from_logits, ignore_class=ignore_class,
                                                       reduction="sum")
    assert float(total(y, t(p, torch.float64))) == pytest.approx(expected.sum(), rel=1e-6)
    # labels (n, 1) too
    assert float(loss(y[:, None], t(p))) == pytest.approx(expected.sum() / valid.sum(), rel=1e-5)
    # with every entry ignored the mean is 0, not nan
    assert float(loss(torch.full((4,), ignore_class), t(p[:4]))) == 0.0


@pytest.mark.parametrize("cls,fn,kwargs", [
    (keras.losses.BinaryCrossentropy, np_bce, {}),
    (keras.losses.BinaryCrossentropy, np_bce, {"from_logits": True, "label_smoothing": 0.1}),
    (keras.losses.CategoricalCrossentropy, np_cce, {"label_smoothing": 0.2}),
    (keras.losses.CategoricalCrossentropy, np_cce, {"from_logits": True}),
])
def test_crossentropy_classes_are_the_mean_of_the_functions(rng, cls, fn, kwargs):
    _, y, p = categorical_data(rng)
    if kwargs.get("from_logits"):
        p = logits_data(rng)
    out = cls(**kwargs)(t(y, torch.float64), t(p, torch.float64))
    assert out.dtype == torch.float32  # computed in floatx
    assert float(out) == pytest.approx(fn(y, p, dtype=np.float32, **kwargs).mean(), rel=1e-6)


# ---------------------------------------------------------------------------------------------
# 2. reductions, sample weights and masks
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weight_shape", [None, "(n,)", "(n,1)"])
@pytest.mark.parametrize("masked", [False, True])
def test_reductions_match_numpy(rng, reduction, weight_shape, masked):
    n = 10
    y, p = rng.normal(size=(n, 3)), rng.normal(size=(n, 3))
    w = rng.uniform(0, 2, size=n)
    w[2] = 0.0
    mask = rng.uniform(size=n) > 0.3
    mask[0] = True
    sample_weight = None if weight_shape is None else (w if weight_shape == "(n,)" else w[:, None])
    y_pred = t(p, torch.float64)
    if masked:
        y_pred._keras_mask = torch.as_tensor(mask)
    out = keras.losses.MeanSquaredError(reduction=reduction, dtype="float64")(
        t(y, torch.float64), y_pred, sample_weight=sample_weight)
    expected = np_reduce(np_mse(y, p), sample_weight, mask if masked else None, reduction)
    if reduction == "none" and weight_shape == "(n,1)":
        # per-sample values take the weights' shape (n, 1), as in Keras (never an (n, n) broadcast)
        assert tuple(out.shape) == (n, 1)
        expected = expected[:, None]
    np.testing.assert_allclose(to_np(out), expected, rtol=1e-12, atol=1e-12)


def test_reduction_formulas_by_hand():
    values = torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=torch.float64)
    w = torch.tensor([1.0, 0.0, 2.0, 1.0], dtype=torch.float64)
    reduce = loss_module.reduce_weighted_values
    assert float(reduce(values, w, reduction="sum_over_batch_size")) == pytest.approx((1 + 6 + 4) / 4)
    assert float(reduce(values, w, reduction="mean")) == pytest.approx((1 + 6 + 4) / 4)
    assert float(reduce(values, w, reduction="sum")) == pytest.approx(11.0)
    assert float(reduce(values, w, reduction="mean_with_sample_weight")) == pytest.approx(11 / 4)
    assert float(reduce(values, reduction="mean_with_sample_weight")) == pytest.approx(2.5)  # no weights: a mean
    assert reduce(values, w, reduction="none").tolist() == [1.0, 0.0, 6.0, 4.0]
    assert reduce(values, w, reduction=None).tolist() == [1.0, 0.0, 6.0, 4.0]
    # all weights 0: 0, not nan
    assert float(reduce(values, torch.zeros(4), reduction="mean_with_sample_weight")) == 0.0
    # a mask with sum_over_batch_size counts only the valid entries
    mask = torch.tensor([True, False, True, False])
    assert float(reduce(values, mask=mask)) == pytest.approx(2.0)
    assert float(reduce(values, w, mask=mask)) == pytest.approx((1 + 6) / 2)
    assert float(reduce(values, w, mask=mask, reduction="mean_with_sample_weight")) == pytest.approx(7 / 3)
    assert float(reduce(values, mask=torch.zeros(4, dtype=torch.bool))) == 0.0
    # a Python number as the weight
    assert float(reduce(values, 2.0, reduction="sum")) == pytest.approx(20.0)


def test_zero_weights_give_zero_loss_and_zero_gradient():
    y_pred = torch.tensor([[0.3], [0.6]], requires_grad=True)
    for reduction in REDUCTIONS[:-1]:
        loss = keras.losses.MeanSquaredError(reduction=reduction)(torch.zeros(2, 1), y_pred, sample_weight=[0.0, 0.0])
        (grad,) = torch.autograd.grad(loss, y_pred)
        assert loss.item() == 0.0 and grad.tolist() == [[0.0], [0.0]], reduction
    masked = y_pred * 1.0
    masked._keras_mask = torch.tensor([False, False])
    loss = keras.losses.MeanSquaredError()(torch.zeros(2, 1), masked)
    (grad,) = torch.autograd.grad(loss, y_pred)
    assert loss.item() == 0.0 and grad.tolist() == [[0.0], [0.0]]


def test_per_timestep_losses_and_weights():
    values = torch.arange(6, dtype=torch.float64).reshape(2, 3)  # (batch, time)
    reduce = loss_module.reduce_weighted_values
    assert float(reduce(values, torch.tensor([1.0, 3.0]))) == pytest.approx((3 + 36) / 6)
    per_step = torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    assert float(reduce(values, per_step, reduction="mean_with_sample_weight")) == pytest.approx((0 + 2 + 4 + 5) / 4)
    mask = torch.tensor([[True, True, False], [True, False, False]])
    assert float(reduce(values, mask=mask)) == pytest.approx((0 + 1 + 3) / 3)


def test_invalid_reduction_is_refused():
    with pytest.raises(ValueError, match="reduction"):
        keras.losses.MeanSquaredError(reduction="average")
    assert keras.losses.MeanSquaredError(reduction="auto").reduction == "sum_over_batch_size"  # Keras 2 name


def test_loss_function_wrapper_squeezes_labels_like_keras():
    """A custom function sees labels (n, 1) for predictions (n, 1), not an (n, n) broadcast."""
    seen = {}

    def fn(y_true, y_pred):
        seen["shapes"] = (tuple(y_true.shape), tuple(y_pred.shape), y_true.dtype)
        return ops.mean(ops.square(y_true - y_pred), axis=-1)

    loss = keras.losses.LossFunctionWrapper(fn, reduction="none")
    out = loss(torch.tensor([1, 2, 3]), torch.tensor([[1.0], [2.0], [5.0]]))
    assert seen["shapes"] == ((3, 1), (3, 1), torch.float32)
    assert out.tolist() == [0.0, 0.0, 4.0]
    assert loss.name == "fn"
