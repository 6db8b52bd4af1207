"""``plot_images``: a grid of images with their labels, or predictions with the wrong ones in red."""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np

from layerwise.api_export import export
from layerwise.viz._common import finish, require_pyplot, to_numpy

WRONG_COLOR = "red"
RIGHT_COLOR = "black"


def _as_images(images: Any) -> np.ndarray:
    array = to_numpy(images)
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if not (array.ndim == 3 or (array.ndim == 4 and array.shape[-1] == 3)) or array.shape[0] == 0:
        raise ValueError("`plot_images` argument `images` must be a batch of grayscale (n, h, w) or (n, h, w, 1) "
                         f"or RGB (n, h, w, 3) images; received an array of shape {array.shape}.")
    if array.dtype == bool or not np.issubdtype(array.dtype, np.number):
        raise ValueError(f"`plot_images` argument `images` must hold numbers; received dtype {array.dtype}.")
    if array.ndim == 4 and not np.issubdtype(array.dtype, np.integer):
        # RGB floats: [0, 1] as they are, [0, 255] scaled down; imshow needs [0, 1]
        array = array.astype(np.float64)
        if array.max() > 1.0:
            array = array / 255.0
        array = np.clip(array, 0.0, 1.0)
    elif array.ndim == 4:
        array = np.clip(array, 0, 255).astype(np.uint8)
    return array


def _as_labels(owner_arg: str, values: Any, n: int) -> np.ndarray:
    labels = to_numpy(values)
    if labels.ndim == 2 and labels.shape[1] > 1:
        labels = labels.argmax(axis=1)  # one-hot rows or probabilities
    elif labels.ndim == 2 and labels.shape[1] == 1 and np.issubdtype(labels.dtype, np.floating) and \
            ((labels >= 0) & (labels <= 1)).all() and not np.all(labels == np.round(labels)):
        labels = (labels > 0.5).astype(int)  # one sigmoid probability per image
    labels = labels.reshape(-1)
    if labels.shape[0] != n:
        raise ValueError(f"`plot_images` argument `{owner_arg}` needs one entry per image; received "
                         f"{labels.shape[0]} for {n} images.")
    if np.issubdtype(labels.dtype, np.floating) and np.all(labels == np.round(labels)):
        labels = labels.astype(int)
    return labels


def _label_text(label: Any, class_names: Sequence[str] | None) -> str:
    if class_names is None:
        return str(label)
    index = int(label)
    if not 0 <= index < len(class_names):
        raise ValueError(f"`plot_images` argument `class_names` has {len(class_names)} names, but a label is "
                         f"{index}.")
    return str(class_names[index])


def _gray_limits(images: np.ndarray) -> tuple[float | None, float | None]:
    if np.issubdtype(images.dtype, np.integer):
        return 0, 255
    low, high = float(images.min()), float(images.max())
    if low >= 0 and high <= 1:
        return 0.0, 1.0
    if low >= 0 and high <= 255:
        return 0.0, 255.0
    return None, None  # standardised pixels: let matplotlib stretch each image


@export("layerwise.viz.plot_images", "layerwise.utils.plot_images")
def plot_images(images: Any, labels: Any = None, predictions: Any = None,
                class_names: Sequence[str] | None = None, ncols: int | None = None, path: Any = None) -> Any:
    """Show a grid of images, titled with their labels or with predictions (wrong ones in red).

    Args:
        images: grayscale ``(n, h, w)`` or ``(n, h, w, 1)``, or RGB ``(n, h, w, 3)``; ``uint8``
            in [0, 255] or floats in [0, 1] (floats in [0, 255] are scaled down).
        labels: the true classes: integers or one-hot rows.
        predictions: the predicted classes: integers, or probability rows (arg-maxed).
        class_names: names to show instead of class numbers.
        ncols: images per row (default: up to 8).
        path: save the figure there too; the format comes from the extension.

    With both ``labels`` and ``predictions``, a right prediction is titled with its class, a wrong
    one with ``"predicted (true: label)"`` in red.

    Returns:
        The matplotlib ``Figure``, one Axes per image.

    Example:
        >>> import matplotlib; matplotlib.use("Agg")
        >>> import numpy as np
        >>> fig = plot_images(np.zeros((3, 8, 8), "uint8"), labels=[0, 1, 1], predictions=[0, 1, 0],
        ...                   class_names=["cat", "dog"])
        >>> [ax.get_title() for ax in fig.axes]
        ['cat', 'dog', 'cat (true: dog)']
    """
    array = _as_images(images)
    n = array.shape[0]
    if ncols is None:
        ncols = min(n, 8)
    if isinstance(ncols, bool) or not isinstance(ncols, int) or ncols <= 0:
        raise ValueError(f"`plot_images` argument `ncols` must be a positive integer; received ncols={ncols!r}.")
    if class_names is not None and (isinstance(class_names, str) or not hasattr(class_names, "__len__")):
        raise TypeError("`plot_images` argument `class_names` must be a list of names; received "
                        f"class_names={class_names!r}.")
    true = None if labels is None else _as_labels("labels", labels, n)
    predicted = None if predictions is None else _as_labels("predictions", predictions, n)
    titles: list[tuple[str, str]] = []
    for i in range(n):
        if predicted is None:
            titles.append(("" if true is None else _label_text(true[i], class_names), RIGHT_COLOR))
        elif true is None or predicted[i] == true[i]:
            titles.append((_label_text(predicted[i], class_names), RIGHT_COLOR))
        else:
            text = f"{_label_text(predicted[i], class_names)} (true: {_label_text(true[i], class_names)})"
            titles.append((text, WRONG_COLOR))

    plt = require_pyplot("plot_images")
    cols = min(ncols, n)
    rows = math.ceil(n / cols)
    figure, axes = plt.subplots(rows, cols, figsize=(1.8 * cols, 2.0 * rows), squeeze=False)
    flat_axes = list(axes.flat)
    vmin, vmax = _gray_limits(array) if array.ndim == 3 else (None, None)
    for ax, image, (title, color) in zip(flat_axes, array, titles):
        if array.ndim == 3:
            ax.imshow(image, cmap="gray", vmin=vmin, vmax=vmax)
        else:
            ax.imshow(image)
        ax.set_title(title, color=color, fontsize="small")
        ax.set_xticks([])
        ax.set_yticks([])
    for ax in flat_axes[n:]:
        figure.delaxes(ax)
    figure.tight_layout()
    return finish(figure, path, "plot_images")
