"""The convolution ops against the float64 references, torch and Keras: conv, conv_transpose,
depthwise_conv, separable_conv (1-D to 3-D, strides, "same"/"valid"/"causal", dilation, groups,
output_padding, both data formats), their gradients, memory layout, symbolic use and errors."""

import itertools

import numpy as np
import pytest
import torch

import layerwise as keras
from layerwise import ops
from tests.layers.convolutional.conftest import reference_conv, reference_conv_transpose, reference_depthwise

SIZES = {1: (9,), 2: (7, 8), 3: (5, 6, 7)}


def _grid(rank, transpose=False):
    """(kernel, strides, dilation, padding, output_padding, data_format) for one rank."""
    kernels = (1, 2, 3) if rank < 3 else (2, 3)
    for k, s, d, padding, extra, data_format in itertools.product(
            kernels, (1, 2, 3), (1, 2), ("valid", "same"), (None, 1) if transpose else (None,),
            ("channels_last", "channels_first")):
        if (s > 1 and d > 1) or (extra is not None and extra >= s):
            continue
        yield k, s, d, padding, extra, data_format


def _input(rank, channels, data_format, seed=0):
    x = np.random.RandomState(seed).randn(2, *SIZES[rank], channels)
    return np.ascontiguousarray(np.moveaxis(x, -1, 1)) if data_format == "channels_first" else x


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_conv_matches_reference(rank):
    rs = np.random.RandomState(1)
    for k, s, d, padding, _, data_format in _grid(rank):
        for groups in (1, 2):
            x = _input(rank, 4, data_format)
            kernel = rs.randn(*(k,) * rank, 4 // groups, 6)
            out = ops.conv(torch.from_numpy(x), torch.from_numpy(kernel), s, padding, data_format, d)
            expected = reference_conv(x, kernel, s, padding, data_format, d)
            np.testing.assert_allclose(out.numpy(), expected, atol=1e-10, err_msg=str((k, s, d, padding, groups)))


@pytest.mark.parametrize("stride,dilation", [(1, 1), (2, 1), (3, 1), (1, 3)])
def test_causal_conv_matches_reference(stride, dilation):
    x = np.random.RandomState(0).randn(2, 10, 3)
    kernel = np.random.RandomState(1).randn(3, 3, 2)
    out = ops.conv(torch.from_numpy(x), torch.from_numpy(kernel), stride, "causal", dilation_rate=dilation)
    np.testing.assert_allclose(out.numpy(), reference_conv(x, kernel, stride, "causal", dilation_rate=dilation),
                               atol=1e-10)


@pytest.mark.parametrize("rank", [1, 2, 3])
def test_conv_transpose_matches_reference(rank):
    rs = np.random.RandomState(2)
    for k, s, d, padding, extra, data_format in _grid(rank, transpose=True):
        x = _input(rank, 3, data_format)
        kernel = rs.randn(*(k,) * rank, 2, 3)
        out = ops.conv_transpose(torch.from_numpy(x), torch.from_numpy(kernel), s, padding, extra, data_format, d)
        expected = reference_conv_transpose(x, kernel, s, padding, extra, data_format, d)
        assert out.shape == expected.shape, (k, s, d, padding, extra)
        np.testing.assert_allclose(out.numpy(), expected, atol=1e-10, err_msg=str((k, s, d, padding, extra)))


@pytest.mark.parametrize("stride,extra,padding", [(1, 1, "valid"), (1, 2, "same"), (2, 3, "valid"), (2, 2, "same")])
def test_conv_transpose_output_padding_beyond_the_stride(stride, extra, padding):
    # torch cannot express these in one call (output_padding must be < stride or dilation)
    x = np.random.RandomState(0).randn(1, 5, 2)
    kernel = np.random.RandomState(1).randn(3, 2, 2)
    out = ops.conv_transpose(torch.from_numpy(x), torch.from_numpy(kernel), stride, padding, extra)
    np.testing.assert_allclose(out.numpy(), reference_conv_transpose(x, kernel, stride, padding, extra), atol=1e-10)


@pytest.mark.parametrize("rank", [1, 2])
def test_depthwise_and_separable_match_reference(rank):
    rs = np.random.RandomState(3)
    for k, s, d, padding, _, data_format in _grid(rank):
        x = _input(rank, 3, data_format)
        depthwise = rs.randn(*(k,) * rank, 3, 2)
        pointwise = rs.randn(*(1,) * rank, 6, 4)
        out = ops.depthwise_conv(torch.from_numpy(x), torch.from_numpy(depthwise), s, padding, data_format, d)
        middle = reference_depthwise(x, depthwise, s, padding, data_format, d)
        np.testing.assert_allclose(out.numpy(), middle, atol=1e-10)
        out = ops.separable_conv(torch.from_numpy(x), torch.from_numpy(depthwise), torch.from_numpy(pointwise), s,
                                 padding, data_format, d)
        np.testing.assert_allclose(out.numpy(), reference_conv(middle, pointwise, data_format=data_format), atol=1e-10)


def test_conv_matches_torch():
    x = torch.randn(2, 9, 3)
    k = torch.randn(4, 3, 5)
    expected = torch.nn.functional.conv1d(x.permute(0, 2, 1), k.permute(2, 1, 0)).permute(0, 2, 1)
    torch.testing.assert_close(ops.conv(x, k), expected)
    v = torch.randn(1, 4, 5, 6, 2)
    kv = torch.randn(2, 2, 2, 2, 3)
    expected = torch.nn.functional.conv3d(v.permute(0, 4, 1, 2, 3), kv.permute(4, 3, 0, 1, 2)).permute(0, 2, 3, 4, 1)
    torch.testing.assert_close(ops.conv(v, kv), expected)
    # transposed, channels-first, stride 2 "valid": torch's own definition without cropping
    x = torch.randn(2, 3, 4, 5)
    kt = torch.randn(3, 3, 6, 3)
    expected = torch.nn.functional.conv_transpose2d(x, kt.permute(3, 2, 0, 1), stride=2)
    torch.testing.assert_close(ops.conv_transpose(x, kt, 2, data_format="channels_first"), expected)


@pytest.mark.parametrize("op,args", [
    ("conv", (torch.randn(1, 5, 3), torch.randn(3, 3, 4), 1, "causal")),
    ("conv", (torch.randn(2, 9, 8, 3), torch.randn(3, 3, 3, 4), 2, "same")),
    ("conv_transpose", (torch.randn(1, 5, 3), torch.randn(3, 4, 3), 2, "same")),
    ("conv_transpose", (torch.randn(2, 4, 5, 3), torch.randn(4, 4, 2, 3), 2, "same")),
    ("depthwise_conv", (torch.randn(2, 9, 3), torch.randn(3, 3, 2), 1, "same")),
    ("depthwise_conv", (torch.randn(2, 6, 6, 3), torch.randn(3, 3, 3, 2), 1, "same")),
])
def test_channels_last_outputs_are_dense(op, args):
    # channels-last in, channels-last out, with no copy left for the next layer to make
    assert getattr(ops, op)(*args).is_contiguous()


def test_gradients():
    x = torch.randn(1, 4, 3, 2, dtype=torch.float64, requires_grad=True)
    k = torch.randn(3, 3, 2, 2, dtype=torch.float64, requires_grad=True)
    torch.autograd.gradcheck(lambda a, b: ops.conv(a, b, 2, "same"), (x, k))
    torch.autograd.gradcheck(lambda a, b: ops.conv_transpose(a, b, 2, "same"), (x, k))
    torch.autograd.gradcheck(lambda a, b: ops.depthwise_conv(a, b, 1, "same"), (x, k))
    torch.autograd.gradcheck(lambda a, b: ops.conv(a, b, 1, "causal"), (x[:, 0], k[0]))


def test_symbolic_inputs_make_graph_nodes():
    inputs = keras.Input((8, 8, 3))
    kernel, kernel_t = torch.randn(3, 3, 3, 4), torch.randn(3, 3, 5, 4)
    outputs = ops.conv_transpose(ops.conv(inputs, kernel, 2, "same"), kernel_t, 2, "same")
    assert tuple(outputs.shape) == (None, 8, 8, 5)
    model = keras.Model(inputs, outputs)
    x = torch.randn(2, 8, 8, 3)
    torch.testing.assert_close(model(x), ops.conv_transpose(ops.conv(x, kernel, 2, "same"), kernel_t, 2, "same"))


@pytest.mark.keras_oracle
@pytest.mark.parametrize("rank", [1, 2, 3])
def test_parity_with_keras_ops(keras_oracle, rank):
    rs = np.random.RandomState(4)
    for k, s, d, padding, extra, data_format in _grid(rank, transpose=True):
        x = _input(rank, 4, data_format).astype("float32")
        kt = rs.randn(*(k,) * rank, 3, 4).astype("float32")
        expected = keras_oracle.ops.convert_to_numpy(
            keras_oracle.ops.conv_transpose(x, kt, s, padding, extra, data_format, d))
        got = ops.conv_transpose(torch.from_numpy(x), torch.from_numpy(kt), s, padding, extra, data_format, d)
        np.testing.assert_allclose(got.numpy(), expected, rtol=1e-4, atol=1e-5)
        if extra is not None:
            continue
        kc = rs.randn(*(k,) * rank, 2, 6).astype("float32")
        expected = keras_oracle.ops.convert_to_numpy(keras_oracle.ops.conv(x, kc, s, padding, data_format, d))
        got = ops.conv(torch.from_numpy(x), torch.from_numpy(kc), s, padding, data_format, d)
        np.testing.assert_allclose(got.numpy(), expected, rtol=1e-4, atol=1e-5)
        kd = rs.randn(*(k,) * rank, 4, 2).astype("float32")
        kp = rs.randn(*(1,) * rank, 8, 3).astype("float32")
        expected = keras_oracle.ops.convert_to_numpy(
            keras_oracle.ops.separable_conv(x, kd, kp, s, padding, data_format, d))
        got = ops.separable_conv(torch.from_numpy(x), torch.from_numpy(kd), torch.from_numpy(kp), s, padding,
                                 data_format, d)
        np.testing.assert_allclose(got.numpy(), expected, rtol=1e-4, atol=1e-5)


def test_errors_name_the_op_and_the_shapes():
    with pytest.raises(ValueError, match=r"`conv`: the input has 5 channels, which is not a multiple of the "
                                         r"kernel's 2 input channels per group"):
        ops.conv(torch.zeros(1, 4, 4, 5), torch.zeros(3, 3, 2, 4))
    with pytest.raises(ValueError, match=r"`conv` padding 'causal' is only defined for 1-D inputs"):
        ops.conv(torch.zeros(1, 4, 4, 2), torch.zeros(3, 3, 2, 4), padding="causal")
    with pytest.raises(ValueError, match=r"`conv`: the kernel must have rank 4 for an input of rank 4"):
        ops.conv(torch.zeros(1, 4, 4, 2), torch.zeros(3, 2, 4))
    with pytest.raises(ValueError, match=r"`conv_transpose`: the kernel's last axis must match the 2 input channels"):
        ops.conv_transpose(torch.zeros(1, 4, 4, 2), torch.zeros(3, 3, 2, 4))
    with pytest.raises(ValueError, match=r"`depthwise_conv`: the kernel's axis -2 must match the 3 input channels"):
        ops.depthwise_conv(torch.zeros(1, 4, 4, 3), torch.zeros(3, 3, 2, 1))
    with pytest.raises(ValueError, match=r"`separable_conv`: the pointwise kernel must have shape"):
        ops.separable_conv(torch.zeros(1, 4, 4, 2), torch.zeros(3, 3, 2, 1), torch.zeros(3, 3, 2, 4))
    with pytest.raises(ValueError, match=r"`conv` supports 1-D, 2-D and 3-D inputs"):
        ops.conv(torch.zeros(4, 2), torch.zeros(2, 2))
    with pytest.raises(ValueError, match=r"`conv` argument `data_format` must be one of"):
        ops.conv(torch.zeros(1, 4, 2), torch.zeros(2, 2, 2), data_format="NWC")


@pytest.mark.parametrize("shape, kernel_shape", [((2, 6, 7, 1), (3, 3, 1, 4)), ((2, 1, 1, 3), (1, 1, 3, 5)),
                                                 ((2, 4, 5, 6, 1), (2, 2, 2, 1, 3))])
def test_channels_last_outputs_stay_channels_last_even_for_one_channel_inputs(shape, kernel_shape):
    # Channels-last data gets a channels-last torch weight (see ops.conv._torch_weight), and results
    # stay dense (batch, ..., channels) tensors, one-channel images included.
    from layerwise.ops.conv import _torch_weight

    weight = _torch_weight(torch.rand(kernel_shape), torch.float32, channels_last=True)
    layout = torch.channels_last if weight.ndim == 4 else torch.channels_last_3d
    assert weight.is_contiguous(memory_format=layout)  # oneDNN is much slower with the permuted view
    x = torch.rand(shape)
    for out in (ops.conv(x, torch.rand(kernel_shape)),
                ops.conv_transpose(x, torch.rand(kernel_shape[:-2] + kernel_shape[-1:] + kernel_shape[-2:-1]))):
        assert out.is_contiguous(), "the channels-last result should be a dense (batch, ..., channels) tensor"
