"""``plot_decision_boundary``: a 2-D classifier's prediction over the plane, as in the TensorFlow
Playground, with the data points on top."""

from __future__ import annotations

from typing import Any

import numpy as np

from layerwise.api_export import export
from layerwise.utils.argument_validation import positive_int
from layerwise.viz._common import finish, require_pyplot, to_numpy

_ALPHA = 0.6  # the filled prediction is drawn this opaque over a white background
_BINARY_CMAP = "RdBu"


def _predict(model: Any, points: np.ndarray) -> np.ndarray:
    """The model's outputs on all ``points`` in one batch, as a float64 array."""
    import torch

    if hasattr(model, "predict_on_batch"):
        outputs = model.predict_on_batch(points.astype(np.float32))
    elif callable(model):
        was_training = getattr(model, "training", False)
        if hasattr(model, "eval"):
            model.eval()
        with torch.no_grad():
            outputs = model(torch.as_tensor(points, dtype=torch.float32))
        if was_training:
            model.train()
    else:
        raise TypeError("`plot_decision_boundary` argument `model` must be a model or a callable that maps an (n, 2) "
                        f"batch to predictions; received model={model!r}.")
    if isinstance(outputs, (list, tuple)) and len(outputs) == 1:
        outputs = outputs[0]
    outputs = to_numpy(outputs).astype(np.float64)
    if outputs.ndim == 1:
        outputs = outputs[:, None]
    if outputs.ndim != 2 or outputs.shape[0] != len(points):
        raise ValueError("`plot_decision_boundary` needs a model with one prediction row per input point, such as "
                         f"(n, 1) or (n, num_classes); received outputs of shape {outputs.shape} for "
                         f"{len(points)} points.")
    return outputs


def _class_labels(y: Any, n: int) -> np.ndarray:
    labels = to_numpy(y)
    if labels.ndim == 2 and labels.shape[1] > 1:
        labels = labels.argmax(axis=1)  # one-hot rows
    labels = labels.reshape(-1)
    if labels.shape[0] != n:
        raise ValueError(f"`plot_decision_boundary` needs one label per point; received {labels.shape[0]} labels "
                         f"for {n} points.")
    return labels


def binary_threshold(outputs: np.ndarray, labels: np.ndarray) -> float:
    """``0.5`` for probabilities in [0, 1] (sigmoid), ``0`` for outputs that go negative (tanh,
    ±1 targets, or logits).

    Example:
        >>> binary_threshold(np.array([0.1, 0.9]), np.array([0, 1]))
        0.5
        >>> binary_threshold(np.array([-0.7, 0.9]), np.array([-1, 1]))
        0.0
    """
    return 0.0 if outputs.min() < 0 or labels.min() < 0 else 0.5


@export("layerwise.viz.plot_decision_boundary", "layerwise.utils.plot_decision_boundary")
def plot_decision_boundary(model: Any, x: Any, y: Any, resolution: int = 200, margin: float = 0.5,
                           path: Any = None, threshold: float | None = None) -> Any:
    """Draw a 2-D classifier's prediction over the plane as a filled contour, points on top.

    The whole grid (``resolution x resolution`` points) is predicted in one batch. The output
    decides the picture:

    * one column (a ``sigmoid`` probability, a ``tanh``/±1 score, or a logit): the value itself,
      shaded between the two class colours, with the boundary line at the threshold (0.5 for
      values in [0, 1], else 0);
    * several columns (``softmax``): the arg-max class, one colour per class.

    Args:
        model: a layerwise model (uses ``predict_on_batch``) or any callable on a float32 tensor.
        x: the ``(n, 2)`` input points.
        y: their classes: 0/1, ±1, integer labels, or one-hot rows.
        resolution: grid points along each axis.
        margin: how far the grid reaches beyond the data on every side.
        path: save the figure there too; the format comes from the extension.
        threshold: the binary boundary, overriding the automatic 0.5 / 0.

    Returns:
        The matplotlib ``Figure``.

    Example:
        >>> import matplotlib; matplotlib.use("Agg")
        >>> import numpy as np
        >>> x = np.array([[-1.0, 0.0], [1.0, 0.0], [-2.0, 1.0], [2.0, -1.0]])
        >>> fig = plot_decision_boundary(lambda t: (t[:, :1] > 0).float(), x, [0, 1, 0, 1], resolution=50)
        >>> len(fig.axes[0].collections) > 0
        True
    """
    points = to_numpy(x).astype(np.float64)
    if points.ndim != 2 or points.shape[1] != 2 or points.shape[0] == 0:
        raise ValueError("`plot_decision_boundary` argument `x` must be an (n, 2) array of 2-D points; received "
                         f"an array of shape {points.shape}.")
    resolution = positive_int("plot_decision_boundary", "resolution", resolution)
    if resolution < 2:
        raise ValueError("`plot_decision_boundary` argument `resolution` must be at least 2; received "
                         f"resolution={resolution}.")
    labels = _class_labels(y, len(points))
    low, high = points.min(axis=0) - margin, points.max(axis=0) + margin
    xs, ys = np.linspace(low[0], high[0], resolution), np.linspace(low[1], high[1], resolution)
    grid_x, grid_y = np.meshgrid(xs, ys)
    outputs = _predict(model, np.stack([grid_x.ravel(), grid_y.ravel()], axis=1))

    plt = require_pyplot("plot_decision_boundary")
    from matplotlib.colors import BoundaryNorm, ListedColormap, Normalize

    figure, ax = plt.subplots(figsize=(6, 5))
    if outputs.shape[1] == 1:
        values = outputs[:, 0].reshape(grid_x.shape)
        cut = binary_threshold(outputs, labels) if threshold is None else float(threshold)
        spread = max(abs(values.max() - cut), abs(values.min() - cut), 0.5 if cut == 0.5 else 1.0)
        norm = Normalize(cut - spread, cut + spread)
        cmap = plt.get_cmap(_BINARY_CMAP)
        levels = np.linspace(norm.vmin, norm.vmax, 21)
        filled = ax.contourf(grid_x, grid_y, values, levels=levels, cmap=cmap, norm=norm, alpha=_ALPHA)
        if values.min() < cut < values.max():
            ax.contour(grid_x, grid_y, values, levels=[cut], colors="k", linewidths=1.5)
        positive = labels > (0 if labels.min() < 0 else 0.5)  # 0/1 or -1/+1 labels
        point_colors = cmap(norm(np.where(positive, norm.vmax, norm.vmin)))
    else:
        k = outputs.shape[1]
        values = outputs.argmax(axis=1).reshape(grid_x.shape)
        cmap = ListedColormap(plt.get_cmap("tab10" if k <= 10 else "tab20").colors[:k])
        norm = BoundaryNorm(np.arange(k + 1) - 0.5, k)
        filled = ax.contourf(grid_x, grid_y, values, levels=np.arange(k + 1) - 0.5, cmap=cmap, norm=norm,
                             alpha=_ALPHA)
        point_colors = cmap(norm(labels.astype(int)))
    figure.colorbar(filled, ax=ax, label="prediction" if outputs.shape[1] == 1 else "class")
    ax.scatter(points[:, 0], points[:, 1], c=point_colors, edgecolors="k", linewidths=0.6, s=25, zorder=3)
    ax.set_xlim(low[0], high[0])
    ax.set_ylim(low[1], high[1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_title("Decision boundary")
    figure.tight_layout()
    return finish(figure, path, "plot_decision_boundary")
