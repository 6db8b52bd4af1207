"""AUC: against a float64 reference (counts from the definition, the areas integrated numerically),
scikit-learn's exact ROC AUC, and Keras 3 as the oracle; plus configs, devices and ``fit``.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise
import layerwise as keras
from layerwise.metrics.confusion_metrics import AUC, Precision, Recall

sklearn_metrics = pytest.importorskip("sklearn.metrics")


def value(metric):
    return metric.result().detach().cpu().numpy()


def batches(rng, shape, steps=4, informative=True):
    out = []
    for step in range(steps):
        y = rng.integers(0, 2, size=shape).astype(np.float32)
        p = rng.uniform(size=shape) * 0.6 + (0.4 * y if informative else 0.2)
        w = None if step == 0 else rng.uniform(0, 2, size=shape[0]).astype(np.float32)
        out.append((y, p.astype(np.float32), w))
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


def reference_auc(y, p, w, num_thresholds=200, curve="ROC", summation="interpolation"):
    """The area from counts at Keras's thresholds (``p > t``), in float64, for pooled labels."""
    eps = 1e-7
    t = np.array([-eps] + [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)] + [1 + eps])
    p = np.clip(np.asarray(p, np.float64).reshape(-1), 0.0, 1.0)
    positive = np.asarray(y).reshape(-1) != 0
    w = np.broadcast_to(np.asarray(w, np.float64).reshape((-1,) + (1,) * (np.ndim(y) - 1)), np.shape(y)).reshape(-1)
    above = p[None, :] > t[:, None]
    tp, fp = (above & positive) @ w, (above & ~positive) @ w
    fn, tn = (~above & positive) @ w, (~above & ~positive) @ w
    safe = lambda a, b: np.divide(a, b, out=np.zeros_like(a), where=b != 0)  # noqa: E731
    if curve == "PR" and summation == "interpolation":
        # Davis & Goadrich: between two thresholds tp grows linearly with the predicted positives
        # p, and precision = tp(p) / p is integrated over recall = tp / P by the midpoint rule.
        area = 0.0
        for i in range(num_thresholds - 1):
            pa, pb = tp[i] + fp[i], tp[i + 1] + fp[i + 1]
            if pa <= pb or tp[i] + fn[i] == 0:
                continue
            slope = (tp[i] - tp[i + 1]) / (pa - pb)
            grid = pb + (np.arange(4000) + 0.5) * (pa - pb) / 4000
            precision = (tp[i + 1] + slope * (grid - pb)) / grid
            area += precision.sum() * (pa - pb) / 4000 * slope / (tp[i] + fn[i])
        return area
    recall = safe(tp, tp + fn)
    x, h = (safe(fp, fp + tn), recall) if curve == "ROC" else (recall, safe(tp, tp + fp))
    heights = {"interpolation": (h[:-1] + h[1:]) / 2, "minoring": np.minimum(h[:-1], h[1:]),
               "majoring": np.maximum(h[:-1], h[1:])}[summation]
    return float(((x[:-1] - x[1:]) * heights).sum())


@pytest.mark.parametrize("curve,summation", [("ROC", "interpolation"), ("ROC", "minoring"), ("ROC", "majoring"),
                                             ("PR", "interpolation"), ("PR", "minoring"), ("PR", "majoring")])
@pytest.mark.parametrize("shape", [(200,), (200, 1), (60, 3)])
def test_auc_against_the_float64_reference(curve, summation, shape):
    rng = np.random.default_rng(0)
    data = batches(rng, shape)
    metric = accumulate(AUC(curve=curve, summation_method=summation), data)
    expected = reference_auc(*concat(data), curve=curve, summation=summation)
    assert float(metric.result()) == pytest.approx(expected, rel=2e-5, abs=1e-6)


@pytest.mark.parametrize("informative", [True, False])
def test_roc_auc_matches_sklearn(informative):
    rng = np.random.default_rng(1)
    data = batches(rng, (250,), steps=4, informative=informative)
    ys, ps, ws = concat(data)
    exact = sklearn_metrics.roc_auc_score(ys, ps, sample_weight=ws)
    assert float(accumulate(AUC(), data).result()) == pytest.approx(exact, abs=1e-2)
    # finer thresholds converge to the exact area
    assert float(accumulate(AUC(num_thresholds=20001), data).result()) == pytest.approx(exact, abs=2e-4)
    # the same thresholds given as a list
    listed = AUC(thresholds=[i / 10 for i in range(1, 10)])
    assert float(accumulate(listed, data).result()) == pytest.approx(
        float(accumulate(AUC(num_thresholds=11), data).result()), abs=1e-6)


def test_auc_edge_cases():
    perfect = AUC()
    perfect.update_state([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])
    assert float(perfect.result()) == pytest.approx(1.0)
    pr = AUC(curve="PR")
    pr.update_state([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])
    assert float(pr.result()) == pytest.approx(1.0)
    inverted = AUC()
    inverted.update_state([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9])
    assert float(inverted.result()) == pytest.approx(0.0, abs=1e-7)
    ties = AUC()
    ties.update_state([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])  # all scores equal: a chance-level diagonal
    assert float(ties.result()) == pytest.approx(0.5)
    one_class = AUC()
    assert float(one_class.result()) == 0.0  # nothing seen
    one_class.update_state([0, 0, 0], [0.1, 0.5, 0.9])
    assert float(one_class.result()) == 0.0  # no positive labels: 0 (as Keras), not nan
    # predictions outside [0, 1] are clipped (Keras's evenly-spaced path)
    clipped = AUC()
    clipped.update_state([0, 1, 0, 1], [-3.0, 2.0, 0.2, 0.7])
    assert float(clipped.result()) == pytest.approx(1.0)
    # zero weights leave samples out
    weighted = AUC()
    weighted.update_state([0, 1, 1], [0.9, 0.1, 0.95], sample_weight=[0.0, 1.0, 1.0])
    assert float(weighted.result()) == 0.0  # only positives remain


def test_auc_from_logits_is_auc_of_the_sigmoid():
    rng = np.random.default_rng(2)
    y, logits = rng.integers(0, 2, 100), rng.normal(size=100).astype(np.float32)
    a, b = AUC(from_logits=True), AUC()
    a.update_state(y, logits)
    b.update_state(y, torch.sigmoid(torch.as_tensor(logits)))
    assert float(a.result()) == pytest.approx(float(b.result()), abs=1e-7)
    assert float(a.result()) == pytest.approx(sklearn_metrics.roc_auc_score(y, logits), abs=1e-2)


def test_multi_label_auc_is_the_mean_of_label_aucs():
    rng = np.random.default_rng(3)
    data = batches(rng, (120, 4))
    ys, ps, ws = concat(data)
    per_label = [sklearn_metrics.roc_auc_score(ys[:, j], ps[:, j], sample_weight=ws) for j in range(4)]
    metric = accumulate(AUC(multi_label=True), data)
    assert tuple(metric.true_positives.shape) == (200, 4)  # built from the first batch
    assert float(metric.result()) == pytest.approx(np.mean(per_label), abs=1e-2)
    label_weights = [0.5, 2.0, 0.0, 1.0]
    weighted = accumulate(AUC(multi_label=True, num_labels=4, label_weights=label_weights), data)
    assert float(weighted.result()) == pytest.approx(np.average(per_label, weights=label_weights), abs=1e-2)
    # pooled (not multi-label): label weights weigh each element's contribution
    pooled = accumulate(AUC(label_weights=label_weights), data)
    element_weights = (ws[:, None] * np.array(label_weights)[None, :]).reshape(-1)
    assert float(pooled.result()) == pytest.approx(
        sklearn_metrics.roc_auc_score(ys.reshape(-1), ps.reshape(-1), sample_weight=element_weights), abs=1e-2)
    with pytest.raises(ValueError, match=r"`AUC` was built for 4 labels; received predictions of shape \(2, 3\)"):
        metric.update_state(np.ones((2, 3)), np.ones((2, 3)))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("kwargs", [
    {}, {"curve": "PR"}, {"curve": "PRGAIN"}, {"summation_method": "minoring"}, {"curve": "PR", "summation_method": "majoring"},
    {"num_thresholds": 3}, {"num_thresholds": 11}, {"thresholds": [0.1, 0.5, 0.35, 0.9]}, {"from_logits": True},
    {"multi_label": True}, {"multi_label": True, "curve": "PR", "num_labels": 3},
    {"multi_label": True, "label_weights": [1.0, 2.0, 0.5]}, {"label_weights": [1.0, 2.0, 0.5]},
])
def test_auc_matches_keras(keras_oracle, kwargs):
    kr = keras_oracle
    rng = np.random.default_rng(4)
    shapes = [(30, 3)] if "label_weights" in kwargs or kwargs.get("multi_label") else [(40,), (40, 1), (20, 3)]
    for shape in shapes:
        data = batches(rng, shape)
        data.append((np.array([0, 1, 1, 0] * 5 + [1] * (shape[0] - 20), np.float32).reshape(
            (-1,) + (1,) * (len(shape) - 1)) * np.ones(shape, np.float32),
            np.round(rng.uniform(size=shape), 1).astype(np.float32), None))  # values on the threshold grid
        ours = accumulate(AUC(**kwargs), data)
        theirs = accumulate(kr.metrics.AUC(**kwargs), data)
        assert float(ours.result()) == pytest.approx(float(kr.ops.convert_to_numpy(theirs.result())), abs=1e-6)
        ours_config, theirs_config = ours.get_config(), theirs.get_config()
        theirs_weights = theirs_config.pop("label_weights")
        assert ours_config.pop("label_weights") == (None if theirs_weights is None else
                                                    kr.ops.convert_to_numpy(theirs_weights).tolist())
        ours_config.pop("name"), theirs_config.pop("name")
        assert ours_config == theirs_config


def test_auc_reset_and_state():
    m = AUC(num_thresholds=5)
    assert len(m.thresholds) == 5 and m.thresholds[0] < 0 and m.thresholds[-1] > 1
    m.update_state([0, 1], [0.2, 0.9])
    assert float(m.result()) == 1.0
    m.reset_state()
    assert float(m.result()) == 0.0 and all(float(v.abs().sum()) == 0 for v in m.variables)
    unbuilt = AUC(multi_label=True)
    unbuilt.reset_state()  # nothing to reset yet
    assert unbuilt.variables == [] and float(unbuilt.result()) == 0.0
    unbuilt.to("meta")  # placed before the first batch: the state is built there, even from NumPy input
    unbuilt.update_state(np.ones((2, 3), np.float32), np.ones((2, 3), np.float32))
    assert {v.device.type for v in unbuilt.variables} == {"meta"}


@pytest.mark.parametrize("make,message", [
    (lambda: AUC(curve="ROCC"), r"`AUC` argument `curve` must be one of 'ROC', 'PR', 'PRGAIN' \(did you mean 'ROC'\?\)"),
    (lambda: AUC(summation_method="trapezoid"), r"`AUC` argument `summation_method` must be one of"),
    (lambda: AUC(num_thresholds=1), r"`AUC` argument `num_thresholds` must be an integer > 1; received num_thresholds=1"),
    (lambda: AUC(num_thresholds=0), r"`AUC` argument `num_thresholds` must be a positive integer"),
    (lambda: AUC(num_labels=3), r"`AUC` argument `num_labels` is used only with `multi_label=True`"),
    (lambda: AUC(label_weights=[1.0, -1.0]), r"`AUC` argument `label_weights` must be non-negative"),
    (lambda: AUC(multi_label=True, num_labels=2, label_weights=[1.0, 1.0, 1.0]), r"one per label \(2\)"),
    (lambda: AUC(thresholds=[0.5, 1.5]), r"`AUC` argument `thresholds` must be"),
])
def test_auc_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_auc_bad_inputs_leave_the_state_alone():
    m = AUC(multi_label=True)
    with pytest.raises(ValueError, match=r"`AUC` with `multi_label=True` needs predictions of shape"):
        m.update_state([0, 1], [0.2, 0.3])
    assert m.variables == []
    pooled = AUC(label_weights=[1.0, 2.0])
    with pytest.raises(ValueError, match=r"`AUC` argument `label_weights` holds 2 weights for predictions with 3"):
        pooled.update_state(np.ones((2, 3)), np.ones((2, 3)))
    assert float(pooled.true_positives.abs().sum()) == 0.0


@pytest.mark.parametrize("metric", [AUC(), AUC(curve="pr", summation_method="Minoring", name="pr_auc"),
                                    AUC(thresholds=(0.25, 0.5, 0.75)), AUC(multi_label=True, num_labels=2,
                                                                           label_weights=[0.3, 0.7], from_logits=True)])
def test_auc_config_round_trip(metric):
    config = metric.get_config()
    assert config["curve"] in ("ROC", "PR") and config["summation_method"] in ("interpolation", "minoring")
    clone = layerwise.saving.deserialize_keras_object(layerwise.saving.serialize_keras_object(metric))
    assert type(clone) is AUC and clone.get_config() == config


def test_auc_update_never_reads_the_device(monkeypatch):
    """On the meta device any read of a value (``.item()``, ``bool()``, ``.cpu()``) raises."""
    monkeypatch.setattr(layerwise.config, "_DEFAULT_DEVICE", "meta")
    y, p, w = torch.empty(8, 3, device="meta"), torch.empty(8, 3, device="meta"), torch.empty(8, device="meta")
    for metric in (AUC(), AUC(curve="PR", from_logits=True), AUC(thresholds=[0.7, 0.2]), AUC(multi_label=True),
                   AUC(label_weights=[1.0, 2.0, 3.0])):
        metric.update_state(y, p, sample_weight=w)
        metric.result()  # builds the result lazily on the device too
        assert all(v.device.type == "meta" for v in metric.variables)


@pytest.mark.requires_cuda
def test_auc_and_precision_updates_capture_in_a_cuda_graph():
    rng = np.random.default_rng(5)
    y = torch.as_tensor(rng.integers(0, 2, (64, 3)).astype(np.float32), device="cuda")
    p = torch.as_tensor(rng.uniform(size=(64, 3)).astype(np.float32), device="cuda")
    w = torch.as_tensor(rng.uniform(size=64).astype(np.float32), device="cuda")
    for make in (lambda: AUC(), lambda: AUC(multi_label=True, num_labels=3), lambda: Precision(thresholds=[0.7, 0.2])):
        eager, captured = make().to("cuda"), make().to("cuda")
        side = torch.cuda.Stream()
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):  # warm up (device copies of constants are made here)
            captured.update_state(y, p, sample_weight=w)
        torch.cuda.current_stream().wait_stream(side)
        captured.reset_state()
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            captured.update_state(y, p, sample_weight=w)
        for _ in range(3):
            graph.replay()
            eager.update_state(y, p, sample_weight=w)
        torch.testing.assert_close(captured.result(), eager.result())


def test_compile_and_fit_report_keras_history_keys():
    rng = np.random.RandomState(0)
    x = rng.randn(256, 4).astype("float32")
    y = (x[:, 0] + 0.5 * x[:, 1] + 0.3 * rng.randn(256) > 0).astype("float32")[:, None]
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy",
                  metrics=[AUC(), Precision(), Recall(), AUC(curve="PR", name="pr_auc")])
    history = model.fit(x, y, epochs=2, batch_size=32, validation_split=0.25, verbose=0)
    assert set(history.history) == {"loss", "auc", "precision", "recall", "pr_auc", "val_loss", "val_auc",
                                    "val_precision", "val_recall", "val_pr_auc"}
    logs = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    pred = model.predict(x, verbose=0)
    fresh = AUC()
    fresh.update_state(y, pred)
    assert logs["auc"] == pytest.approx(float(fresh.result()), abs=1e-6)
    assert logs["auc"] == pytest.approx(sklearn_metrics.roc_auc_score(y[:, 0], pred[:, 0]), abs=1e-2)
    assert logs["precision"] == pytest.approx(sklearn_metrics.precision_score(y[:, 0], pred[:, 0] > 0.5), rel=1e-6)
    assert logs["recall"] == pytest.approx(sklearn_metrics.recall_score(y[:, 0], pred[:, 0] > 0.5), rel=1e-6)
