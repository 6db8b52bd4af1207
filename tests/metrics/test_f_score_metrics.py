"""F1Score and FBetaScore: against scikit-learn's f1_score/fbeta_score, by hand, and Keras 3."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise
from layerwise.metrics.f_score_metrics import F1Score, FBetaScore

sklearn_metrics = pytest.importorskip("sklearn.metrics")

AVERAGES = [None, "micro", "macro", "weighted"]


def value(metric):
    return metric.result().detach().cpu().numpy()


def data(rng, steps=4, n=30, classes=4):
    out = []
    for step in range(steps):
        y = (rng.uniform(size=(n, classes)) > 0.6).astype(np.float32)
        p = rng.uniform(size=(n, classes)).astype(np.float32)
        if step == 2:
            p[:3] = 0.0  # rows of zeros predict nothing
            p[3, :2] = p[3, 2:].max()  # a tie for the largest value: every tied class is predicted
        w = None if step == 0 else rng.uniform(0, 2, size=n).astype(np.float32)
        out.append((y, p, w))
    return out


def binarize(p, threshold):
    if threshold is not None:
        return (p > threshold).astype(int)
    return ((p >= p.max(axis=1, keepdims=True)) & (np.abs(p) > 1e-9)).astype(int)


def run(metric, batches):
    for y, p, w in batches:
        metric.update_state(y, p, sample_weight=w)
    return metric


def sklearn_reference(batches, beta, average, threshold):
    y = np.concatenate([b[0] for b in batches]).astype(int)
    pred = np.concatenate([binarize(b[1], threshold) for b in batches])
    w = np.concatenate([np.ones(len(b[0])) if b[2] is None else b[2] for b in batches])
    return sklearn_metrics.fbeta_score(y, pred, beta=beta, average=average, sample_weight=w, zero_division=0)


@pytest.mark.parametrize("average", AVERAGES)
@pytest.mark.parametrize("threshold", [None, 0.5, 0.8])
@pytest.mark.parametrize("beta", [1.0, 0.5, 2.0])
def test_fbeta_matches_sklearn(average, threshold, beta):
    rng = np.random.default_rng(0)
    batches = data(rng)
    metric = run(FBetaScore(average=average, beta=beta, threshold=threshold), batches)
    expected = sklearn_reference(batches, beta, average, threshold)
    got = value(metric)
    assert got.shape == (() if average else (4,))
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    if beta == 1.0:
        np.testing.assert_allclose(value(run(F1Score(average=average, threshold=threshold), batches)), got, rtol=1e-7)
    metric.reset_state()
    np.testing.assert_array_equal(value(metric), np.zeros_like(got))


def test_f1_by_hand_with_an_absent_class():
    m = F1Score(threshold=0.5)
    m.update_state([[1, 0, 0], [1, 0, 0], [0, 1, 0]], [[0.9, 0.1, 0.0], [0.2, 0.7, 0.0], [0.1, 0.8, 0.0]])
    # class 0: tp 1, fn 1 -> 2/3; class 1: tp 1, fp 1 -> 2/3; class 2: never true nor predicted -> 0
    np.testing.assert_allclose(value(m), [2 / 3, 2 / 3, 0.0], atol=1e-6)
    macro = F1Score(average="macro", threshold=0.5)
    macro.update_state([[1, 0, 0], [1, 0, 0], [0, 1, 0]], [[0.9, 0.1, 0.0], [0.2, 0.7, 0.0], [0.1, 0.8, 0.0]])
    assert float(macro.result()) == pytest.approx(4 / 9, abs=1e-6)


def test_sample_weights_of_shape_n_1_and_scalar():
    rng = np.random.default_rng(1)
    y, p = (rng.uniform(size=(12, 3)) > 0.5).astype(np.float32), rng.uniform(size=(12, 3)).astype(np.float32)
    w = rng.uniform(size=12).astype(np.float32)
    flat, column = F1Score(average="micro"), F1Score(average="micro")
    flat.update_state(y, p, sample_weight=w)
    column.update_state(y, p, sample_weight=w[:, None])
    assert float(column.result()) == pytest.approx(float(flat.result()), rel=1e-7)
    scaled, plain = F1Score(), F1Score()
    scaled.update_state(y, p, sample_weight=3.0)
    plain.update_state(y, p)
    np.testing.assert_allclose(value(scaled), value(plain), rtol=1e-6)
    np.testing.assert_allclose(scaled.true_positives.detach().numpy(), 3 * plain.true_positives.detach().numpy())


@pytest.mark.keras_oracle
@pytest.mark.parametrize("average", AVERAGES)
@pytest.mark.parametrize("kwargs", [{}, {"threshold": 0.4}, {"beta": 2.0}, {"beta": 0.5, "threshold": 0.7}])
def test_fbeta_matches_keras(keras_oracle, average, kwargs):
    kr = keras_oracle
    rng = np.random.default_rng(2)
    for name, ours_cls in (("FBetaScore", FBetaScore), ("F1Score", F1Score)):
        if name == "F1Score" and "beta" in kwargs:
            continue
        ours, theirs = ours_cls(average=average, **kwargs), getattr(kr.metrics, name)(average=average, **kwargs)
        for y, p, w in data(rng):
            ours.update_state(y, p, sample_weight=w)
            theirs.update_state(y, p, sample_weight=w)
            np.testing.assert_allclose(value(ours), kr.ops.convert_to_numpy(theirs.result()), rtol=1e-6, atol=1e-7)
        assert ours.get_config() == theirs.get_config()


@pytest.mark.parametrize("make,message", [
    (lambda: F1Score(average="mean"), r"`F1Score` argument `average` must be one of None, 'micro', 'macro', "
                                      r"'weighted'.*received average='mean'"),
    (lambda: FBetaScore(beta=0.0), r"`FBetaScore` argument `beta` must be a finite number > 0; received beta=0.0"),
    (lambda: FBetaScore(beta="2"), r"`FBetaScore` argument `beta`"),
    (lambda: F1Score(threshold=0.0), r"`F1Score` argument `threshold` must be None or a number in \(0, 1\]"),
    (lambda: F1Score(threshold=1.5), r"received threshold=1.5"),
])
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_bad_inputs_are_refused_before_the_state_changes():
    m = F1Score()
    with pytest.raises(ValueError, match=r"`F1Score` needs 2D inputs of shape \(batch_size, num_classes\)"):
        m.update_state([1, 0], [0.3, 0.7])
    assert m.variables == []
    m.update_state([[1, 0]], [[0.7, 0.3]])
    with pytest.raises(ValueError, match=r"shape \(batch_size, 2\); received y_true.shape=\(1, 3\)"):
        m.update_state([[1, 0, 0]], [[0.7, 0.3, 0.1]])
    with pytest.raises(ValueError, match=r"`sample_weight` must hold one weight per sample"):
        m.update_state([[1, 0]], [[0.7, 0.3]], sample_weight=[[1.0, 2.0]])
    np.testing.assert_allclose(value(m), [1.0, 0.0], atol=1e-6)


def test_integer_beta_is_accepted_and_configs_round_trip():
    assert FBetaScore(beta=2).beta == 2.0
    for metric in (F1Score(), F1Score(average="macro", threshold=0.3, name="f1"), FBetaScore(average="weighted", beta=0.5),
                   FBetaScore(dtype="float64")):
        config = metric.get_config()
        clone = layerwise.saving.deserialize_keras_object(layerwise.saving.serialize_keras_object(metric))
        assert type(clone) is type(metric) and clone.get_config() == config
    assert "beta" not in F1Score().get_config()
    assert F1Score().name == "f1_score" and FBetaScore().name == "fbeta_score"


def test_state_is_built_on_the_data_device_without_reads(monkeypatch):
    """On the meta device any read of a value (``.item()``, ``bool()``, ``.cpu()``) raises."""
    monkeypatch.setattr(layerwise.config, "_DEFAULT_DEVICE", "meta")
    for average in AVERAGES:
        m = FBetaScore(average=average, beta=2.0)
        m.update_state(torch.empty(8, 3, device="meta"), torch.empty(8, 3, device="meta"),
                       sample_weight=torch.empty(8, device="meta"))
        m.result()
        assert [v.device.type for v in m.variables] == ["meta"] * 4
        assert m.true_positives.shape == (() if average == "micro" else (3,))


def test_state_built_after_to_goes_to_that_device():
    for metric in (F1Score(), FBetaScore(average="micro")):
        metric.to("meta")  # placed before the first batch: the state is built there, even from NumPy input
        metric.update_state(np.ones((2, 3), np.float32), np.ones((2, 3), np.float32))
        assert {v.device.type for v in metric.variables} == {"meta"}
