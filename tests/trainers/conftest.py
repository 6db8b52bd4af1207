import numpy as np
import pytest

import layerwise as keras


@pytest.fixture
def blobs():
    """A learnable 3-class problem: Gaussian blobs in 4-D."""
    rng = np.random.RandomState(0)
    centers = rng.randn(3, 4) * 3
    y = rng.randint(0, 3, size=600)
    x = (centers[y] + rng.randn(600, 4)).astype("float32")
    return x, y.astype("int64")


def small_classifier(units=3, activation="softmax"):
    """The tiny canonical model shared by loop, callback and saving tests."""
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(16, activation="relu"),
                             keras.layers.Dense(units, activation=activation)])
