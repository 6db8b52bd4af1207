import numpy as np
import pytest
from matplotlib.colors import to_rgba

from layerwise.viz.images import plot_images


def test_grayscale_predictions_with_wrong_ones_in_red(tmp_path, assert_image_file):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(7, 12, 10), dtype=np.uint8)
    labels = np.array([0, 1, 2, 2, 1, 0, 1])
    probs = np.eye(3)[[0, 1, 1, 2, 0, 0, 1]] * 0.8 + 0.05
    fig = plot_images(images, labels=labels, predictions=probs, class_names=["zero", "one", "two"], ncols=3,
                      path=tmp_path / "grid.png")
    assert_image_file(tmp_path / "grid.png")
    assert len(fig.axes) == 7
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["zero", "one", "one (true: two)", "two", "zero (true: one)", "zero", "one"]
    wrong = {2, 4}
    for i, ax in enumerate(fig.axes):
        assert ax.title.get_color() == ("red" if i in wrong else "black")
        np.testing.assert_array_equal(ax.images[0].get_array(), images[i])
        assert ax.images[0].get_cmap().name == "gray"
        assert ax.images[0].get_clim() == (0, 255)
    # three rows of three: the grid has 7 images, laid out left to right
    assert fig.axes[3].get_position().y0 < fig.axes[0].get_position().y0


def test_rgb_float_and_channel_one(tmp_path):
    rgb = np.random.default_rng(1).random((4, 6, 6, 3)) * 255
    fig = plot_images(rgb, labels=[3, 1, 4, 1])
    assert [ax.get_title() for ax in fig.axes] == ["3", "1", "4", "1"]
    np.testing.assert_allclose(fig.axes[0].images[0].get_array(), rgb[0] / 255)
    assert all(to_rgba(ax.title.get_color()) == to_rgba("black") for ax in fig.axes)

    gray = np.random.default_rng(2).random((2, 5, 5, 1)).astype("float32")
    fig = plot_images(gray, path=tmp_path / "g.jpg")
    assert (tmp_path / "g.jpg").stat().st_size > 0
    assert [ax.get_title() for ax in fig.axes] == ["", ""]
    np.testing.assert_allclose(fig.axes[1].images[0].get_array(), gray[1, ..., 0])
    assert fig.axes[1].images[0].get_clim() == (0.0, 1.0)


def test_one_hot_labels_and_uint8_rgb():
    images = np.zeros((2, 4, 4, 3), np.uint8)
    fig = plot_images(images, labels=np.eye(2)[[1, 0]], predictions=[1, 1])
    assert [ax.get_title() for ax in fig.axes] == ["1", "1 (true: 0)"]


def test_errors():
    with pytest.raises(ValueError, match="`plot_images` argument `images` must be a batch"):
        plot_images(np.zeros((2, 4, 4, 2)))
    with pytest.raises(ValueError, match="`labels` needs one entry per image; received 3 for 2"):
        plot_images(np.zeros((2, 4, 4)), labels=[0, 1, 2])
    with pytest.raises(ValueError, match="`ncols`"):
        plot_images(np.zeros((2, 4, 4)), ncols=0)
    with pytest.raises(ValueError, match="has 2 names, but a label is 5"):
        plot_images(np.zeros((2, 4, 4)), labels=[0, 5], class_names=["a", "b"])
