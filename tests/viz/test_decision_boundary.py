import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.viz.decision_boundary import _ALPHA, plot_decision_boundary


def _pixel(fig, ax, point):
    """The RGB colour (0..1) drawn at data coordinates ``point``."""
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba()).astype(float) / 255
    px, py = ax.transData.transform(point)
    height = rgba.shape[0]
    return rgba[int(round(height - py)), int(round(px)), :3]


def _blend(color):
    return _ALPHA * np.asarray(color[:3]) + (1 - _ALPHA) * np.ones(3)


def _nearest(pixel, candidates):
    return int(np.argmin([np.abs(pixel - _blend(c)).sum() for c in candidates]))


def _binary_model(activation):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation=activation)])
    model.layers[0].set_weights([np.array([[4.0], [0.0]], "float32"), np.zeros(1, "float32")])
    return model


@pytest.mark.parametrize("activation,labels", [("sigmoid", [0, 1]), ("tanh", [-1, 1]), ("linear", [0, 1])])
def test_binary_colours_follow_predictions(activation, labels, tmp_path, assert_image_file):
    # The class is the sign of x1: the left half is class 0 (or -1), the right half class 1.
    x = np.array([[-2.0, -2.0], [2.0, 2.0], [-1.5, 1.0], [1.5, -1.0]])
    y = np.array([labels[0], labels[1], labels[0], labels[1]])
    model = _binary_model(activation)
    fig = plot_decision_boundary(model, x, y, resolution=60, path=tmp_path / "db.png")
    assert_image_file(tmp_path / "db.png")
    ax = fig.axes[0]
    cmap, norm = ax.collections[0].get_cmap(), ax.collections[0].norm
    assert cmap.name == "RdBu"
    low, high = cmap(norm(norm.vmin)), cmap(norm(norm.vmax))
    for point in [(-2.2, 0.0), (-1.0, -2.2), (1.0, 2.2), (2.3, 0.5)]:
        prediction = model.predict_on_batch(np.array([point], "float32"))[0, 0]
        cut = 0.5 if activation == "sigmoid" else 0.0
        pixel = _pixel(fig, ax, point)
        # RdBu: every shade on the negative side is reddish, every shade on the positive side bluish
        assert (pixel[2] > pixel[0]) == (prediction > cut), (point, prediction, pixel)
        assert not np.allclose(pixel, 1.0)
    # the points themselves are coloured by their class
    colors = ax.collections[-1].get_facecolors()
    np.testing.assert_allclose(colors[0], low)
    np.testing.assert_allclose(colors[1], high)


def test_softmax_classes_and_one_batch():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(30, 2))
    centres = torch.tensor([[-2.0, 0.0], [2.0, 0.0], [0.0, 2.5]])
    calls = []

    def model(t):  # nearest-centre classifier, softmax over negative distances
        calls.append(t.shape)
        return torch.softmax(-torch.cdist(t, centres), dim=1)

    y = keras.utils.to_categorical(model(torch.as_tensor(x, dtype=torch.float32)).argmax(1).numpy(), 3)
    calls.clear()
    fig = plot_decision_boundary(model, x, y, resolution=80, margin=1.0)
    assert calls == [torch.Size([6400, 2])]  # the whole grid in one batch
    ax = fig.axes[0]
    cmap = ax.collections[0].get_cmap()
    class_colors = [cmap(i) for i in range(3)]
    for point, expected in [((-2.0, -0.5), 0), ((2.0, -0.5), 1), ((0.0, 2.5), 2)]:
        assert _nearest(_pixel(fig, ax, point), class_colors) == expected


def test_errors():
    with pytest.raises(ValueError, match="`plot_decision_boundary` argument `x` must be an \\(n, 2\\)"):
        plot_decision_boundary(lambda t: t, np.zeros((4, 3)), [0, 1, 0, 1])
    with pytest.raises(ValueError, match="one label per point"):
        plot_decision_boundary(lambda t: t[:, :1], np.zeros((4, 2)), [0, 1])
    with pytest.raises(ValueError, match="`resolution`"):
        plot_decision_boundary(lambda t: t[:, :1], np.zeros((4, 2)), [0, 1, 0, 1], resolution=0)
    with pytest.raises(TypeError, match="argument `model`"):
        plot_decision_boundary(3, np.zeros((4, 2)), [0, 1, 0, 1])
