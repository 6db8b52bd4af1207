"""Test helpers shared by layerwise's own tests and by people writing layers on top of it."""

from layerwise.testing.gradient_check import check_layer_gradients
from layerwise.testing.layer_test import run_layer_test

__all__ = ["check_layer_gradients", "run_layer_test"]
