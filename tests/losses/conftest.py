"""NumPy float64 references for the losses, and random data with edge values.

The references are written from the mathematical definitions. Probabilities are clipped to
``[eps, 1 - eps]`` with ``eps = 1e-7``; in float32 that clip happens on float32 numbers, so the
float32 references clip at ``float32(1e-7)`` and ``float32(1) - float32(1e-7)`` (= 1 - 1.19e-7).
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

EPS = 1e-7
REDUCTIONS = ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none"]


# ---------------------------------------------------------------------------------------------
# NumPy float64 references
# ---------------------------------------------------------------------------------------------

def _clip_bounds(dtype):
    if dtype == np.float32:
        lo = np.float32(EPS)
        return float(lo), float(np.float32(1.0) - lo)
    return EPS, 1.0 - EPS


def np_mse(y, p):
    return np.mean((np.asarray(y, np.float64) - np.asarray(p, np.float64)) ** 2, axis=-1)


def np_mae(y, p):
    return np.mean(np.abs(np.asarray(y, np.float64) - np.asarray(p, np.float64)), axis=-1)


def np_log_softmax(x, axis):
    x = np.asarray(x, np.float64)
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def np_bce(y, p, from_logits=False, label_smoothing=0.0, axis=-1, dtype=np.float64):
    y = np.asarray(y, np.float64)
    if label_smoothing:
        y = y * (1 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        x = np.asarray(p, np.float64)
        # -(y log s(x) + (1 - y) log(1 - s(x))) in the form that never overflows
        values = np.maximum(x, 0) - x * y + np.log1p(np.exp(-np.abs(x)))
    else:
        lo, hi = _clip_bounds(dtype)
        q = np.clip(np.asarray(p, np.float64), lo, hi)
        values = -(y * np.log(q) + (1 - y) * np.log(1 - q))
    return values.mean(axis=axis)


def np_cce(y, p, from_logits=False, label_smoothing=0.0, axis=-1, dtype=np.float64):
    y = np.asarray(y, np.float64)
    if label_smoothing:
        y = y * (1 - label_smoothing) + label_smoothing / y.shape[axis]
    if from_logits:
        log_q = np_log_softmax(p, axis)
    else:
        lo, hi = _clip_bounds(dtype)
        p = np.asarray(p, np.float64)
        log_q = np.log(np.clip(p / p.sum(axis=axis, keepdims=True), lo, hi))
    return -(y * log_q).sum(axis=axis)


def np_scce(labels, p, from_logits=False, ignore_class=None, axis=-1, dtype=np.float64):
    p = np.moveaxis(np.asarray(p, np.float64), axis, -1)
    labels = np.asarray(labels)
    if labels.ndim == p.ndim:
        labels = labels.reshape(labels.shape[:-1]) if labels.shape[-1] == 1 else labels
    labels = labels.astype(np.int64)
    valid = np.ones(labels.shape, bool) if ignore_class is None else labels != ignore_class
    safe = np.where(valid, labels, 0)
    one_hot = np.eye(p.shape[-1])[safe]
    values = np_cce(one_hot, p, from_logits=from_logits, dtype=dtype)
    return np.where(valid, values, 0.0), valid


def np_reduce(values, sample_weight=None, mask=None, reduction="sum_over_batch_size"):
    """Keras 3's rules for one value per sample (values and weights of shape (n,))."""
    values = np.asarray(values, np.float64)
    weight = None if sample_weight is None else np.asarray(sample_weight, np.float64).reshape(values.shape)
    if mask is not None:
        mask = np.asarray(mask, np.float64).reshape(values.shape)
        if reduction in ("sum_over_batch_size", "mean"):
            mask = mask * (mask.size / mask.sum() if mask.sum() else 0.0)
        weight = mask if weight is None else weight * mask
    if weight is not None:
        values = values * weight
    if reduction in (None, "none"):
        return values
    if reduction == "sum":
        return values.sum()
    if reduction == "mean_with_sample_weight" and weight is not None:
        return values.sum() / weight.sum() if weight.sum() else 0.0
    return values.sum() / values.size


def t(x, dtype=torch.float32):
    return torch.as_tensor(np.asarray(x), dtype=dtype)


def to_np(x):
    return np.asarray(x.detach().cpu().numpy(), np.float64)


# ---------------------------------------------------------------------------------------------
# random data with edge values
# ---------------------------------------------------------------------------------------------

@pytest.fixture
def rng():
    return np.random.default_rng(7)


def binary_data(rng, n=16, k=3):
    y = rng.integers(0, 2, size=(n, k)).astype(np.float64)
    p = rng.uniform(0, 1, size=(n, k))
    # exact 0 and 1 in both the right and the wrong places: finite thanks to the clip
    p[0, :3] = [0.0, 1.0, 0.5][:k]
    y[0, :3] = [0.0, 1.0, 1.0][:k]
    p[1, :3] = [1.0, 0.0, 0.0][:k]
    y[1, :3] = [0.0, 1.0, 0.0][:k]
    return y, p


def categorical_data(rng, n=16, c=4):
    labels = rng.integers(0, c, size=n)
    y = np.eye(c)[labels]
    p = rng.uniform(0, 1, size=(n, c))
    p /= p.sum(-1, keepdims=True)
    p[0] = np.eye(c)[labels[0]]  # certain and right
    p[1] = np.eye(c)[(labels[1] + 1) % c]  # certain and wrong: p of the label is exactly 0
    p[2] = 3 * p[2]  # not normalised: renormalised first
    return labels, y, p


def logits_data(rng, n=16, c=4):
    x = rng.normal(0, 3, size=(n, c))
    x[0] = [50.0, -50.0, 0.0, 50.0][:c]
    x[1] = [-50.0, 50.0, -50.0, 0.0][:c]
    return x


# ---------------------------------------------------------------------------------------------
# references for the other families (float64, from the definitions)
# ---------------------------------------------------------------------------------------------

def f64(x):
    return np.asarray(x, np.float64)


def np_mape(y, p):
    y, p = f64(y), f64(p)
    return 100.0 * np.mean(np.abs(y - p) / np.maximum(np.abs(y), EPS), axis=-1)


def np_msle(y, p):
    y, p = f64(y), f64(p)
    return np.mean((np.log1p(np.maximum(p, EPS)) - np.log1p(np.maximum(y, EPS))) ** 2, axis=-1)


def np_huber(y, p, delta=1.0):
    e = np.abs(f64(p) - f64(y))
    return np.mean(np.where(e <= delta, 0.5 * e ** 2, delta * e - 0.5 * delta ** 2), axis=-1)


def np_log_cosh(y, p):
    e = f64(p) - f64(y)
    # log(cosh(e)) = log((exp(e) + exp(-e)) / 2), evaluated without overflow
    return np.mean(np.logaddexp(e, -e) - np.log(2.0), axis=-1)


def np_l2_normalize(x, axis):
    x = f64(x)
    return x / np.maximum(np.sqrt((x ** 2).sum(axis=axis, keepdims=True)), EPS)


def np_cosine(y, p, axis=-1):
    return -(np_l2_normalize(y, axis) * np_l2_normalize(p, axis)).sum(axis=axis)


def np_dice(y, p, axis=None):
    y, p = f64(y), f64(p)
    return 1.0 - 2.0 * (y * p).sum(axis=axis) / (y.sum(axis=axis) + p.sum(axis=axis) + EPS)


def np_kld(y, p):
    y, p = np.clip(f64(y), EPS, 1.0), np.clip(f64(p), EPS, 1.0)
    return (y * np.log(y / p)).sum(axis=-1)


def np_jsd(y, p):
    y, p = np.clip(f64(y), EPS, 1.0), np.clip(f64(p), EPS, 1.0)
    m = (y + p) / 2
    return 0.5 * (y * np.log(y / m) + p * np.log(p / m)).sum(axis=-1)


def np_poisson(y, p):
    y, p = f64(y), f64(p)
    return np.mean(p - y * np.log(p + EPS), axis=-1)


def np_wasserstein(y, p):
    return np.mean(f64(y) * f64(p), axis=-1)


def np_hinge_labels(y):
    y = f64(y)
    return 2 * y - 1 if np.isin(y, (0.0, 1.0)).all() else y


def np_hinge(y, p):
    return np.mean(np.maximum(1 - np_hinge_labels(y) * f64(p), 0), axis=-1)


def np_squared_hinge(y, p):
    return np.mean(np.maximum(1 - np_hinge_labels(y) * f64(p), 0) ** 2, axis=-1)


def np_categorical_hinge(y, p):
    y, p = f64(y), f64(p)
    pos = (y * p).sum(-1)
    neg = ((1 - y) * p).max(-1)
    return np.maximum(neg - pos + 1, 0)


def np_sigmoid(x):
    x = f64(x)
    return np.where(x >= 0, 1 / (1 + np.exp(-np.abs(x))), np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x))))


def np_binary_focal(y, p, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False,
                    label_smoothing=0.0, axis=-1, dtype=np.float64):
    y = f64(y)
    if label_smoothing:
        y = y * (1 - label_smoothing) + 0.5 * label_smoothing
    p = np_sigmoid(p) if from_logits else f64(p)
    lo, hi = _clip_bounds(dtype)
    q = np.clip(p, lo, hi)
    bce = -(y * np.log(q) + (1 - y) * np.log(1 - q))
    p_t = y * p + (1 - y) * (1 - p)
    values = (1 - p_t) ** gamma * bce
    if apply_class_balancing:
        values = (y * alpha + (1 - y) * (1 - alpha)) * values
    return values.mean(axis=axis)


def np_categorical_focal(y, p, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1,
                         dtype=np.float64):
    y = f64(y)
    if label_smoothing:
        y = y * (1 - label_smoothing) + label_smoothing / y.shape[axis]
    p = np.exp(np_log_softmax(p, axis)) if from_logits else f64(p)
    lo, hi = _clip_bounds(dtype)
    q = np.clip(p / p.sum(axis=axis, keepdims=True), lo, hi)
    return (np.asarray(alpha, np.float64) * (1 - q) ** gamma * -y * np.log(q)).sum(axis=axis)


def np_running_means(batches, ref):
    """A mean metric's result after each batch: ``sum(w * ref(y, p)) / sum(w)`` over everything seen.

    ``batches`` holds ``(y_true, y_pred, sample_weight)``; ``ref`` gives one value per sample.
    """
    total = count = 0.0
    results = []
    for y, p, w in batches:
        values = np.asarray(ref(y, p), np.float64).reshape(len(y), -1).mean(axis=1)
        weights = np.ones(len(y)) if w is None else np.asarray(w, np.float64).reshape(len(y))
        total += (values * weights).sum()
        count += weights.sum()
        results.append(total / count if count else 0.0)
    return results
