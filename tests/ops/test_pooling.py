"""Pooling ops: every 1-D window geometry against the float64 reference, N-D and channels_first
cases, Keras parity, integer dtypes, gradients, errors and symbolic inputs."""

import itertools

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise import ops
from tests.layers.pooling.conftest import (CONFIGS, case_id, has_asymmetric_padding, layer_input, reference_pool,
                                           to_torch)

OPS = {"max": ops.max_pool, "min": ops.min_pool, "average": ops.average_pool}


@pytest.mark.parametrize("mode", sorted(OPS))
def test_every_1d_window_geometry_matches_the_reference(mode):
    # Sizes 1-9, windows 1-5 (also larger than the input with "same"), strides 1-5 (also larger
    # than the window, and not dividing the size): shapes and values as Keras's windows.
    rng = np.random.RandomState(0)
    for size, pool, stride, padding in itertools.product(range(1, 10), range(1, 6), range(1, 6), ("valid", "same")):
        if padding == "valid" and pool > size:
            continue
        x = rng.randn(1, size, 2)
        ours = OPS[mode](torch.from_numpy(x), pool, stride, padding).numpy()
        np.testing.assert_allclose(ours, reference_pool(x, mode, pool, stride, padding), rtol=1e-12,
                                   err_msg=f"size={size} pool={pool} stride={stride} padding={padding}")


@pytest.mark.parametrize("rank", [1, 2, 3])
@pytest.mark.parametrize("mode", sorted(OPS))
def test_nd_windows_and_channels_first_match_the_reference(rank, mode):
    for kwargs in CONFIGS[rank]:
        x = layer_input(rank, kwargs, dtype=np.float64)
        args = {"pool_size": 2, **kwargs}
        ours = OPS[mode](to_torch(x), args["pool_size"], args.get("strides"), args.get("padding", "valid"),
                         args.get("data_format")).numpy()
        np.testing.assert_allclose(ours, reference_pool(x, mode, **args), rtol=1e-12, err_msg=case_id(kwargs))


@pytest.mark.keras_oracle
def test_average_pool_same_divides_by_real_inputs(keras_oracle):
    x = np.random.RandomState(0).randn(1, 5, 5, 2).astype("float32")
    ours = ops.average_pool(torch.from_numpy(x), 3, 2, "same").numpy()
    theirs = keras_oracle.ops.convert_to_numpy(keras_oracle.ops.average_pool(x, 3, 2, "same"))
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    corner = x[0, :2, :2, :].mean(axis=(0, 1))  # the first window covers 2x2 real inputs
    np.testing.assert_allclose(ours[0, 0, 0], corner, rtol=1e-5)


def test_average_pool_asymmetric_padding_by_hand():
    # 4 steps, window 2, stride 1: padding (0, 1); the last window holds x[3] alone.
    x = torch.tensor([[[1.0], [3.0], [5.0], [7.0]]])
    torch.testing.assert_close(ops.average_pool(x, 2, 1, "same")[0, :, 0], torch.tensor([2.0, 4.0, 6.0, 7.0]))
    # window 4, stride 1: padding (1, 2).
    torch.testing.assert_close(ops.average_pool(x, 4, 1, "same")[0, :, 0], torch.tensor([3.0, 4.0, 5.0, 6.0]))


def test_min_pool():
    x = torch.randn(2, 4, 4, 3)
    torch.testing.assert_close(ops.min_pool(x, 2), -ops.max_pool(-x, 2))
    assert float(ops.min_pool(x, 2)[0, 0, 0, 0]) == float(x[0, :2, :2, 0].min())


@pytest.mark.keras_oracle
@pytest.mark.parametrize("rank", [1, 2, 3])
def test_parity_with_keras_ops(keras_oracle, rank):
    for kwargs in CONFIGS[rank]:
        x = layer_input(rank, kwargs)
        args = ({"pool_size": 2, **kwargs}["pool_size"], kwargs.get("strides"), kwargs.get("padding", "valid"),
                kwargs.get("data_format"))
        expected = keras_oracle.ops.convert_to_numpy(keras_oracle.ops.max_pool(x, *args))
        np.testing.assert_array_equal(ops.max_pool(to_torch(x), *args).numpy(), expected, err_msg=case_id(kwargs))
        if not has_asymmetric_padding(rank, kwargs):  # Keras's torch backend replicates edges there
            expected = keras_oracle.ops.convert_to_numpy(keras_oracle.ops.average_pool(x, *args))
            np.testing.assert_allclose(ops.average_pool(to_torch(x), *args).numpy(), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("dtype", [torch.uint8, torch.int32, torch.int64])
def test_integer_min_and_max_pool_keep_dtype_and_extremes(dtype):
    info = torch.iinfo(dtype)
    x = torch.tensor([[[info.min], [info.max], [3], [info.max], [info.min]]], dtype=dtype)
    assert ops.min_pool(x, 2, padding="same")[0, :, 0].tolist() == [info.min, 3, info.min]
    assert ops.max_pool(x, 2, padding="same")[0, :, 0].tolist() == [info.max, info.max, info.min]
    assert ops.min_pool(x, 2).dtype == dtype


def test_integer_average_pool_is_float():
    out = ops.average_pool(torch.tensor([[[1], [2], [4]]]), 2, padding="same")
    assert out.dtype == torch.float32 and out[0, :, 0].tolist() == [1.5, 4.0]


def test_numpy_input_and_default_strides():
    out = ops.max_pool(np.arange(6.0).reshape(1, 6, 1), 3)
    assert isinstance(out, torch.Tensor) and out[0, :, 0].tolist() == [2.0, 5.0]


@pytest.mark.parametrize("mode", sorted(OPS))
@pytest.mark.parametrize("args", [(2, None, "valid"), (3, 2, "same"), (2, 1, "same"), (4, 3, "same")])
def test_gradients_float64(mode, args):
    x = torch.randn(1, 5, 6, 1, dtype=torch.float64, requires_grad=True)
    torch.autograd.gradcheck(lambda t: OPS[mode](t, *args), (x,))
    x1 = torch.randn(1, 2, 7, dtype=torch.float64, requires_grad=True)
    torch.autograd.gradcheck(lambda t: OPS[mode](t, *args, data_format="channels_first"), (x1,))


@pytest.mark.parametrize("call,message", [
    (lambda: ops.max_pool(torch.zeros(1, 4, 1), 2, padding="full"),
     "`max_pool` argument `padding` must be one of 'valid', 'same'; received padding='full'"),
    (lambda: ops.min_pool(torch.zeros(1, 4, 1), 2, data_format="NWC"),
     "`min_pool` argument `data_format` must be one of 'channels_last', 'channels_first'"),
    (lambda: ops.average_pool(torch.zeros(1, 4, 4, 1), (2, 2, 2)),
     "`average_pool` argument `pool_size` must be an integer or a tuple of 2 integers"),
    (lambda: ops.max_pool(torch.zeros(1, 4, 4, 1), 2, strides=0),
     "`max_pool` argument `strides` must be positive integers"),
    (lambda: ops.max_pool(torch.zeros(4, 1), 2), "`max_pool` expects a 1-D, 2-D or 3-D input"),
    (lambda: ops.average_pool(torch.zeros(1, 3, 1), 4),
     "`average_pool` argument `pool_size` must fit in the input with padding='valid'"),
])
def test_bad_arguments_are_refused(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert message in str(info.value)


def test_symbolic_inputs_record_an_op():
    inputs = keras.Input((9, 8, 3))
    outputs = ops.min_pool(inputs, 3, strides=2, padding="same")
    assert tuple(outputs.shape) == (None, 5, 4, 3)
    model = keras.Model(inputs, outputs)
    x = torch.randn(2, 9, 8, 3)
    torch.testing.assert_close(model(x), ops.min_pool(x, 3, strides=2, padding="same"))
