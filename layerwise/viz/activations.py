"""``plot_activations``: activation functions and their derivatives, side by side."""

from __future__ import annotations

import math
from typing import Any, Callable, Sequence

import numpy as np

from layerwise.api_export import export
from layerwise.viz._common import finish, require_pyplot

DEFAULT_ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "silu", "softplus")
_NOT_ELEMENTWISE = ("softmax", "log_softmax")


def activation_and_derivative(activation: Any, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``f(x)`` and ``f'(x)`` of an elementwise activation, the derivative taken with autograd (float64).

    Example:
        >>> y, dy = activation_and_derivative("relu", np.array([-1.0, 2.0]))
        >>> y.tolist(), dy.tolist()
        ([0.0, 2.0], [0.0, 1.0])
    """
    import torch

    from layerwise import activations

    if isinstance(activation, str) and activation in _NOT_ELEMENTWISE:
        raise ValueError(f"`plot_activations` can only plot elementwise activations; {activation!r} normalises over "
                         "a whole axis, so it has no curve of one variable.")
    fn: Callable = activations.get(activation)
    inputs = torch.tensor(np.asarray(x, dtype=np.float64), requires_grad=True)
    outputs = fn(inputs)
    if not isinstance(outputs, torch.Tensor) or outputs.shape != inputs.shape:
        raise ValueError(f"`plot_activations` needs activations that map a vector to a vector of the same shape; "
                         f"{activation!r} returned {getattr(outputs, 'shape', type(outputs).__name__)}.")
    (grad,) = torch.autograd.grad(outputs.sum(), inputs, allow_unused=True)
    grad = torch.zeros_like(inputs) if grad is None else grad
    return outputs.detach().numpy(), grad.detach().numpy()


def _name(activation: Any) -> str:
    return activation if isinstance(activation, str) else getattr(activation, "__name__", repr(activation))


@export("layerwise.viz.plot_activations", "layerwise.utils.plot_activations")
def plot_activations(names: Sequence[Any] = DEFAULT_ACTIVATIONS, x_range: tuple[float, float] = (-5.0, 5.0),
                     path: Any = None, num_points: int = 401, ncols: int = 4) -> Any:
    """Plot each activation function and its derivative (computed with autograd), one subplot each.

    Args:
        names: activation names for :func:`layerwise.activations.get` (or callables).
        x_range: ``(low, high)`` of the inputs.
        path: save the figure there too; the format comes from the extension.
        num_points: the number of inputs in ``x_range``.
        ncols: the number of subplots per row.

    Returns:
        The matplotlib ``Figure``: per Axes, the line ``"f(x)"`` then the dashed line ``"f'(x)"``.

    Example:
        >>> import matplotlib; matplotlib.use("Agg")
        >>> fig = plot_activations(["sigmoid", "relu"])
        >>> [ax.get_title() for ax in fig.axes]
        ['sigmoid', 'relu']
        >>> [line.get_label() for line in fig.axes[1].get_lines()[:2]]
        ['relu(x)', "relu'(x)"]
    """
    if isinstance(names, str) or callable(names):
        names = [names]
    names = list(names)
    if not names:
        raise ValueError("`plot_activations` argument `names` must list at least one activation; received names=[].")
    try:
        low, high = (float(v) for v in x_range)
    except (TypeError, ValueError):
        raise ValueError("`plot_activations` argument `x_range` must be a pair of numbers (low, high); received "
                         f"x_range={x_range!r}.") from None
    if not low < high:
        raise ValueError(f"`plot_activations` argument `x_range` must have low < high; received x_range={x_range!r}.")
    for arg, value, minimum in (("num_points", num_points, 2), ("ncols", ncols, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise ValueError(f"`plot_activations` argument `{arg}` must be an integer >= {minimum}; "
                             f"received {arg}={value!r}.")
    x = np.linspace(low, high, num_points)
    curves = [(_name(a), *activation_and_derivative(a, x)) for a in names]  # fail before drawing

    plt = require_pyplot("plot_activations")
    cols = min(ncols, len(curves))
    rows = math.ceil(len(curves) / cols)
    figure, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 3.0 * rows), squeeze=False)
    flat_axes = list(axes.flat)
    for ax, (name, y, dy) in zip(flat_axes, curves):
        ax.plot(x, y, "-", linewidth=2, label=f"{name}(x)")
        ax.plot(x, dy, "--", linewidth=1.5, label=f"{name}'(x)")
        ax.axhline(0, color="grey", linewidth=0.5)
        ax.axvline(0, color="grey", linewidth=0.5)
        ax.set_title(name)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small")
    for ax in flat_axes[len(curves):]:
        figure.delaxes(ax)
    figure.tight_layout()
    return finish(figure, path, "plot_activations")
