"""Constructor arguments for the activation layers that need some (tests/test_common.py)."""

REQUIRED_ARGS = {"Maxout": {"units": 2, "pieces": 3}}
