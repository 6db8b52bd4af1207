"""Factor and value-range parsing (Keras 3's conventions), the uniform draws, and (on a CUDA machine)
every augmentation layer drawing and transforming on the device without a host sync."""

import pytest
import torch

import layerwise as keras
from layerwise.layers.preprocessing.augmentation.augmentation_utils import (
    factor_interval,
    plain_factor,
    uniform,
    value_range_pair,
)


def test_factor_conventions():
    assert factor_interval("L", "factor", 0.3) == (-0.3, 0.3)
    assert factor_interval("L", "factor", -0.3) == (-0.3, 0.3)
    assert factor_interval("L", "factor", (0.4, -0.2)) == (-0.2, 0.4)
    assert factor_interval("L", "factor", 0.3, low=0.0) == (0.0, 0.3)  # RandomContrast: (0, f)
    assert factor_interval("L", "factor", [-0.5, 0.5], low=0.0, pair_low=-1.0) == (-0.5, 0.5)
    assert factor_interval("L", "factor", 1) == (-1.0, 1.0)


@pytest.mark.parametrize("value", [1.5, -1.01, (0.1, 2), (0.1,), "0.1", None, True, float("nan"), (0.1, None)])
def test_factor_refused(value):
    with pytest.raises(ValueError, match=r"`L` argument `factor` must be a number in \[-1, 1\] or a pair of numbers "
                                         r"in \[-1, 1\]; received factor="):
        factor_interval("L", "factor", value)


def test_open_lower_bound_for_zoom():
    with pytest.raises(ValueError, match=r"must be a number in \(-1, 1\]"):
        factor_interval("RandomZoom", "height_factor", (-1.0, 0.0), low_inclusive=False)
    assert factor_interval("RandomZoom", "height_factor", 1.0, low_inclusive=False) == (-1.0, 1.0)


def test_value_range_and_plain_factor():
    assert value_range_pair("L", (255, 0)) == (0.0, 255.0)
    for bad in [(1, 1), (0,), 255, "0,1", (0, None)]:
        with pytest.raises(ValueError, match="`L` argument `value_range` must be a pair of two different numbers"):
            value_range_pair("L", bad)
    assert plain_factor((1, 0.5)) == [1.0, 0.5] and plain_factor(None) is None and plain_factor(0) == 0.0


def test_uniform_bounds_and_seed():
    draws = uniform((10_000,), -2.0, 3.0, torch.Generator().manual_seed(0), torch.device("cpu"))
    assert draws.dtype == torch.float32 and -2.0 <= float(draws.min()) and float(draws.max()) < 3.0
    assert abs(float(draws.mean()) - 0.5) < 0.05
    again = uniform((10_000,), -2.0, 3.0, torch.Generator().manual_seed(0), torch.device("cpu"))
    assert torch.equal(draws, again)
    assert torch.equal(uniform((3,), 0.7, 0.7, None, torch.device("cpu")), torch.full((3,), 0.7))


LAYERS = [
    (keras.layers.RandomFlip, {}),
    (keras.layers.RandomRotation, {"factor": 0.2, "fill_mode": "constant"}),
    (keras.layers.RandomTranslation, {"height_factor": 0.2, "width_factor": 0.2, "fill_mode": "wrap"}),
    (keras.layers.RandomZoom, {"height_factor": 0.2, "interpolation": "nearest"}),
    (keras.layers.RandomContrast, {"factor": 0.5}),
    (keras.layers.RandomBrightness, {"factor": 0.5}),
    (keras.layers.RandomCrop, {"height": 5, "width": 6}),
]


@pytest.mark.requires_cuda
@pytest.mark.parametrize("cls,kwargs", LAYERS, ids=[cls.__name__ for cls, _ in LAYERS])
def test_layers_run_on_the_device_without_host_sync(cls, kwargs):
    x = torch.rand(4, 8, 8, 3, device="cuda") * 255
    layer = cls(**kwargs, seed=0)
    layer(x, training=True)  # the first call creates the layer's CUDA generator
    torch.cuda.synchronize()
    torch.cuda.set_sync_debug_mode("error")
    try:
        y = layer(x, training=True)
    finally:
        torch.cuda.set_sync_debug_mode(0)
    assert y.device == x.device and y.dtype == torch.float32
    twin = cls(**kwargs, seed=0)
    twin(x, training=True)
    assert torch.equal(twin(x, training=True), y)  # same seed, same sequence on the device
