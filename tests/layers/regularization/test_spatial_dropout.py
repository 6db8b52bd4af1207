"""SpatialDropout1D/2D/3D: whole channels dropped (per sample), the rest scaled by 1/(1-rate),
identity at inference, data_format, seeds, gradients, config, Keras parity of everything but the draw."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test

LAYERS = {1: keras.layers.SpatialDropout1D, 2: keras.layers.SpatialDropout2D, 3: keras.layers.SpatialDropout3D}


def _channels(y: torch.Tensor, data_format: str) -> torch.Tensor:
    """``y`` as (batch, channels, positions)."""
    if data_format == "channels_last":
        y = y.movedim(-1, 1)
    return y.reshape(y.shape[0], y.shape[1], -1)


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_common_checks_and_inference_identity(rank):
    x = torch.randn((2,) + (3,) * rank + (4,))
    out = run_layer_test(LAYERS[rank], {"rate": 0.5}, input_data=x, expected_output_shape=tuple(x.shape),
                         expected_num_trainable_weights=0)
    assert torch.equal(out, x)


@pytest.mark.parametrize("rank,data_format", [(1, "channels_last"), (2, "channels_last"), (2, "channels_first"),
                                              (3, "channels_last"), (3, "channels_first")])
def test_whole_channels_are_dropped_and_the_rest_rescaled(rank, data_format):
    kwargs = {} if rank == 1 else {"data_format": data_format}
    layer = LAYERS[rank](0.3, seed=0, **kwargs)
    spatial = (4,) * rank
    shape = (64,) + spatial + (32,) if data_format == "channels_last" else (64, 32) + spatial
    x = torch.rand(shape) + 0.5  # never zero
    y = layer(x, training=True)
    per_channel = _channels(y, data_format)
    dropped = (per_channel == 0).all(dim=2)
    kept = (per_channel != 0).all(dim=2)
    assert bool((dropped | kept).all())  # each channel of each sample is all-or-nothing
    assert abs(float(dropped.float().mean()) - 0.3) < 0.05  # 2048 draws
    scaled = _channels(x, data_format)[kept] / 0.7
    torch.testing.assert_close(per_channel[kept], scaled)
    assert not bool((dropped == dropped[:1]).all())  # the masks differ between samples


def test_data_format_defaults_to_the_config():
    keras.config.set_image_data_format("channels_first")
    try:
        assert keras.layers.SpatialDropout2D(0.5).data_format == "channels_first"
    finally:
        keras.config.set_image_data_format("channels_last")
    assert keras.layers.SpatialDropout3D(0.5).data_format == "channels_last"


def test_seeded_layers_are_reproducible_and_gradient_is_the_mask():
    x = torch.randn(8, 5, 6, requires_grad=True)
    a, b = keras.layers.SpatialDropout1D(0.5, seed=11), keras.layers.SpatialDropout1D(0.5, seed=11)
    y = a(x, training=True)
    assert torch.equal(y, b(x, training=True))
    y.sum().backward()
    torch.testing.assert_close(x.grad, ((y != 0).float() * 2.0).detach())


def test_rate_zero_and_one():
    x = torch.randn(2, 3, 3, 4)
    assert torch.equal(keras.layers.SpatialDropout2D(0.0)(x, training=True), x)
    assert float(keras.layers.SpatialDropout2D(1.0)(x, training=True).abs().sum()) == 0.0


def test_config_round_trip():
    layer = keras.layers.SpatialDropout2D(0.25, data_format="channels_first", seed=3)
    config = layer.get_config()
    assert config["rate"] == 0.25 and config["data_format"] == "channels_first" and config["seed"] == 3
    assert "noise_shape" not in config
    assert keras.layers.SpatialDropout2D.from_config(config).get_config() == config
    one = keras.layers.SpatialDropout1D(0.5)
    assert "data_format" not in one.get_config()
    assert keras.layers.SpatialDropout1D.from_config({**one.get_config(), "noise_shape": None}).rate == 0.5


def test_errors():
    with pytest.raises(ValueError, match="`SpatialDropout2D` argument `data_format` must be one of"):
        keras.layers.SpatialDropout2D(0.5, data_format="NHWC")
    with pytest.raises(ValueError, match=r"`SpatialDropout3D` argument `rate` must be a number in \[0, 1\]"):
        keras.layers.SpatialDropout3D(2.0)
    with pytest.raises(ValueError, match="`SpatialDropout1D` takes no `noise_shape`"):
        keras.layers.SpatialDropout1D(0.5, noise_shape=(None, 1, 3))
    with pytest.raises(ValueError, match="spatial_dropout2d"):
        keras.layers.SpatialDropout2D(0.5)(torch.zeros(2, 3, 4), training=True)  # needs rank 4


@pytest.mark.keras_oracle
@pytest.mark.parametrize("rank,kwargs", [(1, {}), (2, {"data_format": "channels_first"}), (3, {})])
def test_parity_with_keras(keras_oracle, rank, kwargs):
    theirs = getattr(keras_oracle.layers, f"SpatialDropout{rank}D")(0.4, seed=1, **kwargs)
    config = theirs.get_config()
    ours = LAYERS[rank].from_config(config)
    mine = ours.get_config()
    assert set(mine) - {"trainable"} == set(config)
    assert all(mine[k] == config[k] for k in config if k != "dtype")
    x = np.random.RandomState(0).rand(*((32,) + (3,) * rank + (8,))).astype("float32") + 0.5
    fmt = kwargs.get("data_format", "channels_last")
    np.testing.assert_array_equal(ours(torch.from_numpy(x)).numpy(), keras_oracle.ops.convert_to_numpy(theirs(x)))
    for y in (ours(torch.from_numpy(x), training=True), torch.from_numpy(
            np.asarray(keras_oracle.ops.convert_to_numpy(theirs(x, training=True))))):
        per_channel = _channels(y, fmt)
        kept = (per_channel != 0).all(dim=2)
        assert bool((kept | (per_channel == 0).all(dim=2)).all())
        torch.testing.assert_close(per_channel[kept], _channels(torch.from_numpy(x), fmt)[kept] / 0.6)


@pytest.mark.parametrize("rank,data_format", [(1, "channels_last"), (2, "channels_last"), (2, "channels_first"),
                                              (3, "channels_first")])
def test_output_shapes(rank, data_format):
    kwargs = {} if rank == 1 else {"data_format": data_format}
    for spatial in ((3,) * rank, tuple(range(2, 2 + rank))):
        shape = (2,) + spatial + (4,) if data_format == "channels_last" else (2, 4) + spatial
        layer = LAYERS[rank](0.5, seed=0, **kwargs)
        assert tuple(layer(torch.randn(shape), training=True).shape) == shape
        assert layer.compute_output_shape((None,) + shape[1:]) == (None,) + shape[1:]


def test_hand_computed_rate_one_half():
    x = torch.tensor([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]])  # (1, 3 steps, 2 channels)
    y = keras.layers.SpatialDropout1D(0.5, seed=4)(x, training=True)
    for channel in range(2):
        column = y[0, :, channel]
        assert torch.equal(column, torch.zeros(3)) or torch.equal(column, 2 * x[0, :, channel])


@pytest.mark.parametrize("rank,data_format", [(1, "channels_last"), (2, "channels_first"), (3, "channels_last")])
def test_gradcheck_float64(rank, data_format):
    kwargs = {} if rank == 1 else {"data_format": data_format}
    x = torch.randn((2,) + (2,) * rank + (3,), dtype=torch.float64)
    if data_format == "channels_first":
        x = x.movedim(-1, 1).contiguous()
    check_layer_gradients(LAYERS[rank](0.5, dtype="float64", **kwargs), x)  # inference: identity
    torch.autograd.gradcheck(lambda t: LAYERS[rank](0.5, seed=2, dtype="float64", **kwargs)(t, training=True),
                             (x.clone().requires_grad_(),), eps=1e-6, atol=1e-6, rtol=1e-4)
