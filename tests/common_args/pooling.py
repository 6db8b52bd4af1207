"""Constructor arguments for the pooling layers in tests/test_common.py: none are needed, every
pooling layer (windowed and global, 1-D to 3-D) can be built with its defaults."""

REQUIRED_ARGS: dict = {}
