"""The confusion matrix: the eager function (refuses bad labels) and the on-device metric, against
scikit-learn's confusion_matrix.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.metrics.confusion_matrix import confusion_matrix


def value(metric):
    return metric.result().detach().cpu().numpy()


def reference_confusion(y_true, y_pred, num_classes, weights=None):
    """scikit-learn's matrix; samples with a label outside ``range(num_classes)`` are left out."""
    sk_confusion_matrix = pytest.importorskip("sklearn.metrics").confusion_matrix
    return sk_confusion_matrix(y_true, y_pred, labels=list(range(num_classes)), sample_weight=weights)


def test_confusion_matrix_function_against_reference():
    rng = np.random.default_rng(2)
    y_true, y_pred = rng.integers(0, 4, size=50), rng.integers(0, 4, size=50)
    got = confusion_matrix(y_true, y_pred)
    assert got.shape == (4, 4) and got.sum() == 50
    np.testing.assert_array_equal(got, reference_confusion(y_true, y_pred, 4))
    # more classes than seen
    np.testing.assert_array_equal(confusion_matrix(y_true, y_pred, num_classes=6), reference_confusion(y_true, y_pred, 6))
    # one-hot labels and probability rows are arg-maxed; labels (n, 1) are squeezed
    probs = rng.uniform(size=(50, 4))
    probs[np.arange(50), y_pred] += 1.0
    np.testing.assert_array_equal(confusion_matrix(np.eye(4)[y_true], probs), reference_confusion(y_true, y_pred, 4))
    np.testing.assert_array_equal(confusion_matrix(y_true[:, None], torch.as_tensor(probs)),
                                  reference_confusion(y_true, y_pred, 4))
    # float labels
    np.testing.assert_array_equal(confusion_matrix(y_true.astype(np.float32), y_pred.astype(np.float32)),
                                  reference_confusion(y_true, y_pred, 4))
    # weights: sums of weights instead of counts
    w = rng.uniform(size=50)
    np.testing.assert_allclose(confusion_matrix(y_true, y_pred, weights=w), reference_confusion(y_true, y_pred, 4, w),
                               rtol=1e-12)
    # binary probabilities (n, 1) are rounded
    got = confusion_matrix([0, 1, 1, 0], [[0.2], [0.7], [0.4], [0.9]])
    np.testing.assert_array_equal(got, [[1, 1], [1, 1]])
    assert confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2]).tolist() == [[1, 0, 0], [0, 1, 1], [0, 0, 1]]


def test_confusion_matrix_validation():
    with pytest.raises(ValueError, match="num_classes"):
        confusion_matrix([0, 1], [1, 0], num_classes=0)
    with pytest.raises(ValueError, match="num_classes"):
        confusion_matrix([0, 1], [1, 0], num_classes=-2)
    with pytest.raises(ValueError, match="num_classes"):
        confusion_matrix([0, 1], [1, 0], num_classes=2.5)
    with pytest.raises(ValueError, match=r"`confusion_matrix` argument `y_true` holds label 3, outside \[0, 3\) for "
                                         r"num_classes=3"):
        confusion_matrix([0, 3], [1, 0], num_classes=3)
    with pytest.raises(ValueError, match=r"argument `y_pred` holds label 5, outside \[0, 4\)"):
        confusion_matrix([0, 3], [5, 0], num_classes=4)
    with pytest.raises(ValueError, match=r"argument `y_true` must hold non-negative class labels; received label -1"):
        confusion_matrix([0, -1], [1, 0])
    with pytest.raises(ValueError, match=r"argument `y_pred` must hold non-negative"):
        confusion_matrix([0, 1], [[0.0], [-2.0]])
    with pytest.raises(ValueError, match="as many predictions as labels"):
        confusion_matrix([0, 1, 1], [1, 0])
    with pytest.raises(ValueError, match="one weight per sample"):
        confusion_matrix([0, 1, 1], [1, 0, 1], weights=[1.0, 2.0])
    with pytest.raises(ValueError, match="num_classes"):
        keras.metrics.ConfusionMatrix(num_classes=0)


def test_confusion_matrix_metric_accumulates_over_batches():
    rng = np.random.default_rng(4)
    m = keras.metrics.ConfusionMatrix(num_classes=3)
    np.testing.assert_array_equal(value(m), np.zeros((3, 3)))
    all_true, all_pred, all_w = [], [], []
    for step in range(4):
        y_true, y_pred = rng.integers(0, 3, size=10), rng.integers(0, 3, size=10)
        w = rng.uniform(size=10) if step % 2 else np.ones(10)
        probs = np.eye(3)[y_pred] * 0.5 + 0.1
        m.update_state(y_true if step != 2 else y_true[:, None], probs, sample_weight=None if step % 2 == 0 else w)
        all_true.append(y_true), all_pred.append(y_pred), all_w.append(w)
        expected = reference_confusion(np.concatenate(all_true), np.concatenate(all_pred), 3, np.concatenate(all_w))
        np.testing.assert_allclose(value(m), expected, rtol=1e-6)
    m.reset_state()
    np.testing.assert_array_equal(value(m), np.zeros((3, 3)))


def test_confusion_matrix_metric_leaves_out_of_range_samples_out():
    """update_state cannot refuse them without reading the device: they are dropped, as sklearn drops
    samples whose labels are not in ``labels``."""
    y_true = np.array([0, 1, 2, 3, -1, 1, 2])
    y_pred = np.array([0, 2, 2, 1, 0, 5, 1])
    w = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])
    m = keras.metrics.ConfusionMatrix(num_classes=3)
    m.update_state(y_true, y_pred, sample_weight=w)
    expected = reference_confusion(y_true, y_pred, 3, w)
    np.testing.assert_array_equal(value(m), expected)
    assert value(m).sum() == 1 + 2 + 3 + 7  # not clamped into the edge classes
    m.update_state(y_true, y_pred, sample_weight=2.0)  # a scalar weighs every sample
    np.testing.assert_array_equal(value(m), expected + 2 * reference_confusion(y_true, y_pred, 3))
    with pytest.raises(ValueError, match=r"`ConfusionMatrix` needs one weight per sample; received 2 weights for 7"):
        m.update_state(y_true, y_pred, sample_weight=[1.0, 2.0])
    with pytest.raises(ValueError, match=r"`ConfusionMatrix` needs as many predictions as labels"):
        m.update_state(y_true, y_pred[:3])


def test_confusion_matrix_update_never_reads_the_device(monkeypatch):
    """On the meta device any read of a value (``.item()``, ``bool()``, bincount's size) raises."""
    monkeypatch.setattr(keras.config, "_DEFAULT_DEVICE", "meta")
    m = keras.metrics.ConfusionMatrix(num_classes=4)
    m.update_state(torch.zeros(8, dtype=torch.long, device="meta"), torch.empty(8, 4, device="meta"),
                   sample_weight=torch.empty(8, device="meta"))
    assert m.matrix.device.type == "meta"
