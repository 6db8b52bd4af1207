"""Convolution ops (the pooling tests moved to tests/ops/test_pooling.py)."""

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


def test_conv1d_and_3d_against_torch():
    x = torch.randn(2, 9, 3)
    k = torch.randn(4, 3, 5)
    torch.testing.assert_close(ops.conv(x, k), torch.nn.functional.conv1d(x.permute(0, 2, 1), k.permute(2, 1, 0))
                               .permute(0, 2, 1))
    v = torch.randn(1, 4, 5, 6, 2)
    kv = torch.randn(2, 2, 2, 2, 3)
    expected = torch.nn.functional.conv3d(v.permute(0, 4, 1, 2, 3), kv.permute(4, 3, 0, 1, 2)).permute(0, 2, 3, 4, 1)
    torch.testing.assert_close(ops.conv(v, kv), expected)
