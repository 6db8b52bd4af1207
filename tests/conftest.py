"""Test configuration: a fixed seed per test, CPU weights, and the optional Keras oracle."""

from __future__ import annotations

import os

import pytest
import torch

import layerwise
from layerwise.utils.naming import reset_uids


@pytest.fixture(autouse=True)
def _seed_and_names():
    """Every test starts from the same seed and fresh layer names ("dense", "dense_1"...)."""
    layerwise.utils.set_random_seed(1234)
    reset_uids()
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    yield


@pytest.fixture
def keras_oracle():
    """Keras 3 on its torch backend, or skip when it is not installed."""
    os.environ.setdefault("KERAS_BACKEND", "torch")
    if os.environ["KERAS_BACKEND"] != "torch":
        pytest.skip("The Keras oracle needs KERAS_BACKEND=torch.")
    keras = pytest.importorskip("keras")
    keras.utils.set_random_seed(1234)
    return keras


def pytest_collection_modifyitems(config, items):
    if torch.cuda.is_available():
        return
    skip = pytest.mark.skip(reason="needs a CUDA device")
    for item in items:
        if "requires_cuda" in item.keywords:
            item.add_marker(skip)
