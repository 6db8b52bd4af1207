"""Thresholded confusion metrics: counts, Precision/Recall, the At-metrics, configs and fit.

References: counts from the definition (``prediction > threshold``) in float64 NumPy,
scikit-learn's precision/recall, and Keras 3 as the oracle. AUC has its own file.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise
from layerwise.metrics.confusion_metrics import (
    FalseNegatives,
    FalsePositives,
    Precision,
    PrecisionAtRecall,
    Recall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    TrueNegatives,
    TruePositives,
)

sklearn_metrics = pytest.importorskip("sklearn.metrics")

COUNTS = {"tp": TruePositives, "fp": FalsePositives, "tn": TrueNegatives, "fn": FalseNegatives}


def value(metric):
    return metric.result().detach().cpu().numpy()


def reference_counts(y_true, y_pred, thresholds, weights=None):
    """tp, fp, tn, fn at each threshold, straight from the definition, in float64."""
    y_pred = np.asarray(y_pred, np.float64)
    y = np.broadcast_to(np.asarray(y_true).reshape(y_pred.shape) != 0, y_pred.shape).reshape(-1)
    p = y_pred.reshape(-1)
    w = np.ones_like(p) if weights is None else np.broadcast_to(np.asarray(weights, np.float64).reshape(
        y_pred.shape[:1] + (1,) * (y_pred.ndim - 1)), y_pred.shape).reshape(-1)
    above = p[None, :] > np.asarray(thresholds, np.float64)[:, None]
    return {"tp": (above & y) @ w, "fp": (above & ~y) @ w, "tn": (~above & ~y) @ w, "fn": (~above & y) @ w}


def same_config(ours, theirs):
    """Configs equal but for the name (Keras numbers its unnamed metrics across tests)."""
    assert {k: v for k, v in ours.get_config().items() if k != "name"} == {
        k: v for k, v in theirs.get_config().items() if k != "name"}


def batches(rng, shape, steps=4, weighted=True):
    out = []
    for step in range(steps):
        y = rng.integers(0, 2, size=shape).astype(np.float32)
        p = rng.uniform(size=shape).astype(np.float32)
        w = rng.uniform(0, 2, size=shape[0]).astype(np.float32) if weighted and step else None
        out.append((y, p, w))
    return out


def accumulate(metric, data):
    for y, p, w in data:
        metric.update_state(y, p, sample_weight=w)
    return metric


def concat(data):
    ys = np.concatenate([y for y, _, _ in data])
    ps = np.concatenate([p for _, p, _ in data])
    ws = np.concatenate([np.ones(len(y), np.float32) if w is None else w for y, _, w in data])
    return ys, ps, ws


# ---------------------------------------------------------------------------------------------
# counts
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", list(COUNTS))
@pytest.mark.parametrize("thresholds", [None, 0.3, [0.15, 0.8, 0.5], [0.0, 0.25, 0.5, 0.75, 1.0]])
@pytest.mark.parametrize("shape", [(40,), (40, 1), (40, 3)])
def test_counts_match_the_definition_over_batches(kind, thresholds, shape):
    rng = np.random.default_rng(0)
    data = batches(rng, shape)
    metric = accumulate(COUNTS[kind](thresholds=thresholds), data)
    ys, ps, ws = concat(data)
    listed = [0.5] if thresholds is None else np.atleast_1d(thresholds)
    expected = reference_counts(ys, ps, listed, ws)[kind]
    got = value(metric)
    assert got.shape == (() if thresholds is None or np.isscalar(thresholds) else (len(listed),))
    np.testing.assert_allclose(got, expected if got.shape else expected[0], rtol=1e-5)
    metric.reset_state()
    np.testing.assert_array_equal(value(metric), np.zeros_like(got))


def test_counts_by_hand_at_edge_values():
    """Exactly at a threshold is negative; out-of-range predictions are compared as they are."""
    y = [1, 0, 1, 0, 1, 1]
    p = [0.5, 0.5, 0.0, 1.0, 1.5, -0.2]
    tp = TruePositives(thresholds=[0.0, 0.5, 1.0, 0.2])
    tp.update_state(y, p)
    assert value(tp).tolist() == [2.0, 1.0, 1.0, 2.0]  # > 0: {0.5, 1.5}; > 0.5 and > 1: {1.5}
    fp = FalsePositives(thresholds=[0.0, 0.5, 0.99])
    fp.update_state(y, p, sample_weight=[1, 2, 3, 4, 5, 6])
    assert value(fp).tolist() == [6.0, 4.0, 4.0]
    # any non-zero label is positive
    fn = FalseNegatives()
    fn.update_state([2.0, -1.0, 0.0], [0.1, 0.2, 0.3])
    assert float(fn.result()) == 2.0


def test_a_weight_per_element_and_a_scalar_weight():
    rng = np.random.default_rng(1)
    y, p = rng.integers(0, 2, (10, 3)), rng.uniform(size=(10, 3)).astype(np.float32)
    w = rng.uniform(size=(10, 3)).astype(np.float32)
    tn = TrueNegatives(thresholds=[0.3, 0.6])
    tn.update_state(y, p, sample_weight=w)
    above = p[None] > np.array([0.3, 0.6])[:, None, None]
    np.testing.assert_allclose(value(tn), ((~above & (y == 0)) * w).sum((1, 2)), rtol=1e-6)
    scalar = TrueNegatives(thresholds=[0.3, 0.6])
    scalar.update_state(y, p, sample_weight=2.5)
    np.testing.assert_allclose(value(scalar), 2.5 * (~above & (y == 0)).sum((1, 2)), rtol=1e-6)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kind", ["TruePositives", "FalsePositives", "TrueNegatives", "FalseNegatives"])
def test_counts_match_keras(keras_oracle, kind):
    kr = keras_oracle
    rng = np.random.default_rng(2)
    for thresholds in (None, [0.2, 0.9, 0.5], [0.0, 0.5, 1.0]):
        ours = {c.__name__: c for c in COUNTS.values()}[kind](thresholds=thresholds)
        theirs = getattr(kr.metrics, kind)(thresholds=thresholds)
        for y, p, w in batches(rng, (16, 2)):
            ours.update_state(y, p, sample_weight=w)
            theirs.update_state(y, p, sample_weight=w)
        # Keras takes fn and tn as differences of float32 sums (an empty cell can read 2e-6); ours are exact
        np.testing.assert_allclose(value(ours), kr.ops.convert_to_numpy(theirs.result()), rtol=1e-6, atol=1e-5)
        same_config(ours, theirs)


# ---------------------------------------------------------------------------------------------
# Precision and Recall
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(50,), (50, 1), (50, 4)])
def test_precision_and_recall_match_sklearn(shape):
    rng = np.random.default_rng(3)
    data = batches(rng, shape)
    precision, recall = accumulate(Precision(), data), accumulate(Recall(), data)
    ys, ps, ws = concat(data)
    w = np.broadcast_to(ws.reshape((-1,) + (1,) * (ps.ndim - 1)), ps.shape).reshape(-1)
    kwargs = {"y_true": ys.reshape(-1), "y_pred": (ps.reshape(-1) > 0.5).astype(int), "sample_weight": w}
    assert float(precision.result()) == pytest.approx(sklearn_metrics.precision_score(**kwargs), rel=1e-5)
    assert float(recall.result()) == pytest.approx(sklearn_metrics.recall_score(**kwargs), rel=1e-5)


def test_precision_and_recall_at_several_thresholds_in_the_given_order():
    rng = np.random.default_rng(4)
    data = batches(rng, (60, 2))
    thresholds = [0.7, 0.1, 0.45, 1.0]
    precision = accumulate(Precision(thresholds=thresholds), data)
    recall = accumulate(Recall(thresholds=thresholds), data)
    counts = reference_counts(*concat(data)[:2], thresholds, concat(data)[2])
    with np.errstate(invalid="ignore"):
        expected_p = np.nan_to_num(counts["tp"] / (counts["tp"] + counts["fp"]))
    np.testing.assert_allclose(value(precision), expected_p, rtol=1e-5)
    np.testing.assert_allclose(value(recall), counts["tp"] / (counts["tp"] + counts["fn"]), rtol=1e-5)
    assert value(precision)[-1] == 0.0  # nothing is above 1.0: 0, not nan


def test_precision_and_recall_are_zero_before_any_update_and_after_reset():
    p, r = Precision(), Recall()
    assert float(p.result()) == 0.0 and float(r.result()) == 0.0
    p.update_state([1, 0], [0.9, 0.9])
    assert float(p.result()) == 0.5
    p.reset_state()
    assert float(p.result()) == 0.0


def reference_top_k(y_true, y_pred, k, threshold=None, class_id=None):
    keep = np.zeros_like(y_pred, dtype=bool)
    np.put_along_axis(keep, np.argsort(-y_pred, axis=-1, kind="stable")[:, :k], True, axis=-1)
    predicted = keep if threshold is None else keep & (y_pred > threshold)
    positive = y_true != 0
    if class_id is not None:
        predicted, positive = predicted[:, class_id], positive[:, class_id]
    tp = (predicted & positive).sum()
    return tp / predicted.sum(), tp / positive.sum()


@pytest.mark.parametrize("top_k,threshold,class_id", [(1, None, None), (2, None, None), (3, 0.4, None),
                                                      (2, None, 3), (None, None, 1), (None, 0.7, 0), (9, None, None)])
def test_top_k_and_class_id_against_a_numpy_reference(top_k, threshold, class_id):
    rng = np.random.default_rng(5)
    y = (rng.uniform(size=(80, 5)) > 0.6).astype(np.float32)
    p = rng.uniform(size=(80, 5)).astype(np.float32)
    precision = Precision(thresholds=threshold, top_k=top_k, class_id=class_id)
    recall = Recall(thresholds=threshold, top_k=top_k, class_id=class_id)
    for part in np.array_split(np.arange(80), 3):
        precision.update_state(y[part], p[part])
        recall.update_state(y[part], p[part])
    if top_k is None:
        kept = p > (0.5 if threshold is None else threshold)
        kept, pos = kept[:, class_id], y[:, class_id] != 0
        expected = ((kept & pos).sum() / kept.sum(), (kept & pos).sum() / pos.sum())
    else:
        expected = reference_top_k(y, p, top_k, threshold, class_id)
    assert float(precision.result()) == pytest.approx(expected[0], rel=1e-6)
    assert float(recall.result()) == pytest.approx(expected[1], rel=1e-6)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [{}, {"thresholds": [0.3, 0.6, 0.1]}, {"thresholds": [0.0, 0.5, 1.0]},
                                    {"top_k": 2}, {"class_id": 2}, {"top_k": 1, "class_id": 0},
                                    {"top_k": 2, "thresholds": 0.4}])
def test_precision_and_recall_match_keras(keras_oracle, kwargs):
    kr = keras_oracle
    rng = np.random.default_rng(6)
    data = batches(rng, (24, 4))
    for name in ("Precision", "Recall"):
        ours = accumulate({"Precision": Precision, "Recall": Recall}[name](**kwargs), data)
        theirs = accumulate(getattr(kr.metrics, name)(**kwargs), data)
        np.testing.assert_allclose(value(ours), kr.ops.convert_to_numpy(theirs.result()), rtol=1e-6, atol=1e-7)
        same_config(ours, theirs)


# ---------------------------------------------------------------------------------------------
# a rate at a fixed value of another
# ---------------------------------------------------------------------------------------------

AT = {"SensitivityAtSpecificity": (SensitivityAtSpecificity, "specificity", "sensitivity"),
      "SpecificityAtSensitivity": (SpecificityAtSensitivity, "sensitivity", "specificity"),
      "PrecisionAtRecall": (PrecisionAtRecall, "recall", "precision"),
      "RecallAtPrecision": (RecallAtPrecision, "precision", "recall")}


def reference_at(y, p, w, constrained, reported, target, num_thresholds):
    thresholds = [0.5] if num_thresholds == 1 else np.linspace(0.0, 1.0, num_thresholds)
    c = reference_counts(y, p, thresholds, w)
    with np.errstate(invalid="ignore"):
        rates = {"sensitivity": c["tp"] / (c["tp"] + c["fn"]), "recall": c["tp"] / (c["tp"] + c["fn"]),
                 "specificity": c["tn"] / (c["tn"] + c["fp"]), "precision": c["tp"] / (c["tp"] + c["fp"])}
    rates = {k: np.nan_to_num(v) for k, v in rates.items()}
    feasible = rates[constrained] >= target
    return max(0.0, rates[reported][feasible].max()) if feasible.any() else 0.0


@pytest.mark.parametrize("name", list(AT))
@pytest.mark.parametrize("target,num_thresholds", [(0.0, 200), (0.5, 200), (0.8, 51), (1.0, 200), (0.6, 1)])
def test_rate_at_rate_against_a_numpy_reference(name, target, num_thresholds):
    cls, constrained, reported = AT[name]
    rng = np.random.default_rng(7)
    # informative scores (the curves are not flat), rounded away from the threshold grid
    y = rng.integers(0, 2, 300)
    p = np.clip(y * 0.3 + rng.uniform(0, 0.7, 300), 0.001, 0.999)
    p = (np.floor(p * 199 * 4) + 0.5) / (199 * 4)
    data = [(y[i:i + 100], p[i:i + 100].astype(np.float32), None if i == 0 else rng.uniform(size=100))
            for i in range(0, 300, 100)]
    metric = accumulate(cls(target, num_thresholds=num_thresholds), data)
    ys, ps, ws = concat(data)
    expected = reference_at(ys, ps, ws, constrained, reported, target, num_thresholds)
    assert float(metric.result()) == pytest.approx(expected, rel=1e-5, abs=1e-6)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("name", list(AT))
def test_rate_at_rate_matches_keras(keras_oracle, name):
    kr = keras_oracle
    cls, target_arg, _ = AT[name]
    rng = np.random.default_rng(8)
    for kwargs in ({target_arg: 0.5}, {target_arg: 0.8, "num_thresholds": 7}, {target_arg: 0.3, "class_id": 1},
                   {target_arg: 0.9, "num_thresholds": 1}):
        data = batches(rng, (30, 3)) if "class_id" in kwargs else batches(rng, (30,))
        ours = accumulate(cls(**kwargs), data)
        theirs = accumulate(getattr(kr.metrics, name)(**kwargs), data)
        np.testing.assert_allclose(value(ours), kr.ops.convert_to_numpy(theirs.result()), rtol=1e-6, atol=1e-7)
        same_config(ours, theirs)


# ---------------------------------------------------------------------------------------------
# arguments, configs, devices
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("make,message", [
    (lambda: Precision(thresholds=1.5), r"`Precision` argument `thresholds` must be .*\[0, 1\]; received thresholds=1.5"),
    (lambda: Recall(thresholds=[0.2, -0.1]), r"`Recall` argument `thresholds`"),
    (lambda: TruePositives(thresholds=[]), r"`TruePositives` argument `thresholds` must be a number or a non-empty"),
    (lambda: Precision(thresholds="high"), r"`Precision` argument `thresholds`"),
    (lambda: Precision(top_k=0), r"`Precision` argument `top_k` must be a positive integer; received top_k=0"),
    (lambda: Recall(class_id=-1), r"`Recall` argument `class_id` must be a non-negative integer"),
    (lambda: PrecisionAtRecall(1.2), r"`PrecisionAtRecall` argument `recall` must be a number in \[0, 1\]"),
    (lambda: SensitivityAtSpecificity(0.5, num_thresholds=0), r"argument `num_thresholds` must be a positive"),
])
def test_bad_arguments_are_refused(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_bad_inputs_are_refused_before_the_state_changes():
    m = Precision(class_id=4)
    with pytest.raises(ValueError, match=r"`class_id` must be below the number of classes 3; received class_id=4"):
        m.update_state(np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"`Precision` with `class_id` needs predictions of shape"):
        m.update_state(np.ones(3), np.ones(3))
    r = Recall()
    r.update_state([1, 1], [0.9, 0.2])
    with pytest.raises(ValueError, match=r"same shape; received y_true.shape=\(3,\) and y_pred.shape=\(2,\)"):
        r.update_state([1, 1, 0], [0.9, 0.2])
    with pytest.raises(ValueError, match=r"`sample_weight` must broadcast"):
        r.update_state([1, 1], [0.9, 0.2], sample_weight=[1.0, 2.0, 3.0])
    assert float(r.result()) == 0.5  # unchanged by the refused updates


@pytest.mark.parametrize("metric", [
    TruePositives(), FalseNegatives(thresholds=[0.2, 0.4], name="fn", dtype="float64"), TrueNegatives(thresholds=0.3),
    Precision(top_k=3, class_id=1), Recall(thresholds=(0.1, 0.9)), PrecisionAtRecall(0.4, num_thresholds=11),
    RecallAtPrecision(0.9, class_id=2), SensitivityAtSpecificity(0.2, name="sas"), SpecificityAtSensitivity(0.7),
])
def test_config_round_trip(metric):
    config = metric.get_config()
    clone = type(metric).from_config(config)
    assert clone.get_config() == config and clone.name == metric.name
    again = layerwise.saving.deserialize_keras_object(layerwise.saving.serialize_keras_object(metric))
    assert type(again) is type(metric) and again.get_config() == config


def test_names_are_made_unique_as_in_keras():
    assert [Precision().name, Precision().name, Recall().name] == ["precision", "precision_1", "recall"]
    assert Precision(name="p").name == "p"
    assert SensitivityAtSpecificity(0.5).name == "sensitivity_at_specificity"


def test_dtype_and_state_shapes():
    m = FalsePositives(thresholds=[0.1, 0.2, 0.3], dtype="float64")
    m.update_state([0, 0], [0.15, 0.25])
    assert m.result().dtype == torch.float64 and value(m).tolist() == [2.0, 1.0, 0.0]
    assert [tuple(v.shape) for v in Precision(thresholds=[0.1, 0.2]).variables] == [(2,), (2,)]
    assert [v.name for v in SpecificityAtSensitivity(0.5, num_thresholds=5).variables] == [
        "true_positives", "false_positives", "true_negatives", "false_negatives"]


def test_update_state_never_reads_the_device(monkeypatch):
    """On the meta device any read of a value (``.item()``, ``bool()``, ``.cpu()``) raises."""
    monkeypatch.setattr(layerwise.config, "_DEFAULT_DEVICE", "meta")
    y = torch.empty(16, 4, device="meta")
    p = torch.empty(16, 4, device="meta")
    w = torch.empty(16, device="meta")
    for metric in (TruePositives(thresholds=[0.3, 0.1]), Precision(top_k=2), Recall(class_id=1),
                   PrecisionAtRecall(0.5), SpecificityAtSensitivity(0.5, num_thresholds=1)):
        metric.update_state(y, p, sample_weight=w)
        assert all(v.device.type == "meta" for v in metric.variables)
