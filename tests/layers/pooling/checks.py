"""Check bodies shared by the pooling test files: each test file parametrizes its cases and calls these
with its own layer class (and NumPy reducer, Keras counterpart, rank), keeping its layer-specific tests.

Windowed pooling (``MaxPooling1D`` ...) uses the configurations and float64 reference of ``conftest``;
global pooling (``GlobalMaxPooling1D`` ...) uses ``GLOBAL_SHAPE_CASES``.
"""

from __future__ import annotations

import numpy as np
import torch

from layerwise.testing import check_layer_gradients, run_layer_test
from tests.layers.pooling.conftest import SHAPES, layer_input, reference_pool, to_torch


def random_input(shape, seed: int) -> np.ndarray:
    """A seeded float32 standard-normal NumPy array of ``shape``."""
    return np.random.RandomState(seed).randn(*shape).astype("float32")


def check_gradients_float64(layer_cls, kwargs, shape, move_channels: bool = True):
    """``check_layer_gradients`` on a float64 layer and a random input of channels-last ``shape``
    (moved to channels-first when the configuration asks for it and ``move_channels``)."""
    x = torch.randn(shape, dtype=torch.float64)
    if move_channels and kwargs.get("data_format") == "channels_first":
        x = x.movedim(-1, 1)
    # A layer without weights keeps its float32 policy under .double(): ask for float64 explicitly.
    check_layer_gradients(layer_cls(**kwargs, dtype="float64"), x)


def check_keras_parity(keras_oracle, keras_name: str, layer_cls, kwargs, x: np.ndarray, exact: bool = False,
                       keras_kwargs=None):
    """The layer agrees on ``x`` with ``keras_oracle.layers.<keras_name>`` built from
    ``{**keras_kwargs, **kwargs}`` (bit for bit when ``exact``, else to rtol=1e-5, atol=1e-6), and so
    does ``compute_output_shape``."""
    theirs = getattr(keras_oracle.layers, keras_name)(**{**(keras_kwargs or {}), **kwargs})
    expected = keras_oracle.ops.convert_to_numpy(theirs(x))
    ours = layer_cls(**kwargs)
    if exact:
        np.testing.assert_array_equal(ours(to_torch(x)).numpy(), expected)
    else:
        np.testing.assert_allclose(ours(to_torch(x)).numpy(), expected, rtol=1e-5, atol=1e-6)
    assert ours.compute_output_shape((None,) + x.shape[1:]) == (None,) + expected.shape[1:]


def check_min_matches_negated_keras_max(keras_oracle, keras_max_name: str, min_cls, kwargs, x: np.ndarray):
    """A min-pooling layer (not in Keras) equals ``-keras_oracle.layers.<keras_max_name>(**kwargs)(-x)``
    bit for bit."""
    theirs = getattr(keras_oracle.layers, keras_max_name)(**kwargs)
    expected = -keras_oracle.ops.convert_to_numpy(theirs(-x))
    np.testing.assert_array_equal(min_cls(**kwargs)(to_torch(x)).numpy(), expected)


def check_min_equals_negated_max(min_cls, max_cls, kwargs, x: torch.Tensor):
    """``min_cls(**kwargs)(x)`` equals ``-max_cls(**kwargs)(-x)``."""
    torch.testing.assert_close(min_cls(**kwargs)(x), -max_cls(**kwargs)(-x))


# ---- windowed pooling --------------------------------------------------------------------------

# Per rank: gradient-check configurations (default, "same" with stride != 1, channels_first) and the
# channels-last input shape they run on.
GRADIENT_CASES = {
    1: [{}, {"pool_size": 4, "strides": 1, "padding": "same"},
        {"pool_size": 3, "strides": 2, "padding": "same", "data_format": "channels_first"}],
    2: [{}, {"pool_size": 3, "strides": 2, "padding": "same"},
        {"pool_size": 2, "strides": 1, "padding": "same", "data_format": "channels_first"}],
    3: [{}, {"pool_size": 3, "strides": 2, "padding": "same"},
        {"pool_size": (2, 3, 2), "strides": 1, "padding": "same", "data_format": "channels_first"}],
}
GRADIENT_SHAPES = {1: (2, 7, 2), 2: (1, 5, 6, 2), 3: (1, 3, 4, 5, 2)}



def check_hand_computed(layer_cls, kwargs, x: torch.Tensor, expected):
    """``run_layer_test``'s common checks with the hand-computed output of a single-channel ``x``."""
    expected = np.asarray(expected, np.float32)[None, ..., None]
    out = run_layer_test(layer_cls, kwargs, input_data=x, expected_output_shape=expected.shape,
                         expected_output=expected, expected_num_trainable_weights=0,
                         expected_num_non_trainable_weights=0, supports_masking=False)
    assert out.dtype == torch.float32


def check_output_shapes(layer_cls, rank: int, kwargs, shape):
    """Output shape on ``layer_input(rank, kwargs)``, and ``compute_output_shape`` with an unknown
    batch, and with unknown batch and spatial sizes."""
    layer = layer_cls(**kwargs)
    assert tuple(layer(to_torch(layer_input(rank, kwargs))).shape) == shape
    input_shape = layer_input(rank, kwargs).shape
    assert layer.compute_output_shape((None,) + input_shape[1:]) == (None,) + shape[1:]
    channels_first = kwargs.get("data_format") == "channels_first"
    unknown = (None, 3) + (None,) * rank if channels_first else (None,) * (rank + 1) + (3,)
    assert layer.compute_output_shape(unknown) == unknown


def check_matches_reference(layer_cls, mode: str, rank: int, kwargs):
    """The layer matches the float64 NumPy reference ``reference_pool(x, mode, **kwargs)``."""
    x = layer_input(rank, kwargs)
    ours = layer_cls(**kwargs)(to_torch(x)).numpy()
    np.testing.assert_allclose(ours, reference_pool(x, mode, **kwargs), rtol=1e-5, atol=1e-6)


def check_max_same_padding_never_takes_the_padding(layer_cls, rank: int):
    """Max pooling with "same" padding over all-negative input never returns a padded zero."""
    x = -torch.rand((1,) + SHAPES[rank][1:]) - 1.0  # every value below -1
    assert float(layer_cls(3, strides=2, padding="same")(x).max()) < -1.0


def check_min_same_padding_never_takes_the_padding(layer_cls, rank: int):
    """Min pooling with "same" padding over all-positive input never returns a padded zero."""
    x = torch.rand((1,) + SHAPES[rank][1:]) + 1.0  # every value above 1
    assert float(layer_cls(3, strides=2, padding="same")(x).min()) > 1.0


def check_average_same_padding_divides_by_the_real_inputs(layer_cls, rank: int):
    """Average pooling with "same" padding of all-ones input is all ones (the padding is not counted)."""
    layer = layer_cls(3, strides=2, padding="same")
    x = torch.ones((1,) + SHAPES[rank][1:])  # a divisor of 3 ** rank at the edges would give less than 1
    torch.testing.assert_close(layer(x), torch.ones(layer.compute_output_shape(x.shape)))


def check_average_of_integers_is_float(layer_cls, rank: int):
    """Average pooling of int64 ones gives float32 ones."""
    out = layer_cls(2)(torch.ones((1,) + (4,) * rank + (1,), dtype=torch.int64))
    assert out.dtype == torch.float32 and bool((out == 1).all())


def check_min_integer_inputs_keep_dtype_and_extremes(layer_cls, rank: int):
    """Min pooling of int64 input stays int64 and keeps the dtype's extreme values exactly."""
    info = torch.iinfo(torch.int64)
    x = torch.full((1,) + (4,) * rank + (1,), info.max, dtype=torch.int64)
    x.view(-1)[0] = info.min
    out = layer_cls(2)(x)
    assert out.dtype == torch.int64 and int(out.view(-1)[0]) == info.min and int(out.view(-1)[-1]) == info.max


def check_alias_defaults_and_config(alias, layer_cls, rank: int):
    """``alias is layer_cls``; default and normalized config values; a ``from_config`` round trip."""
    assert alias is layer_cls
    config = layer_cls().get_config()
    assert config["pool_size"] == config["strides"] == [2] * rank
    assert (config["padding"], config["data_format"]) == ("valid", "channels_last")
    config = layer_cls(3, strides=1, padding="SAME", data_format="channels_first").get_config()
    assert (config["pool_size"], config["strides"], config["padding"]) == ([3] * rank, [1] * rank, "same")
    revived = layer_cls.from_config(config)
    assert revived.get_config() == config and revived.data_format == "channels_first"


# ---- global pooling ----------------------------------------------------------------------------


def _global_shape_cases(rank: int):
    """(kwargs, input shape, output shape) with and without keepdims, channels-last and -first."""
    last = SHAPES[rank]
    first = (last[0], last[-1]) + last[1:-1]
    flat, kept = (last[0], last[-1]), (1,) * rank
    return [
        ({}, last, flat),
        ({"keepdims": True}, last, (last[0],) + kept + (last[-1],)),
        ({"data_format": "channels_first"}, first, flat),
        ({"data_format": "channels_first", "keepdims": True}, first, flat + kept),
    ]


GLOBAL_SHAPE_CASES = {rank: _global_shape_cases(rank) for rank in SHAPES}
GLOBAL_GRADIENT_CASES = [{}, {"data_format": "channels_first", "keepdims": True}]


def global_gradient_shape(rank: int):
    """The (batch 2, 3 per spatial axis, 2 channels) float64 input shape of the gradient checks."""
    return (2,) + (3,) * rank + (2,)


def check_global_hand_computed(layer_cls, data_format: str, x: torch.Tensor, expected):
    """``run_layer_test``'s common checks with the hand-computed ``(1, channels)`` output, and the same
    values with ``keepdims=True``."""
    out = run_layer_test(layer_cls, {"data_format": data_format}, input_data=x,
                         expected_output=np.asarray(expected, np.float32), expected_num_trainable_weights=0,
                         expected_num_non_trainable_weights=0)
    assert out.shape == (1, len(expected[0]))
    kept = layer_cls(data_format=data_format, keepdims=True)(x)
    torch.testing.assert_close(kept.flatten(), torch.tensor(expected[0], dtype=torch.float32))


def check_global_output_shapes(layer_cls, kwargs, input_shape, shape):
    """Output shape on a random input, and ``compute_output_shape`` with an unknown batch, and with
    unknown batch and spatial sizes."""
    rank = len(input_shape) - 2
    layer = layer_cls(**kwargs)
    assert tuple(layer(torch.randn(input_shape)).shape) == shape
    assert layer.compute_output_shape((None,) + input_shape[1:]) == (None,) + shape[1:]
    first = 2 if kwargs.get("data_format") == "channels_first" else 1
    unknown = tuple(None if i == 0 or first <= i < first + rank else d for i, d in enumerate(input_shape))
    assert layer.compute_output_shape(unknown) == (None,) + shape[1:]


def check_global_matches_numpy(layer_cls, reducer, kwargs, input_shape):
    """The layer matches the float64 NumPy ``reducer`` (``np.amax`` ...) over the spatial axes."""
    rank = len(input_shape) - 2
    x = random_input(input_shape, seed=0)
    first = 2 if kwargs.get("data_format") == "channels_first" else 1
    axes = tuple(range(first, first + rank))
    expected = reducer(x.astype(np.float64), axis=axes, keepdims=kwargs.get("keepdims", False))
    ours = layer_cls(**kwargs)(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(ours, expected, rtol=1e-5, atol=1e-6)


def check_global_average_of_integers_is_float(layer_cls, rank: int):
    """Global average pooling of ``arange(2 ** rank)`` as int64 gives the float32 mean."""
    n = 2 ** rank
    out = layer_cls()(torch.arange(n).reshape((1,) + (2,) * rank + (1,)))
    assert out.dtype == torch.float32 and float(out) == (n - 1) / 2


def check_global_alias_defaults_and_config(alias, layer_cls):
    """``alias is layer_cls``; default config values; a ``from_config`` round trip."""
    assert alias is layer_cls
    config = layer_cls().get_config()
    assert (config["data_format"], config["keepdims"]) == ("channels_last", False)
    config = layer_cls(data_format="channels_first", keepdims=True).get_config()
    revived = layer_cls.from_config(config)
    assert revived.get_config() == config and (revived.data_format, revived.keepdims) == ("channels_first", True)
