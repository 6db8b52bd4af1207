"""The shared seed / noise_shape helpers."""

import pytest
import torch

import layerwise as keras
from layerwise.layers.regularization.noise_utils import (
    concrete_noise_shape,
    validate_noise_shape,
    validate_seed,
)


def test_validate_seed():
    assert validate_seed("GaussianNoise", 0) == 0
    for bad in (-1, 1.5, True, "1"):
        with pytest.raises(ValueError, match="`GaussianNoise` argument `seed`"):
            validate_seed("GaussianNoise", bad)


def test_noise_shapes():
    assert validate_noise_shape("Dropout", None) is None
    assert validate_noise_shape("Dropout", [1, None]) == (1, None)
    layer = keras.layers.Dropout(0.5)
    assert concrete_noise_shape(layer, None, torch.Size([2, 3])) == (2, 3)
    assert concrete_noise_shape(layer, (None, 1), torch.Size([2, 3])) == (2, 1)
    assert concrete_noise_shape(layer, (2, 3), torch.Size([2, 3])) == (2, 3)


def test_generator_moves_with_the_device_and_survives_deepcopy():
    import copy

    layer = keras.layers.Dropout(0.5, seed=1)
    layer(torch.ones(4, 4), training=True)
    clone = copy.deepcopy(layer)
    assert torch.equal(clone(torch.ones(4, 4), training=True), layer(torch.ones(4, 4), training=True))


@pytest.mark.parametrize("layer", [
    keras.layers.Dropout(0.3), keras.layers.Dropout(0.3, noise_shape=(None, 1, 4), seed=1),
    keras.layers.SpatialDropout1D(0.3, seed=2), keras.layers.GaussianNoise(0.1, seed=3),
    keras.layers.GaussianDropout(0.3), keras.layers.AlphaDropout(0.3, seed=4),
    keras.layers.ActivityRegularization(l1=0.1, l2=0.1),
], ids=lambda layer: type(layer).__name__)
def test_training_calls_have_no_host_synchronisation(layer):
    from layerwise.trainers.step_capture import HostSyncProbe

    x = torch.randn(2, 3, 4, requires_grad=True)
    with HostSyncProbe() as probe:
        layer(x, training=True).sum().backward()
    assert probe.blockers == []
