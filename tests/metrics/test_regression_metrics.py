"""Regression metrics over several weighted batches: NumPy float64 references and Keras 3."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise as keras
from tests.losses.conftest import np_cosine, np_log_cosh, np_mae, np_mape, np_mse, np_msle, np_running_means


@pytest.fixture
def rng():
    return np.random.default_rng(17)


def np_cosine_metric(y, p):
    return -np_cosine(y, p)


def np_rmse_values(y, p):
    return np_mse(y, p)  # RMSE is the root of the running mean of these


METRICS = [
    ("MeanSquaredError", np_mse, "mean_squared_error"),
    ("MeanAbsoluteError", np_mae, "mean_absolute_error"),
    ("MeanAbsolutePercentageError", np_mape, "mean_absolute_percentage_error"),
    ("MeanSquaredLogarithmicError", np_msle, "mean_squared_logarithmic_error"),
    ("CosineSimilarity", np_cosine_metric, "cosine_similarity"),
    ("LogCoshError", np_log_cosh, "logcosh"),
]


def make_batches(rng, sizes=(5, 8, 3), features=4, positive=False):
    """Batches with no weights, weights (n,) (one of them 0) and weights (n, 1)."""
    batches = []
    for i, n in enumerate(sizes):
        y, p = rng.normal(size=(n, features)), rng.normal(size=(n, features))
        if positive:
            y, p = np.abs(y), np.abs(p)
        w = [None, rng.uniform(0, 2, size=n), rng.uniform(0, 2, size=(n, 1))][i % 3]
        if w is not None:
            w.reshape(-1)[0] = 0.0
        batches.append((y.astype(np.float32), p.astype(np.float32), None if w is None else w.astype(np.float32)))
    return batches


def results_over(metric, batches):
    out = []
    for y, p, w in batches:
        metric.update_state(torch.as_tensor(y), torch.as_tensor(p), sample_weight=w)
        out.append(float(metric.result()))
    return out


@pytest.mark.parametrize("name,ref,default_name", METRICS, ids=[m[0] for m in METRICS])
def test_mean_of_loss_metrics_match_numpy(rng, name, ref, default_name):
    metric = getattr(keras.metrics, name)()
    assert metric.name == default_name
    assert float(metric.result()) == 0.0  # 0, not nan, before any update
    batches = make_batches(rng, positive=name == "MeanSquaredLogarithmicError")
    np.testing.assert_allclose(results_over(metric, batches), np_running_means(batches, ref), rtol=2e-6)
    metric.reset_state()
    assert float(metric.result()) == 0.0
    np.testing.assert_allclose(results_over(metric, batches[1:2]), np_running_means(batches[1:2], ref), rtol=2e-6)
    assert metric._direction == ("up" if name == "CosineSimilarity" else "down")


def test_root_mean_squared_error(rng):
    metric = keras.metrics.RootMeanSquaredError()
    batches = make_batches(rng)
    expected = np.sqrt(np_running_means(batches, np_rmse_values))
    np.testing.assert_allclose(results_over(metric, batches), expected, rtol=2e-6)
    # the root of the running mean, not the mean of per-batch roots
    metric.reset_state()
    metric.update_state([[0.0], [0.0]], [[3.0], [0.0]])
    metric.update_state([[0.0]], [[3.0]])
    assert float(metric.result()) == pytest.approx(np.sqrt(18 / 3))
    metric.update_state([[0.0]], [[5.0]], sample_weight=[0.0])  # a zero weight changes nothing
    assert float(metric.result()) == pytest.approx(np.sqrt(18 / 3))
    # labels (n,) against predictions (n, 1)
    metric.reset_state()
    metric.update_state(np.array([1.0, 2.0]), np.array([[2.0], [4.0]]))
    assert float(metric.result()) == pytest.approx(np.sqrt(2.5))
    assert metric.get_config() == {"name": "root_mean_squared_error", "dtype": "float32"}


def test_cosine_similarity_metric_is_not_negated():
    metric = keras.metrics.CosineSimilarity()
    metric.update_state([[1.0, 0.0], [1.0, 1.0], [0.0, 0.0]], [[2.0, 0.0], [-1.0, -1.0], [1.0, 0.0]])
    assert float(metric.result()) == pytest.approx((1 - 1 + 0) / 3, abs=1e-7)
    along_batch = keras.metrics.CosineSimilarity(axis=0)
    along_batch.update_state(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[1.0, 0.0], [0.0, 1.0]]))
    assert float(along_batch.result()) == pytest.approx(1.0)
    assert along_batch.get_config() == {"name": "cosine_similarity", "dtype": "float32", "axis": 0}
    with pytest.raises(ValueError, match="`CosineSimilarity` argument `axis` must be an integer"):
        keras.metrics.CosineSimilarity(axis=None)


def test_rmse_in_compile_is_the_root_of_the_loss():
    rng = np.random.RandomState(0)
    x, y = rng.randn(64, 3).astype("float32"), rng.randn(64, 1).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=[keras.metrics.RootMeanSquaredError(), keras.metrics.MeanAbsoluteError()])
    logs = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    assert logs["root_mean_squared_error"] == pytest.approx(np.sqrt(logs["loss"]), rel=1e-5)
    pred = model.predict(x, verbose=0)
    assert logs["mean_absolute_error"] == pytest.approx(np.abs(pred - y).mean(), rel=1e-5)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("name", [m[0] for m in METRICS] + ["RootMeanSquaredError"])
def test_regression_metrics_match_keras(keras_oracle, rng, name):
    ours, theirs = getattr(keras.metrics, name)(), getattr(keras_oracle.metrics, name)()
    batches = make_batches(rng, positive=name == "MeanSquaredLogarithmicError")
    batches.append((batches[0][0][:, 0], batches[0][1][:, :1], None))  # labels (n,) vs predictions (n, 1)
    want = []
    for y, p, w in batches:
        theirs.update_state(torch.as_tensor(y), torch.as_tensor(p), sample_weight=w)
        want.append(float(keras_oracle.ops.convert_to_numpy(theirs.result())))
    np.testing.assert_allclose(results_over(ours, batches), want, rtol=2e-6, atol=1e-7)
    config, keras_config = ours.get_config(), theirs.get_config()
    assert {k: config[k] for k in keras_config} == keras_config  # we also keep CosineSimilarity's axis
    assert ours.name == theirs.name


@pytest.mark.requires_cuda
@pytest.mark.parametrize("name", [m[0] for m in METRICS] + ["RootMeanSquaredError"])
def test_update_state_never_syncs_with_the_host(rng, name):
    metric = getattr(keras.metrics, name)().to("cuda")
    y, p, _ = make_batches(rng)[1]
    y, p, w = (torch.as_tensor(a, device="cuda") for a in (y, p, np.ones(len(y), np.float32)))
    torch.cuda.synchronize()
    torch.cuda.set_sync_debug_mode("error")
    try:
        metric.update_state(y, p)
        metric.update_state(y, p, sample_weight=w)
    finally:
        torch.cuda.set_sync_debug_mode("default")
    assert np.isfinite(float(metric.result()))
