"""Top-k accuracies: against scikit-learn's top_k_accuracy_score, a NumPy reference (ties count
as in the top k, as in Keras), and Keras 3. The other accuracies are tested in test_metrics.py.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise
from layerwise.metrics.accuracy_metrics import (
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)

sklearn_metrics = pytest.importorskip("sklearn.metrics")


def value(metric):
    return metric.result().detach().cpu().numpy()


def reference_in_top_k(labels, scores, k):
    """1 where the label's score is at least the k-th largest score of its row, in float64."""
    scores = np.asarray(scores, np.float64)
    kth = -np.sort(-scores, axis=-1)[..., min(k, scores.shape[-1]) - 1]
    labels = np.asarray(labels)
    valid = (labels >= 0) & (labels < scores.shape[-1])
    picked = np.take_along_axis(scores, np.clip(labels, 0, scores.shape[-1] - 1)[..., None], axis=-1)[..., 0]
    return ((picked >= kth) & valid).astype(np.float64)


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_sparse_top_k_matches_sklearn_over_batches(k):
    rng = np.random.default_rng(0)
    m = SparseTopKCategoricalAccuracy(k=k)
    ys, ps, ws = [], [], []
    for step in range(4):
        y, p = rng.integers(0, 6, 25), rng.uniform(size=(25, 6)).astype(np.float32)
        w = None if step == 0 else rng.uniform(0, 2, 25)
        m.update_state(y if step != 1 else y[:, None], p, sample_weight=w)
        ys.append(y), ps.append(p), ws.append(np.ones(25) if w is None else w)
    expected = sklearn_metrics.top_k_accuracy_score(np.concatenate(ys), np.concatenate(ps), k=k,
                                                    sample_weight=np.concatenate(ws), labels=range(6))
    assert float(m.result()) == pytest.approx(expected, rel=1e-6)
    m.reset_state()
    assert float(m.result()) == 0.0


@pytest.mark.parametrize("k", [1, 2, 4])
def test_categorical_top_k_matches_sklearn(k):
    rng = np.random.default_rng(1)
    y, p, w = rng.integers(0, 5, 40), rng.uniform(size=(40, 5)).astype(np.float32), rng.uniform(size=40)
    m = TopKCategoricalAccuracy(k=k)
    m.update_state(np.eye(5, dtype=np.float32)[y], p, sample_weight=w)
    expected = sklearn_metrics.top_k_accuracy_score(y, p, k=k, sample_weight=w, labels=range(5))
    assert float(m.result()) == pytest.approx(expected, rel=1e-6)


def test_top_k_functions_by_hand_and_at_edges():
    scores = torch.tensor([[0.1, 0.4, 0.6, 0.9, 0.5], [0.1, 0.7, 0.9, 0.8, 0.3], [0.1, 0.6, 0.9, 0.9, 0.5]])
    labels = torch.tensor([2, 5, 3])
    # label 5 does not exist: a miss, not an error; the 0.9 tie counts as in the top 1
    assert sparse_top_k_categorical_accuracy(labels, scores, k=3).tolist() == [1.0, 0.0, 1.0]
    assert sparse_top_k_categorical_accuracy(torch.tensor([3, 2, 2]), scores, k=1).tolist() == [1.0, 1.0, 1.0]
    assert sparse_top_k_categorical_accuracy(torch.tensor([-1, 0, 4]), scores, k=5).tolist() == [0.0, 1.0, 1.0]
    # k larger than the number of classes: every valid label is in
    assert sparse_top_k_categorical_accuracy(torch.tensor([0, 0, 1]), scores, k=50).tolist() == [1.0, 1.0, 1.0]
    # labels (n, 1) give matches (n, 1)
    assert sparse_top_k_categorical_accuracy(torch.tensor([[2], [1]]), scores[:2], k=2).tolist() == [[1.0], [0.0]]
    # float labels are truncated, as by Keras's integer cast
    assert sparse_top_k_categorical_accuracy(torch.tensor([3.0, 2.7]), scores[:2], k=1).tolist() == [1.0, 1.0]
    one_hot = torch.eye(5)[torch.tensor([2, 4, 0])]
    assert top_k_categorical_accuracy(one_hot, scores, k=1).tolist() == [0.0, 0.0, 0.0]
    assert top_k_categorical_accuracy(one_hot, scores, k=2).tolist() == [1.0, 0.0, 0.0]
    assert top_k_categorical_accuracy(one_hot, scores, k=4).tolist() == [1.0, 1.0, 0.0]
    # a batch of sequences (n, t, classes): one match per time step
    seq = torch.rand(2, 3, 4, generator=torch.Generator().manual_seed(0))
    seq_labels = torch.randint(0, 4, (2, 3), generator=torch.Generator().manual_seed(1))
    got = sparse_top_k_categorical_accuracy(seq_labels, seq, k=2)
    np.testing.assert_array_equal(got.numpy(), reference_in_top_k(seq_labels.numpy(), seq.numpy(), 2))


@pytest.mark.parametrize("k", [1, 2, 3])
def test_sorted_ids(k):
    rng = np.random.default_rng(2)
    labels, scores = rng.integers(0, 50, 30), rng.uniform(size=(30, 50)).astype(np.float32)
    ids = np.argsort(-scores, axis=1)[:, :6]  # the 6 best class ids, best first
    by_ids = sparse_top_k_categorical_accuracy(torch.as_tensor(labels), torch.as_tensor(ids), k=k,
                                               from_sorted_ids=True)
    by_scores = sparse_top_k_categorical_accuracy(torch.as_tensor(labels), torch.as_tensor(scores), k=k)
    np.testing.assert_array_equal(by_ids.numpy(), by_scores.numpy())
    np.testing.assert_array_equal(by_ids.numpy(), reference_in_top_k(labels, scores, k))
    m = SparseTopKCategoricalAccuracy(k=k, from_sorted_ids=True)
    m.update_state(labels, ids.astype(np.float32), sample_weight=np.arange(30.0))
    expected = (reference_in_top_k(labels, scores, k) * np.arange(30.0)).sum() / np.arange(30.0).sum()
    assert float(m.result()) == pytest.approx(expected, rel=1e-6)


@pytest.mark.keras_oracle
@pytest.mark.parametrize("k", [1, 3, 5])
def test_top_k_matches_keras_with_ties(keras_oracle, k):
    kr = keras_oracle
    rng = np.random.default_rng(3)
    pairs = [(TopKCategoricalAccuracy(k=k), kr.metrics.TopKCategoricalAccuracy(k=k), "one_hot"),
             (SparseTopKCategoricalAccuracy(k=k), kr.metrics.SparseTopKCategoricalAccuracy(k=k), "sparse"),
             (SparseTopKCategoricalAccuracy(k=k, from_sorted_ids=True),
              kr.metrics.SparseTopKCategoricalAccuracy(k=k, from_sorted_ids=True), "ids")]
    for ours, theirs, form in pairs:
        for step in range(3):
            labels = rng.integers(0, 6, 20)
            scores = np.round(rng.uniform(size=(20, 6)), 1).astype(np.float32)  # many ties
            y = {"one_hot": np.eye(6, dtype=np.float32)[labels], "sparse": labels[:, None] if step else labels,
                 "ids": labels}[form]
            p = np.argsort(-scores, axis=1).astype(np.float32) if form == "ids" else scores
            w = None if step == 0 else rng.uniform(size=20).astype(np.float32)
            ours.update_state(y, p, sample_weight=w)
            theirs.update_state(y, p, sample_weight=w)
            np.testing.assert_allclose(value(ours), kr.ops.convert_to_numpy(theirs.result()), rtol=1e-6)
        assert ours.get_config() == theirs.get_config()


def test_arguments_configs_and_devices(monkeypatch):
    with pytest.raises(ValueError, match=r"`TopKCategoricalAccuracy` argument `k` must be a positive integer; "
                                         r"received k=0"):
        TopKCategoricalAccuracy(k=0)
    with pytest.raises(ValueError, match=r"`sparse_top_k_categorical_accuracy` argument `k`"):
        sparse_top_k_categorical_accuracy([1], [[0.2, 0.8]], k=-1)
    for metric in (TopKCategoricalAccuracy(), TopKCategoricalAccuracy(k=2, name="top2"),
                   SparseTopKCategoricalAccuracy(k=3), SparseTopKCategoricalAccuracy(from_sorted_ids=True)):
        clone = layerwise.saving.deserialize_keras_object(layerwise.saving.serialize_keras_object(metric))
        assert type(clone) is type(metric) and clone.get_config() == metric.get_config()
    assert SparseTopKCategoricalAccuracy().get_config() == {"name": "sparse_top_k_categorical_accuracy",
                                                            "dtype": "float32", "k": 5}
    assert SparseTopKCategoricalAccuracy(k=2, from_sorted_ids=True).from_sorted_ids is True
    # no read of device values in update_state (it would raise on the meta device)
    monkeypatch.setattr(layerwise.config, "_DEFAULT_DEVICE", "meta")
    m = SparseTopKCategoricalAccuracy(k=2)
    m.update_state(torch.zeros(8, dtype=torch.long, device="meta"), torch.empty(8, 4, device="meta"),
                   sample_weight=torch.empty(8, device="meta"))
    t = TopKCategoricalAccuracy(k=2)
    t.update_state(torch.empty(8, 4, device="meta"), torch.empty(8, 4, device="meta"))
    assert m.total.device.type == "meta" and t.total.device.type == "meta"
