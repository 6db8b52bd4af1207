"""Constructor arguments ``tests/test_common.py`` needs for the convolution layers."""

REQUIRED_ARGS = {
    "Conv1D": {"filters": 2, "kernel_size": 3},
    "Conv2D": {"filters": 2, "kernel_size": 3},
    "Conv3D": {"filters": 2, "kernel_size": 3},
    "Conv1DTranspose": {"filters": 2, "kernel_size": 3},
    "Conv2DTranspose": {"filters": 2, "kernel_size": 3},
    "Conv3DTranspose": {"filters": 2, "kernel_size": 3},
    "DepthwiseConv1D": {"kernel_size": 3},
    "DepthwiseConv2D": {"kernel_size": 3},
    "SeparableConv1D": {"filters": 2, "kernel_size": 3},
    "SeparableConv2D": {"filters": 2, "kernel_size": 3},
}
