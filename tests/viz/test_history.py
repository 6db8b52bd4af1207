import numpy as np
import pytest

import layerwise as keras
from layerwise.callbacks import History
from layerwise.viz.history import plot_history


def test_one_subplot_per_metric_with_exact_series(tmp_path, assert_image_file):
    logs = {"loss": [1.0, 0.6, 0.4, 0.3], "accuracy": [0.4, 0.6, 0.8, 0.9],
            "val_loss": [1.1, 0.8, 0.7, 0.75], "val_accuracy": [0.35, 0.55, 0.7, 0.68]}
    fig = plot_history(logs, path=tmp_path / "history.png")
    assert_image_file(tmp_path / "history.png")
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    for ax, name in zip(fig.axes, ["loss", "accuracy"]):
        lines = {line.get_label(): line for line in ax.get_lines()}
        assert set(lines) == {name, f"val_{name}"}
        for key, line in lines.items():
            np.testing.assert_allclose(line.get_ydata(), logs[key])
            np.testing.assert_array_equal(line.get_xdata(), [1, 2, 3, 4])
        assert ax.get_xlabel() == "Epoch"


def test_history_object_from_fit_and_metric_selection(tmp_path):
    x = np.random.default_rng(0).normal(size=(32, 3)).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=3, validation_split=0.25, verbose=0)
    assert isinstance(history, History)
    fig = plot_history(history, metrics=["val_accuracy"], path=tmp_path / "h.pdf")
    assert (tmp_path / "h.pdf").read_bytes().startswith(b"%PDF")
    assert [ax.get_title() for ax in fig.axes] == ["accuracy"]
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert labels == ["accuracy", "val_accuracy"]
    np.testing.assert_allclose(fig.axes[0].get_lines()[1].get_ydata(), history.history["val_accuracy"])


def test_training_only_history_has_one_line():
    fig = plot_history({"loss": [3, 2, 1]})
    assert len(fig.axes) == 1 and len(fig.axes[0].get_lines()) == 1


def test_errors_name_the_argument():
    with pytest.raises(TypeError, match="`plot_history` argument `history` must be a History"):
        plot_history([1, 2, 3])
    with pytest.raises(ValueError, match="empty history"):
        plot_history({})
    with pytest.raises(ValueError, match="Did you mean: 'accuracy'"):
        plot_history({"loss": [1], "accuracy": [0.5]}, metrics=["acuracy"])
    with pytest.raises(ValueError, match="`ncols`"):
        plot_history({"loss": [1]}, ncols=0)


def test_missing_matplotlib_says_how_to_install(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=r"`plot_history` needs matplotlib.*pip install matplotlib"):
        plot_history({"loss": [1.0]})


def test_import_layerwise_does_not_import_matplotlib():
    import subprocess
    import sys

    code = "import sys, layerwise, layerwise.viz; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
