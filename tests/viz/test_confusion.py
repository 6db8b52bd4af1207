import numpy as np
import pytest

from layerwise.metrics import confusion_matrix
from layerwise.viz.confusion import normalize_matrix, plot_confusion_matrix


def _cells(fig, n):
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert len(texts) == n * n
    return np.array(texts).reshape(n, n)


def test_counts_from_labels_match_confusion_matrix(tmp_path, assert_image_file):
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 4, size=200)
    y_pred = np.where(rng.random(200) < 0.7, y_true, rng.integers(0, 4, size=200))
    fig = plot_confusion_matrix(y_true, y_pred, class_names=["cat", "dog", "fox", "owl"],
                                path=tmp_path / "cm.png")
    assert_image_file(tmp_path / "cm.png")
    expected = confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(_cells(fig, 4).astype(int), expected)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["cat", "dog", "fox", "owl"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["cat", "dog", "fox", "owl"]
    assert ax.get_xlabel() == "Predicted label" and ax.get_ylabel() == "True label"
    np.testing.assert_array_equal(ax.images[0].get_array(), expected)


def test_probability_predictions_are_argmaxed():
    probs = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    fig = plot_confusion_matrix([0, 1, 1], probs)
    assert _cells(fig, 2).tolist() == [["1", "0"], ["1", "1"]]


@pytest.mark.parametrize("normalize", ["true", "pred", "all"])
def test_normalised_cells(normalize):
    matrix = np.array([[5, 1, 0], [2, 6, 2], [0, 0, 0]])
    fig = plot_confusion_matrix(matrix, normalize=normalize)
    axis = {"true": 1, "pred": 0}.get(normalize)
    totals = matrix.sum() if axis is None else matrix.sum(axis=axis, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        expected = np.nan_to_num(matrix / totals)
    np.testing.assert_allclose(_cells(fig, 3).astype(float), expected, atol=0.005)
    np.testing.assert_allclose(normalize_matrix(matrix, normalize), expected)
    assert "normalised" in fig.axes[0].get_title()


def test_errors():
    with pytest.raises(ValueError, match="`plot_confusion_matrix` argument `normalize` must be one of"):
        plot_confusion_matrix([[1, 0], [0, 1]], normalize="rows")
    with pytest.raises(ValueError, match="square"):
        plot_confusion_matrix([[1, 0, 2], [0, 1, 2]])
    with pytest.raises(ValueError, match="must name all 2 classes"):
        plot_confusion_matrix([[1, 0], [0, 1]], class_names=["a", "b", "c"])
    with pytest.raises(ValueError, match="non-negative counts"):
        plot_confusion_matrix([[1, -1], [0, 1]])
