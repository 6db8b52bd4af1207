"""``plot_history``: the training curves of ``fit``, one subplot per metric, train vs validation."""

from __future__ import annotations

import math
from typing import Any, Iterable, Mapping

from layerwise.api_export import export
from layerwise.utils.argument_validation import unknown_identifier
from layerwise.viz._common import finish, require_pyplot


def _history_dict(history: Any) -> Mapping[str, Any]:
    logs = getattr(history, "history", history)
    if not isinstance(logs, Mapping):
        raise TypeError("`plot_history` argument `history` must be a History object (what `fit` returns) or its "
                        f"`.history` dict; received history={history!r}.")
    if not logs:
        raise ValueError("`plot_history` argument `history` must hold at least one series (such as 'loss'); "
                         "received an empty history.")
    return logs


def _series(owner_key: str, values: Any) -> list[float]:
    try:
        return [float(v) for v in values]
    except (TypeError, ValueError):
        raise TypeError(f"`plot_history` needs a list of numbers for every key; received {owner_key}={values!r}."
                        ) from None


def _metric_names(logs: Mapping[str, Any], metrics: Iterable[str] | None) -> list[str]:
    available = list(dict.fromkeys(key[4:] if key.startswith("val_") else key for key in logs))
    if metrics is None:
        return available
    if isinstance(metrics, str):
        metrics = [metrics]
    names = []
    for name in metrics:
        if not isinstance(name, str):
            raise TypeError(f"`plot_history` argument `metrics` must be a list of metric names; received {name!r}.")
        base = name[4:] if name.startswith("val_") and name[4:] in available else name
        if base not in available:
            raise unknown_identifier("metric in `plot_history` argument `metrics`", name, available)
        if base not in names:
            names.append(base)
    return names


@export("layerwise.viz.plot_history", "layerwise.utils.plot_history")
def plot_history(history: Any, metrics: Iterable[str] | None = None, path: Any = None, ncols: int = 2) -> Any:
    """Plot the loss and every metric of a training run against the epoch, train vs validation.

    Each metric gets its own subplot with one line for the training value (``"loss"``) and one for
    the validation value (``"val_loss"``) when ``fit`` was given validation data: the gap between
    the two is the picture of overfitting.

    Args:
        history: the ``History`` object ``fit`` returns, or its ``.history`` dict.
        metrics: the names to plot (``"loss"``, ``"accuracy"``...; default: every one logged).
        path: save the figure there too; the format comes from the extension (``.png``, ``.pdf``...).
        ncols: the number of subplots per row.

    Returns:
        The matplotlib ``Figure``.

    Example:
        >>> import matplotlib; matplotlib.use("Agg")
        >>> fig = plot_history({"loss": [1.0, 0.5, 0.3], "val_loss": [1.1, 0.7, 0.6],
        ...                     "accuracy": [0.5, 0.7, 0.9]})
        >>> [ax.get_title() for ax in fig.axes]
        ['loss', 'accuracy']
        >>> [line.get_label() for line in fig.axes[0].get_lines()]
        ['loss', 'val_loss']
    """
    logs = _history_dict(history)
    names = _metric_names(logs, metrics)
    if isinstance(ncols, bool) or not isinstance(ncols, int) or ncols <= 0:
        raise ValueError(f"`plot_history` argument `ncols` must be a positive integer; received ncols={ncols!r}.")
    plt = require_pyplot("plot_history")
    from matplotlib.ticker import MaxNLocator

    cols = min(ncols, len(names))
    rows = math.ceil(len(names) / cols)
    figure, axes = plt.subplots(rows, cols, figsize=(5 * cols, 3.5 * rows), squeeze=False)
    flat_axes = list(axes.flat)
    for ax, name in zip(flat_axes, names):
        for key, style in ((name, "-"), (f"val_{name}", "--")):
            if key in logs:
                values = _series(key, logs[key])
                ax.plot(range(1, len(values) + 1), values, style, marker="o", markersize=3, label=key)
        ax.set_title(name)
        ax.set_xlabel("Epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(name)
        ax.grid(True, alpha=0.3)
        ax.legend()
    for ax in flat_axes[len(names):]:
        figure.delaxes(ax)
    figure.tight_layout()
    return finish(figure, path, "plot_history")
