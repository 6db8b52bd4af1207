"""RandomZoom: identity at inference, zoom in/out about the centre by exact amounts (linear ramps and a
hand-computed nearest zoom), the aspect ratio kept when width_factor is None, zooms drawn per image,
seeds, channels_first, gradients, config, errors, Keras parity with fixed zooms."""

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise.testing import check_layer_gradients, run_layer_test


def _ramps(batch, height, width):
    """Channel 0: the row index, channel 1: the column index."""
    rows = torch.arange(float(height)).reshape(1, height, 1, 1).expand(batch, height, width, 1)
    cols = torch.arange(float(width)).reshape(1, 1, width, 1).expand(batch, height, width, 1)
    return torch.cat([rows, cols], dim=-1)


def test_common_checks_and_inference_identity():
    x = torch.randn(2, 5, 6, 3)
    out = run_layer_test(keras.layers.RandomZoom, {"height_factor": 0.2, "width_factor": (-0.3, 0.1), "seed": 1},
                         input_data=x, expected_output_shape=(2, 5, 6, 3), expected_num_trainable_weights=0)
    assert torch.equal(out, x)


def test_zoom_in_reads_a_centred_smaller_window():
    x = _ramps(1, 9, 11)
    y = keras.layers.RandomZoom((-0.5, -0.5), (-0.2, -0.2))(x, training=True)  # 0.5 and 0.8 input pixels per pixel
    torch.testing.assert_close(y[0, :, 0, 0], 0.5 * torch.arange(9.0) + 4 * 0.5)  # row r reads 0.5 r + 4 (1 - 0.5)
    torch.testing.assert_close(y[0, 0, :, 1], 0.8 * torch.arange(11.0) + 5 * 0.2)


def test_zoom_out_with_nearest_and_constant_fill():
    x = torch.arange(1.0, 6.0).reshape(1, 1, 5, 1).expand(1, 5, 5, 1)
    y = keras.layers.RandomZoom((1.0, 1.0), fill_mode="constant", interpolation="nearest")(x, training=True)
    # 2x zoom out: column c reads 2 c - 2, row r reads 2 r - 2 (inside only for r = 1, 2, 3)
    row = [0.0, 1.0, 3.0, 5.0, 0.0]
    assert y[0, :, :, 0].tolist() == [[0.0] * 5, row, row, row, [0.0] * 5]


def test_width_factor_none_keeps_the_aspect_ratio():
    x = _ramps(100, 9, 9)
    y = keras.layers.RandomZoom(0.4, seed=0)(x, training=True)
    zoom_rows = y[:, 5, 4, 0] - y[:, 4, 4, 0]  # input rows per output row
    zoom_cols = y[:, 4, 5, 1] - y[:, 4, 4, 1]
    torch.testing.assert_close(zoom_rows, zoom_cols)
    assert 0.6 <= float(zoom_rows.min()) < 0.7 and 1.3 < float(zoom_rows.max()) <= 1.4  # 1 + [-0.4, 0.4]
    y = keras.layers.RandomZoom(0.4, 0.4, seed=0)(x, training=True)
    assert not torch.allclose(y[:, 5, 4, 0] - y[:, 4, 4, 0], y[:, 4, 5, 1] - y[:, 4, 4, 1])


def test_channels_first_unbatched_seeds_and_gradients():
    x = torch.randn(3, 6, 6)  # (channels, height, width)
    y = keras.layers.RandomZoom(0.3, seed=4, data_format="channels_first")(x, training=True)
    last = keras.layers.RandomZoom(0.3, seed=4)(x.permute(1, 2, 0), training=True)
    torch.testing.assert_close(y, last.permute(2, 0, 1))
    layer = keras.layers.RandomZoom(0.3, seed=4)
    assert not torch.equal(layer(x.permute(1, 2, 0), training=True), layer(x.permute(1, 2, 0), training=True))
    check_layer_gradients(keras.layers.RandomZoom((0.3, 0.3), (-0.2, -0.2), fill_mode="constant"),
                          torch.randn(2, 5, 6, 2), training=True)


def test_config_and_invalid_arguments():
    layer = keras.layers.RandomZoom((-0.2, 0.3), interpolation="nearest", seed=1)
    config = layer.get_config()
    assert config["height_factor"] == [-0.2, 0.3] and config["width_factor"] is None
    assert config["fill_mode"] == "reflect" and config["interpolation"] == "nearest"
    assert keras.layers.RandomZoom.from_config(config).get_config() == config
    with pytest.raises(ValueError, match=r"`RandomZoom` argument `height_factor` must be a number in \(-1, 1\] or a "
                                         r"pair of numbers in \(-1, 1\]; received height_factor=-1.0."):
        keras.layers.RandomZoom(-1.0)
    with pytest.raises(ValueError, match=r"`RandomZoom` argument `width_factor` must be a number in \(-1, 1\]"):
        keras.layers.RandomZoom(0.1, (-1, 0))
    with pytest.raises(ValueError, match="`RandomZoom` argument `interpolation` must be one of"):
        keras.layers.RandomZoom(0.1, interpolation="area")


@pytest.mark.keras_oracle
@pytest.mark.parametrize("fill_mode", ["reflect", "wrap", "constant", "nearest"])
@pytest.mark.parametrize("interpolation", ["bilinear", "nearest"])
@pytest.mark.parametrize("height_factor,width_factor", [((0.3, 0.3), (-0.15, -0.15)), ((-0.4, -0.4), None)])
def test_parity_with_keras(keras_oracle, fill_mode, interpolation, height_factor, width_factor):
    kwargs = {"height_factor": height_factor, "width_factor": width_factor, "fill_mode": fill_mode,
              "interpolation": interpolation, "fill_value": -1.0}
    theirs = keras_oracle.layers.RandomZoom(**kwargs)
    ours = keras.layers.RandomZoom.from_config(theirs.get_config())
    x = np.random.default_rng(2).normal(size=(2, 7, 10, 3)).astype("float32")
    expected = keras_oracle.ops.convert_to_numpy(theirs(x, training=True))
    np.testing.assert_allclose(ours(torch.from_numpy(x), training=True).numpy(), expected, rtol=1e-5, atol=1e-5)
