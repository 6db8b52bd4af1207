import numpy as np
import pytest

from layerwise.viz.activations import DEFAULT_ACTIVATIONS, activation_and_derivative, plot_activations


def _lines(ax):
    return {line.get_label(): line for line in ax.get_lines() if not line.get_label().startswith("_")}


def test_derivatives_match_analytic_ones(tmp_path, assert_image_file):
    fig = plot_activations(["sigmoid", "tanh", "relu", "softplus"], x_range=(-4, 3), num_points=101,
                           path=tmp_path / "act.svg")
    assert (tmp_path / "act.svg").read_text().lstrip().startswith("<?xml")
    assert [ax.get_title() for ax in fig.axes] == ["sigmoid", "tanh", "relu", "softplus"]
    x = np.linspace(-4, 3, 101)
    s = 1 / (1 + np.exp(-x))
    expected = {
        "sigmoid": (s, s * (1 - s)),
        "tanh": (np.tanh(x), 1 - np.tanh(x) ** 2),
        "relu": (np.maximum(x, 0), (x > 0).astype(float)),
        "softplus": (np.log1p(np.exp(x)), s),
    }
    for ax in fig.axes:
        name = ax.get_title()
        lines = _lines(ax)
        assert list(lines) == [f"{name}(x)", f"{name}'(x)"]
        np.testing.assert_allclose(lines[f"{name}(x)"].get_xdata(), x)
        np.testing.assert_allclose(lines[f"{name}(x)"].get_ydata(), expected[name][0], atol=1e-6)
        np.testing.assert_allclose(lines[f"{name}'(x)"].get_ydata(), expected[name][1], atol=1e-6)


def test_defaults_and_callables(tmp_path, assert_image_file):
    fig = plot_activations(path=tmp_path / "all.png")
    assert_image_file(tmp_path / "all.png")
    assert [ax.get_title() for ax in fig.axes] == list(DEFAULT_ACTIVATIONS)

    def cube(t):
        return t ** 3

    y, dy = activation_and_derivative(cube, np.array([-1.0, 2.0]))
    np.testing.assert_allclose(dy, [3.0, 12.0])
    assert plot_activations([cube]).axes[0].get_title() == "cube"


def test_errors():
    with pytest.raises(ValueError, match="Unknown activation: 'sigmod'.*'sigmoid'"):
        plot_activations(["sigmod"])
    with pytest.raises(ValueError, match="elementwise"):
        plot_activations(["softmax"])
    with pytest.raises(ValueError, match="`plot_activations` argument `x_range` must have low < high"):
        plot_activations(x_range=(2, 1))
    with pytest.raises(ValueError, match="`x_range` must be a pair"):
        plot_activations(x_range=3)
    with pytest.raises(ValueError, match="`num_points`"):
        plot_activations(num_points=1)
    with pytest.raises(ValueError, match="at least one"):
        plot_activations([])
