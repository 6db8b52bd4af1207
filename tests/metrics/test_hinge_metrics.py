"""Hinge metrics over several weighted batches: NumPy float64 references and Keras 3."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise as keras
from tests.losses.conftest import np_categorical_hinge, np_hinge, np_running_means, np_squared_hinge

METRICS = [("Hinge", np_hinge), ("SquaredHinge", np_squared_hinge), ("CategoricalHinge", np_categorical_hinge)]


@pytest.fixture
def rng():
    return np.random.default_rng(29)


def _batches(rng, name, signs):
    out = []
    for i, n in enumerate((5, 7, 4)):
        if name == "CategoricalHinge":
            y = np.eye(3)[rng.integers(0, 3, size=n)]
        else:
            y = rng.integers(0, 2, size=(n, 3)).astype(np.float64)
            y = 2 * y - 1 if signs else y
        p = rng.normal(0, 1.5, size=y.shape)
        w = [None, rng.uniform(0, 2, size=n), rng.uniform(0, 2, size=(n, 1))][i]
        out.append((y.astype(np.float32), p.astype(np.float32), None if w is None else w.astype(np.float32)))
    return out


def _update(metric, batches, ops=None):
    out = []
    for y, p, w in batches:
        metric.update_state(torch.as_tensor(y), torch.as_tensor(p), sample_weight=w)
        out.append(float(ops.convert_to_numpy(metric.result())) if ops else float(metric.result()))
    return out


@pytest.mark.parametrize("name,ref", METRICS, ids=[m[0] for m in METRICS])
@pytest.mark.parametrize("signs", [False, True])
def test_hinge_metrics_match_numpy(rng, name, ref, signs):
    metric = getattr(keras.metrics, name)()
    batches = _batches(rng, name, signs)
    np.testing.assert_allclose(_update(metric, batches), np_running_means(batches, ref), rtol=2e-6)
    metric.reset_state()
    assert float(metric.result()) == 0.0
    assert metric.get_config() == {"name": keras.metrics.get(name).name, "dtype": "float32"}
    assert metric._direction == "down"


def test_hinge_metric_by_hand():
    m = keras.metrics.Hinge()
    m.update_state([[0.0, 1.0]], [[0.5, 0.5]])  # labels 0/1 become -1/1: margins 1.5 and 0.5
    assert float(m.result()) == pytest.approx(1.0)
    m.update_state([[1.0, -1.0]], [[2.0, -2.0]], sample_weight=[3.0])  # margins 0 and 0, weight 3
    assert float(m.result()) == pytest.approx(1.0 / 4)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("name", [m[0] for m in METRICS])
@pytest.mark.parametrize("signs", [False, True])
def test_hinge_metrics_match_keras(keras_oracle, rng, name, signs):
    batches = _batches(rng, name, signs)
    ours, theirs = getattr(keras.metrics, name)(), getattr(keras_oracle.metrics, name)()
    np.testing.assert_allclose(_update(ours, batches), _update(theirs, batches, keras_oracle.ops), rtol=2e-6)
    assert ours.get_config() == theirs.get_config()
