import numpy as np
import pytest
import torch

from layerwise import ops


@pytest.mark.parametrize("size,kernel,stride,dilation", [(7, 3, 2, 1), (8, 4, 3, 1), (5, 3, 1, 2), (10, 1, 4, 1)])
def test_same_padding_gives_ceil_output(size, kernel, stride, dilation):
    x = torch.randn(1, size, 1)
    out = ops.conv(x, torch.ones(kernel, 1, 1), strides=stride, padding="same", dilation_rate=dilation)
    assert out.shape[1] == -(-size // stride)


def test_causal_conv_uses_only_the_past():
    x = torch.zeros(1, 6, 1)
    x[0, 3, 0] = 1.0
    out = ops.conv(x, torch.ones(3, 1, 1), padding="causal")[0, :, 0]
    np.testing.assert_array_equal(out.numpy(), [0, 0, 0, 1, 1, 1])


def test_average_pool_same_divides_by_real_inputs(keras_oracle):
    x = np.random.RandomState(0).randn(1, 5, 5, 2).astype("float32")
    ours = ops.average_pool(torch.from_numpy(x), 3, 2, "same").numpy()
    theirs = keras_oracle.ops.convert_to_numpy(keras_oracle.ops.average_pool(x, 3, 2, "same"))
    np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
    corner = x[0, :2, :2, :].mean(axis=(0, 1))  # the first window covers 2x2 real inputs
    np.testing.assert_allclose(ours[0, 0, 0], corner, rtol=1e-5)


def test_min_pool():
    x = torch.randn(2, 4, 4, 3)
    torch.testing.assert_close(ops.min_pool(x, 2), -ops.max_pool(-x, 2))
    assert float(ops.min_pool(x, 2)[0, 0, 0, 0]) == float(x[0, :2, :2, 0].min())


def test_conv1d_and_3d_against_torch():
    x = torch.randn(2, 9, 3)
    k = torch.randn(4, 3, 5)
    torch.testing.assert_close(ops.conv(x, k), torch.nn.functional.conv1d(x.permute(0, 2, 1), k.permute(2, 1, 0))
                               .permute(0, 2, 1))
    v = torch.randn(1, 4, 5, 6, 2)
    kv = torch.randn(2, 2, 2, 2, 3)
    expected = torch.nn.functional.conv3d(v.permute(0, 4, 1, 2, 3), kv.permute(4, 3, 0, 1, 2)).permute(0, 2, 3, 4, 1)
    torch.testing.assert_close(ops.conv(v, kv), expected)
