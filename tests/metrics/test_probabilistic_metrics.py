"""Probabilistic metrics over several weighted batches, with probabilities 0 and 1 and large
logits: NumPy float64 references and Keras 3.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
import torch

import layerwise as keras
from tests.losses.conftest import (
    _clip_bounds,
    binary_data,
    categorical_data,
    logits_data,
    np_bce,
    np_cce,
    np_kld,
    np_poisson,
    np_running_means,
    np_scce,
)


@pytest.fixture
def rng():
    return np.random.default_rng(23)


def _weights(rng, i, n):
    w = [None, rng.uniform(0, 2, size=n), rng.uniform(0, 2, size=(n, 1))][i % 3]
    if w is not None:
        w.reshape(-1)[0] = 0.0
    return w


def _batches(rng, name, kwargs, sizes=(6, 9, 4)):
    out = []
    for i, n in enumerate(sizes):
        labels, one_hot, probs = categorical_data(rng, n=n, c=4)
        if kwargs.get("from_logits"):
            probs = logits_data(rng, n=n, c=4)
        if name == "BinaryCrossentropy":
            y, p = binary_data(rng, n=n, k=3)
            if kwargs.get("from_logits"):
                p = probs[:, :3]
        elif name == "SparseCategoricalCrossentropy":
            y, p = labels.copy(), probs
            if kwargs.get("ignore_class") is not None:
                y[::3] = kwargs["ignore_class"]
        elif name == "Poisson":
            y, p = rng.poisson(2.0, size=(n, 3)).astype(float), rng.uniform(0, 4, size=(n, 3))
            p[0, 0] = 0.0
        elif name == "KLDivergence":
            y, p = rng.dirichlet(np.ones(4), size=n), probs
        else:
            y, p = one_hot, probs
        out.append((y, p.astype(np.float32), _weights(rng, i, n)))
    return out


def _reference(name, kwargs):
    f32 = {"dtype": np.float32}
    if name == "BinaryCrossentropy":
        return functools.partial(np_bce, **kwargs, **({} if kwargs.get("from_logits") else f32))
    if name == "CategoricalCrossentropy":
        return functools.partial(np_cce, **kwargs, **({} if kwargs.get("from_logits") else f32))
    if name == "SparseCategoricalCrossentropy":
        return lambda y, p: np_scce(y, p, **kwargs, **({} if kwargs.get("from_logits") else f32))[0]
    return {"KLDivergence": np_kld, "Poisson": np_poisson}[name]


CASES = [
    ("KLDivergence", {}), ("Poisson", {}),
    ("BinaryCrossentropy", {}), ("BinaryCrossentropy", {"from_logits": True, "label_smoothing": 0.2}),
    ("CategoricalCrossentropy", {}), ("CategoricalCrossentropy", {"label_smoothing": 0.1}),
    ("CategoricalCrossentropy", {"from_logits": True}),
    ("SparseCategoricalCrossentropy", {}), ("SparseCategoricalCrossentropy", {"from_logits": True}),
    ("SparseCategoricalCrossentropy", {"ignore_class": 2}),
]


def _update(metric, batches, ops=None):
    out = []
    for y, p, w in batches:
        metric.update_state(torch.as_tensor(y), torch.as_tensor(p), sample_weight=w)
        result = metric.result()
        out.append(float(ops.convert_to_numpy(result)) if ops is not None else float(result))
    return out


@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}{k}" for n, k in CASES])
def test_probabilistic_metrics_match_numpy(rng, name, kwargs):
    batches = _batches(rng, name, kwargs)
    metric = getattr(keras.metrics, name)(**kwargs)
    if kwargs.get("ignore_class") is not None:
        # ignored entries count as 0 without weights and are left out with them (Keras's rule)
        expected = []
        total = count = 0.0
        for y, p, w in batches:
            values, valid = np_scce(y, p, **kwargs, dtype=np.float32)
            weights = np.ones(len(y)) if w is None else np.asarray(w, np.float64).reshape(-1) * valid
            total += (values * weights).sum()
            count += weights.sum()
            expected.append(total / count)
    else:
        expected = np_running_means(batches, _reference(name, kwargs))
    got = _update(metric, batches)
    assert np.isfinite(got).all()
    np.testing.assert_allclose(got, expected, rtol=2e-5)
    metric.reset_state()
    assert float(metric.result()) == 0.0
    assert metric._direction == "down"


def test_certain_wrong_predictions_are_finite():
    bce = keras.metrics.BinaryCrossentropy()
    bce.update_state([[1.0, 0.0]], [[0.0, 1.0]])
    lo, hi = _clip_bounds(np.float32)  # 1e-7 and 1 - 1.19e-7 in float32
    assert float(bce.result()) == pytest.approx((-np.log(lo) - np.log(1 - hi)) / 2, rel=1e-5)
    kld = keras.metrics.KLDivergence()
    kld.update_state([[1.0, 0.0]], [[0.0, 1.0]])
    assert np.isfinite(float(kld.result()))


def test_configs_and_validation():
    m = keras.metrics.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1, axis=1)
    assert m.get_config() == {"name": "sparse_categorical_crossentropy", "dtype": "float32", "from_logits": True,
                              "ignore_class": -1, "axis": 1}
    assert keras.metrics.BinaryCrossentropy().get_config() == {"name": "binary_crossentropy", "dtype": "float32",
                                                               "from_logits": False, "label_smoothing": 0}
    clone = keras.metrics.deserialize(keras.metrics.serialize(keras.metrics.CategoricalCrossentropy(label_smoothing=0.3)))
    assert clone.label_smoothing == 0.3 and type(clone) is keras.metrics.CategoricalCrossentropy
    with pytest.raises(ValueError, match=r"`BinaryCrossentropy` argument `label_smoothing` must be a number in "
                                         r"\[0, 1\]; received label_smoothing=1.5"):
        keras.metrics.BinaryCrossentropy(label_smoothing=1.5)
    with pytest.raises(ValueError, match="`SparseCategoricalCrossentropy` argument `ignore_class` must be an integer"):
        keras.metrics.SparseCategoricalCrossentropy(ignore_class=1.5)
    with pytest.raises(ValueError, match="`CategoricalCrossentropy` argument `from_logits` must be True or False"):
        keras.metrics.CategoricalCrossentropy(from_logits=None)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("name,kwargs", CASES, ids=[f"{n}{k}" for n, k in CASES])
def test_probabilistic_metrics_match_keras(keras_oracle, rng, name, kwargs):
    batches = _batches(rng, name, kwargs)
    batches = [(y.astype(np.int64) if name.startswith("Sparse") else y.astype(np.float32), p, w)
               for y, p, w in batches]
    ours, theirs = getattr(keras.metrics, name)(**kwargs), getattr(keras_oracle.metrics, name)(**kwargs)
    np.testing.assert_allclose(_update(ours, batches), _update(theirs, batches, keras_oracle.ops), rtol=2e-6)
    assert ours.get_config() == theirs.get_config()
