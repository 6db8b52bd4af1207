"""``plot_confusion_matrix``: the confusion matrix as a heat map with every cell's value written in."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from layerwise.api_export import export
from layerwise.utils.argument_validation import one_of
from layerwise.viz._common import finish, require_pyplot, to_numpy


def _matrix(y_true_or_matrix: Any, y_pred: Any, class_names: Sequence[str] | None) -> np.ndarray:
    from layerwise.metrics.confusion_matrix import confusion_matrix

    if y_pred is not None:
        num_classes = len(class_names) if class_names is not None else None
        return confusion_matrix(y_true_or_matrix, y_pred, num_classes=num_classes)
    matrix = to_numpy(y_true_or_matrix)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] == 0:
        raise ValueError("`plot_confusion_matrix` argument `y_true_or_matrix` must be a square (n, n) matrix when "
                         f"`y_pred` is not given; received an array of shape {matrix.shape}.")
    if not np.issubdtype(matrix.dtype, np.number) or (matrix < 0).any():
        raise ValueError("`plot_confusion_matrix` argument `y_true_or_matrix` must hold non-negative counts; "
                         f"received {matrix.tolist()!r}.")
    return matrix


def normalize_matrix(matrix: np.ndarray, normalize: str | None) -> np.ndarray:
    """Divide by the row sums (``"true"``), the column sums (``"pred"``) or the total (``"all"``);
    an empty row or column stays zero.

    Example:
        >>> normalize_matrix(np.array([[3, 1], [0, 0]]), "true").tolist()
        [[0.75, 0.25], [0.0, 0.0]]
    """
    if normalize is None:
        return matrix
    matrix = matrix.astype(np.float64)
    if normalize == "true":
        totals = matrix.sum(axis=1, keepdims=True)
    elif normalize == "pred":
        totals = matrix.sum(axis=0, keepdims=True)
    else:
        totals = np.full((1, 1), matrix.sum())
    return np.divide(matrix, totals, out=np.zeros_like(matrix), where=totals != 0)


def _cell_text(value: float, normalized: bool) -> str:
    if normalized:
        return f"{value:.2f}"
    return f"{int(value)}" if float(value).is_integer() else f"{value:.3g}"


@export("layerwise.viz.plot_confusion_matrix", "layerwise.utils.plot_confusion_matrix")
def plot_confusion_matrix(y_true_or_matrix: Any, y_pred: Any = None, class_names: Sequence[str] | None = None,
                          normalize: str | None = None, path: Any = None, cmap: str = "Blues") -> Any:
    """Draw a confusion matrix (rows: true class, columns: predicted class) with each cell's value.

    Args:
        y_true_or_matrix: the true labels (with ``y_pred``), or an ``(n, n)`` matrix of counts.
        y_pred: the predicted labels, one-hot rows or probability rows (arg-maxed); the counts come
            from :func:`layerwise.metrics.confusion_matrix`.
        class_names: the tick labels, one per class (default ``0 .. n-1``).
        normalize: ``None`` (counts), ``"true"`` (each row sums to 1: recall on the diagonal),
            ``"pred"`` (each column sums to 1: precision on the diagonal) or ``"all"``.
        path: save the figure there too; the format comes from the extension.
        cmap: the matplotlib colour map.

    Returns:
        The matplotlib ``Figure``; its first Axes holds the matrix.

    Example:
        >>> import matplotlib; matplotlib.use("Agg")
        >>> fig = plot_confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2], class_names=["a", "b", "c"])
        >>> [t.get_text() for t in fig.axes[0].texts][:3]
        ['1', '0', '0']
        >>> fig = plot_confusion_matrix([[3, 1], [0, 4]], normalize="true")
        >>> [t.get_text() for t in fig.axes[0].texts]
        ['0.75', '0.25', '0.00', '1.00']
    """
    normalize = one_of("plot_confusion_matrix", "normalize", normalize, (None, "true", "pred", "all"))
    if class_names is not None:
        if isinstance(class_names, str) or not all(isinstance(n, (str, int)) for n in class_names):
            raise TypeError("`plot_confusion_matrix` argument `class_names` must be a list of names; "
                            f"received class_names={class_names!r}.")
        class_names = [str(n) for n in class_names]
    counts = _matrix(y_true_or_matrix, y_pred, class_names)
    n = counts.shape[0]
    if class_names is not None and len(class_names) != n:
        raise ValueError(f"`plot_confusion_matrix` argument `class_names` must name all {n} classes; received "
                         f"{len(class_names)} names: {class_names!r}.")
    values = normalize_matrix(counts, normalize)
    plt = require_pyplot("plot_confusion_matrix")
    size = max(4.0, 0.6 * n + 2)
    figure, ax = plt.subplots(figsize=(size + 1, size))
    image = ax.imshow(values, interpolation="nearest", cmap=cmap,
                      vmin=0, vmax=1 if normalize else max(float(values.max()), 1e-12))
    figure.colorbar(image, ax=ax)
    threshold = (image.norm.vmin + image.norm.vmax) / 2
    for i in range(n):
        for j in range(n):
            ax.text(j, i, _cell_text(values[i, j], normalize is not None), ha="center", va="center",
                    color="white" if values[i, j] > threshold else "black")
    names = class_names if class_names is not None else [str(i) for i in range(n)]
    ax.set_xticks(range(n), names, rotation=45 if max(map(len, names)) > 3 else 0, ha="right"
                  if max(map(len, names)) > 3 else "center")
    ax.set_yticks(range(n), names)
    ax.set_xlabel("Predicted label")
    ax.set_ylabel("True label")
    titles = {None: "Confusion matrix", "true": "Confusion matrix (normalised by true class)",
              "pred": "Confusion matrix (normalised by predicted class)", "all": "Confusion matrix (normalised)"}
    ax.set_title(titles[normalize])
    figure.tight_layout()
    return finish(figure, path, "plot_confusion_matrix")
