"""Plot tests draw with the non-interactive Agg backend and close every figure they open."""

from __future__ import annotations

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def assert_image_file():
    """A check that a file exists and holds a non-blank image (more than two colours)."""
    return _assert_image_file


def _assert_image_file(path) -> None:
    import numpy as np

    assert path.exists() and path.stat().st_size > 0
    if path.suffix == ".png":
        import matplotlib.image

        pixels = matplotlib.image.imread(path)
        assert pixels.ndim == 3 and pixels.shape[0] > 10 and pixels.shape[1] > 10
        assert len(np.unique(pixels.reshape(-1, pixels.shape[-1]), axis=0)) > 2
