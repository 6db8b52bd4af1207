"""Constructor arguments for the core layers in tests/test_common.py."""

REQUIRED_ARGS = {"Embedding": {"input_dim": 5, "output_dim": 2}}
